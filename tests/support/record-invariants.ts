import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { WRITE_TOKEN } from '../../lambdas/adapters/dynamodb-items';
import { KEY_ATTRIBUTES, projectionKeys } from '../../lambdas/adapters/dynamodb-notice-store';
import { derivedAttributes } from '../../lambdas/adapters/notice-list-plan';
import { INDEXES, PENDING_VERIFICATION } from '../../lambdas/adapters/notice-table-design';
import type { Notice } from '../../lambdas/domain/notice';
import { type NoticeEvent, NoticeEventSchema, verifyChain } from '../../lambdas/domain/notice-event';
import { applyEvent } from '../../lambdas/domain/notice-lifecycle';
import { verificationPendingSince } from '../../lambdas/domain/pending-verification';
import type { Platform } from '../../lambdas/domain/platforms';
import type { Submission } from '../../lambdas/domain/submission';

/**
 * The test oracle of the record's consistency (issue 14: faults and the crash matrix): reads the whole table (a
 * Scan, allowed here in a test, never in product code) and the response bucket, and checks what the domain
 * promises of every record, whatever happened to the requests that made it:
 *
 * - **notices**: events contiguous from 1 and valid against their schema, the hash chain verifies
 *   (`verifyChain`), and the projection is exactly the fold of the events (`applyEvent`), so version = event count
 *   and status, due time and last hash follow from the log; its list-index keys are the ones its state implies
 *   (`projectionKeys`), and the by-status and by-platform-status indexes list it under its status and only there.
 *   Unless `settled`, a projection may lag its log, but only where the events beyond it still carry their
 *   pending-projection marker (so the repair job finds them): nothing committed can be lost.
 * - **submissions**: `filed` ⇔ a receipt ⇔ exactly one `submitted` event naming it, whose files, receipt number
 *   and filed-at are the submission's; a filed submission has every file hashed, by the portal, at its declared
 *   size and SHA-256; the pending-verification keys are present exactly when the portal owes it work
 *   (`verificationPendingSince`), so a `finalizing` one is always found again. No half-accepted state.
 * - **stored files**: every hashed file's object exists in the bucket (at the hashed version, if any) with exactly
 *   the recorded SHA-256 and size.
 * - **reminders**: no reminder recorded twice on a notice; a claim marked done has its `reminder-sent` event; with
 *   an outbox, every reminder recorded as sent is in it, and, when `settled`, every reminder in it is recorded.
 * - **platforms**: a merged platform is among its successor's predecessors, and each merge is recorded once on
 *   either side; when `settled`, no successor has absorbed a platform that is not yet marked merged into it.
 *
 * `checkRecords` returns every problem found; `assertRecordsConsistent` throws listing them all.
 */
export interface RecordStore {
  tableName: string;
  dynamodbEndpoint: string;
  s3Endpoint: string;
  bucket: string;
  /** @default ap-southeast-2 */
  region?: string;
  /** @default the local stores' S3RVER / S3RVER */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** The local portal's outbox folder (local mail transport): reminders are then checked against what was sent. */
  outboxDir?: string;
}

export interface RecordCheckOptions {
  /**
   * The background jobs (projection repair, pending verification, the reminder rerun) have run since the last
   * change: no event may still wait for its projection, and every mail in the outbox must be recorded.
   * @default true
   */
  settled?: boolean;
  /** Check only these notices (every notice otherwise); platforms and indexes are always checked. */
  noticeIds?: readonly string[];
}

export interface RecordsSummary {
  notices: number;
  events: number;
  /** Submissions by status. */
  submissions: Record<string, number>;
  /** Stored objects read back and hashed. */
  filedObjects: number;
  /** `reminder-sent` events. */
  remindersRecorded: number;
  /** Events still marked as waiting for their projection (0 when settled). */
  pendingProjections: number;
  /** Submissions carrying the pending-verification keys. */
  pendingVerifications: number;
  platforms: number;
  /** Successors that absorbed a platform not yet marked merged (an interrupted merge a retry finishes). */
  halfMerges: number;
  problems: string[];
}

type Item = Record<string, unknown>;

const PENDING = 'PENDING';

export async function assertRecordsConsistent(
  store: RecordStore,
  options: RecordCheckOptions = {},
): Promise<RecordsSummary> {
  const summary = await checkRecords(store, options);
  if (summary.problems.length > 0) {
    throw new Error(
      `The record is inconsistent (${summary.problems.length} problem(s)):\n- ${summary.problems.join('\n- ')}`,
    );
  }
  return summary;
}

export async function checkRecords(store: RecordStore, options: RecordCheckOptions = {}): Promise<RecordsSummary> {
  const settled = options.settled ?? true;
  const config = {
    region: store.region ?? 'ap-southeast-2',
    credentials: store.credentials ?? { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  };
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ ...config, endpoint: store.dynamodbEndpoint }));
  const s3 = new S3Client({ ...config, endpoint: store.s3Endpoint, forcePathStyle: true });
  const summary: RecordsSummary = {
    notices: 0,
    events: 0,
    submissions: {},
    filedObjects: 0,
    remindersRecorded: 0,
    pendingProjections: 0,
    pendingVerifications: 0,
    platforms: 0,
    halfMerges: 0,
    problems: [],
  };
  try {
    const items = await scanAll(doc, store.tableName);
    const listings = {
      byStatus: await scanAll(doc, store.tableName, INDEXES.byStatus.indexName),
      byPlatformStatus: await scanAll(doc, store.tableName, INDEXES.byPlatformStatus.indexName),
    };
    const partitions = groupByPartition(items);
    const wanted = options.noticeIds ? new Set(options.noticeIds.map((id) => `NOTICE#${id}`)) : undefined;
    for (const [pk, partition] of partitions) {
      if (!pk.startsWith('NOTICE#') || (wanted && !wanted.has(pk))) continue;
      const context: NoticeContext = { pk, partition, settled, listings, summary, store, s3 };
      await checkNotice(context);
    }
    checkPlatforms(partitions.get('PLATFORMS') ?? [], settled, summary);
  } finally {
    doc.destroy();
    s3.destroy();
  }
  return summary;
}

interface NoticeContext {
  pk: string;
  partition: Item[];
  settled: boolean;
  listings: { byStatus: Item[]; byPlatformStatus: Item[] };
  summary: RecordsSummary;
  store: RecordStore;
  s3: S3Client;
}

async function checkNotice(context: NoticeContext): Promise<void> {
  const { pk, partition, summary } = context;
  const problem = (text: string) => summary.problems.push(`${pk.slice('NOTICE#'.length)}: ${text}`);
  const eventItems = partition.filter((i) => String(i.sk).startsWith('EVENT#'));
  const events = parsedEvents(eventItems, problem);
  if (events.length === 0) {
    // A partition with items but no event: something was recorded for a notice that was never created.
    problem(`holds ${partition.map((i) => i.sk).join(', ')} but no event`);
    return;
  }
  summary.notices += 1;
  summary.events += events.length;
  const chain = verifyChain(events);
  if (!chain.valid) problem(`hash chain broken at event ${chain.seq}: ${chain.problem}`);
  let folded: Notice | undefined;
  for (const event of events) folded = applyEvent(folded, event);
  const projection = partition.find((i) => i.sk === 'NOTICE');
  checkProjection(context, eventItems, events, folded as Notice, projection, problem);
  const kindsOf = (kind: string) => events.filter((e) => e.kind === kind);
  await checkSubmissions(context, kindsOf('submitted'), problem);
  checkReminders(context, kindsOf('reminder-sent'), problem);
}

function parsedEvents(eventItems: Item[], problem: (text: string) => void): NoticeEvent[] {
  const events: NoticeEvent[] = [];
  for (const item of eventItems) {
    const parsed = NoticeEventSchema.safeParse(without(item, KEY_ATTRIBUTES));
    if (parsed.success) events.push(parsed.data);
    else problem(`event ${String(item.sk)} does not match its schema: ${parsed.error.message}`);
  }
  return events.sort((a, b) => a.seq - b.seq);
}

function checkProjection(
  context: NoticeContext,
  eventItems: Item[],
  events: NoticeEvent[],
  folded: Notice,
  projection: Item | undefined,
  problem: (text: string) => void,
): void {
  const pendingSeqs = eventItems.filter((i) => i.pendingProjection === PENDING).map((i) => Number(i.seq));
  context.summary.pendingProjections += pendingSeqs.length;
  if (context.settled && pendingSeqs.length > 0)
    problem(`events ${pendingSeqs.join(', ')} still await their projection`);
  const projectedVersion = projection ? Number(projection.version) : 0;
  if (projectedVersion > events.length) {
    problem(`projection at version ${projectedVersion} but only ${events.length} events`);
    return;
  }
  if (projectedVersion < events.length) {
    // Committed but not yet projected: allowed only until the repair runs, and only if the repair can find it.
    const unfindable = events.filter((e) => e.seq > projectedVersion && !pendingSeqs.includes(e.seq));
    if (context.settled || unfindable.length > 0) {
      problem(
        `projection at version ${projectedVersion} of ${events.length} events` +
          (unfindable.length
            ? ` (events ${unfindable.map((e) => e.seq).join(', ')} unmarked: repair cannot find them)`
            : ''),
      );
    }
    return;
  }
  const stored = without(projection as Item, KEY_ATTRIBUTES);
  if (canonical(stored) !== canonical(folded)) {
    problem(`projection differs from the fold of its events: stored ${canonical(stored)} folded ${canonical(folded)}`);
  }
  const expectedKeys = { ...projectionKeys(folded), ...derivedAttributes(folded) };
  for (const [name, value] of Object.entries(expectedKeys)) {
    if ((projection as Item)[name] !== value) {
      problem(`projection's ${name} is ${String((projection as Item)[name])}, its state implies ${String(value)}`);
    }
  }
  checkListed(context, folded, problem);
}

/** Listed under its status, and only there, in both status indexes (read back from the indexes themselves). */
function checkListed(context: NoticeContext, notice: Notice, problem: (text: string) => void): void {
  const { byStatus, byPlatformStatus } = context.listings;
  const statusKeys = byStatus.filter((i) => i.id === notice.id && i.sk === 'NOTICE').map((i) => i.statusKey);
  if (canonical(statusKeys) !== canonical([`S#${notice.status}`])) {
    problem(`listed by status under ${canonical(statusKeys)}, not only S#${notice.status}`);
  }
  const platformKeys = byPlatformStatus
    .filter((i) => i.id === notice.id && i.sk === 'NOTICE')
    .map((i) => i.platformStatusKey);
  const expected = `P#${notice.platformId}#${notice.status}`;
  if (canonical(platformKeys) !== canonical([expected])) {
    problem(`listed by platform and status under ${canonical(platformKeys)}, not only ${expected}`);
  }
}

async function checkSubmissions(
  context: NoticeContext,
  submittedEvents: NoticeEvent[],
  problem: (text: string) => void,
): Promise<void> {
  const items = context.partition.filter((i) => String(i.sk).startsWith('SUBMISSION#'));
  const known = new Set(items.map((i) => String(i.submissionId)));
  for (const event of submittedEvents) {
    const id = (event.data as { submissionId: string }).submissionId;
    if (!known.has(id)) problem(`event ${event.seq} files submission ${id}, which does not exist`);
  }
  for (const item of items) {
    const submission = without(item, [
      'pk',
      'sk',
      'pendingProjection',
      'pendingSince',
      WRITE_TOKEN,
    ]) as unknown as Submission;
    const sid = submission.submissionId;
    const say = (text: string) => problem(`submission ${sid}: ${text}`);
    context.summary.submissions[submission.status] = (context.summary.submissions[submission.status] ?? 0) + 1;
    const filings = submittedEvents.filter((e) => (e.data as { submissionId: string }).submissionId === sid);
    checkFiling(submission, filings, say);
    const owed = verificationPendingSince(submission) !== undefined;
    const marked = item.pendingProjection === PENDING_VERIFICATION;
    if (marked) context.summary.pendingVerifications += 1;
    if (owed !== marked)
      say(owed ? 'is owed work but not marked for pending verification' : 'is marked as owed work it is not owed');
    await checkStoredFiles(context, submission, say);
  }
}

/** `filed` ⇔ a receipt ⇔ exactly one `submitted` event, agreeing with the submission on what was filed. */
function checkFiling(submission: Submission, filings: NoticeEvent[], say: (text: string) => void): void {
  const filed = submission.status === 'filed';
  if (filed !== Boolean(submission.receipt)) say(`status ${submission.status} but ${filed ? 'no' : 'a'} receipt`);
  if (filings.length !== (filed ? 1 : 0)) {
    say(`status ${submission.status} with ${filings.length} submitted event(s)`);
    return;
  }
  if (!filed) return;
  const data = (filings[0] as NoticeEvent & { kind: 'submitted' }).data;
  const files = submission.files.map((f) => ({ name: f.name, size: f.size, sha256: f.sha256 }));
  if (canonical(data.files) !== canonical(files))
    say(`submitted event's files ${canonical(data.files)} ≠ ${canonical(files)}`);
  if (data.receiptNumber !== submission.receipt?.number) say('receipt number differs from its submitted event');
  if (data.filedAt !== submission.receipt?.filedAt) say('filed-at differs from its submitted event');
  if (data.manifestSha256 !== submission.finalize?.manifestSha256)
    say('manifest hash differs from its submitted event');
  checkFiledHashes(submission, say);
}

function checkFiledHashes(submission: Submission, say: (text: string) => void): void {
  for (const file of submission.files) {
    if (!file.sha256) say(`filed with file ${file.index} not hashed`);
    else if (file.sha256 !== file.declaredSha256 || file.hashedSize !== file.size) {
      say(
        `file ${file.index} filed with hash ${file.sha256} / ${file.hashedSize} bytes, declared ${file.declaredSha256} / ${file.size}`,
      );
    }
  }
}

/** Every file the portal hashed is stored, at the hashed version, with exactly the recorded SHA-256 and size. */
async function checkStoredFiles(
  context: NoticeContext,
  submission: Submission,
  say: (text: string) => void,
): Promise<void> {
  for (const file of submission.files.filter((f) => f.sha256)) {
    try {
      const object = await context.s3.send(
        new GetObjectCommand({ Bucket: context.store.bucket, Key: file.key, VersionId: file.hashedVersionId }),
      );
      const bytes = Buffer.from(
        await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
      );
      context.summary.filedObjects += 1;
      const actual = createHash('sha256').update(bytes).digest('hex');
      if (actual !== file.sha256 || bytes.length !== file.hashedSize) {
        say(
          `file ${file.index} is stored as ${actual} / ${bytes.length} bytes, recorded ${file.sha256} / ${file.hashedSize}`,
        );
      }
    } catch (error) {
      say(`file ${file.index} (${file.key}) is recorded as hashed but cannot be read: ${(error as Error).name}`);
    }
  }
}

function checkReminders(context: NoticeContext, sentEvents: NoticeEvent[], problem: (text: string) => void): void {
  context.summary.remindersRecorded += sentEvents.length;
  const ids = sentEvents.map((e) => (e.data as { reminderId: string }).reminderId);
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (twice.length > 0) problem(`reminders recorded more than once: ${[...new Set(twice)].join(', ')}`);
  for (const claim of context.partition.filter((i) => String(i.sk).startsWith('CLAIM#'))) {
    const reminderId = String(claim.sk).slice('CLAIM#'.length);
    if (claim.state === 'done' && !ids.includes(reminderId))
      problem(`reminder ${reminderId} claimed done but not recorded`);
  }
  const outbox = context.store.outboxDir;
  if (!outbox) return;
  for (const event of sentEvents) {
    const data = event.data as { reminderId: string; delivery: string };
    if (data.delivery !== 'no-recipients' && !existsSync(join(outbox, `${data.reminderId}.json`))) {
      problem(`reminder ${data.reminderId} recorded as ${data.delivery} but never handed to the mail transport`);
    }
  }
  if (!context.settled) return;
  for (const claim of context.partition.filter((i) => String(i.sk).startsWith('CLAIM#'))) {
    const reminderId = String(claim.sk).slice('CLAIM#'.length);
    if (existsSync(join(outbox, `${reminderId}.json`)) && !ids.includes(reminderId)) {
      problem(`reminder ${reminderId} was sent but is not recorded`);
    }
  }
}

function checkPlatforms(items: Item[], settled: boolean, summary: RecordsSummary): void {
  const platforms = new Map(
    items
      .filter((i) => String(i.sk).startsWith('PLATFORM#'))
      .map((i) => [String(i.platformId), i as unknown as Platform]),
  );
  summary.platforms = platforms.size;
  const problem = (text: string) => summary.problems.push(`platform ${text}`);
  for (const platform of platforms.values()) {
    checkMergedSide(platform, platforms, problem);
    const absorbed = platform.provenance.filter((p) => p.kind === 'absorbed').map((p) => String(p.details.platformId));
    const twice = absorbed.filter((id, i) => absorbed.indexOf(id) !== i);
    if (twice.length > 0) problem(`${platform.platformId} records absorbing ${[...new Set(twice)].join(', ')} twice`);
    for (const id of absorbed) {
      const predecessor = platforms.get(id);
      if (predecessor?.status === 'merged' && predecessor.mergedInto === platform.platformId) continue;
      summary.halfMerges += 1;
      if (settled) problem(`${platform.platformId} absorbed ${id}, which is not marked merged into it`);
    }
  }
}

/** A merged platform is its successor's predecessor and records its merge once; any other records none. */
function checkMergedSide(platform: Platform, platforms: Map<string, Platform>, problem: (text: string) => void): void {
  const mergedInto = platform.provenance.filter((p) => p.kind === 'merged-into');
  if (platform.status !== 'merged') {
    if (mergedInto.length > 0) problem(`${platform.platformId} is ${platform.status} but records a merge`);
    return;
  }
  const successor = platform.mergedInto ? platforms.get(platform.mergedInto) : undefined;
  if (!successor?.predecessors.includes(platform.platformId)) {
    problem(`${platform.platformId} is merged into ${platform.mergedInto}, which does not list it as a predecessor`);
  }
  if (mergedInto.length !== 1) problem(`${platform.platformId} records its merge ${mergedInto.length} times`);
}

async function scanAll(doc: DynamoDBDocumentClient, tableName: string, indexName?: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({
        TableName: tableName,
        IndexName: indexName,
        ExclusiveStartKey: start,
        ConsistentRead: !indexName,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

function groupByPartition(items: Item[]): Map<string, Item[]> {
  const partitions = new Map<string, Item[]>();
  for (const item of items) {
    const pk = String(item.pk);
    const partition = partitions.get(pk);
    if (partition) partition.push(item);
    else partitions.set(pk, [item]);
  }
  for (const partition of partitions.values()) partition.sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
  return partitions;
}

function without(item: Item, names: readonly string[]): Item {
  const copy = { ...item };
  for (const name of names) delete copy[name];
  return copy;
}

/** JSON with sorted keys and no undefined values, as the document client stores an object. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Item).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
