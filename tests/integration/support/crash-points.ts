import { randomUUID } from 'node:crypto';
import type { ObservedRequest, StoreService } from '../../support/faults/fault-proxy';
import type { Answer, CrashRig } from './crash-rig';
import { transparencyDraft } from './portal-harness';
import { type OpenedResponse, registeredSigner, sha256, signedFinalize } from './response-filing';

/**
 * The fault points of the crash matrix (issue 14 point 2): for each multi-step operation, the storage requests it
 * makes, and at each of them the portal is killed (SIGKILL) just before the request reaches storage, then started
 * again on the same data. After the restart the client does only what a client does after a lost answer (repeat
 * the request with the same Idempotency-Key), or nothing at all where the portal owes the rest itself; then the
 * whole record must be consistent (record-consistency.ts) and the operation's own outcome exactly-once.
 */
export interface PointOutcome {
  operation: string;
  point: string;
  /** The storage request the portal was killed before. */
  killedBefore: string;
  restartMs: number;
  /** From the portal answering again to the oracle finding nothing wrong, with no further client action. */
  recoveredMs: number;
  /** What the client had to repeat, if anything. */
  clientRetry?: string;
}

export interface CrashPoint {
  operation: 'transition' | 'submission' | 'reminder run' | 'platform merge';
  name: string;
  run(rig: CrashRig): Promise<PointOutcome>;
}

const MINUTE = 60_000;
const CONTACT = 'legal@x-corp.example';

const isPut = (r: ObservedRequest, skPrefix: string) =>
  r.operation === 'PutItem' && String(r.detail?.sk ?? '').startsWith(skPrefix);
const describe = (r: ObservedRequest) => `${r.service} ${r.operation}${r.detail?.sk ? ` ${r.detail.sk}` : ''}`;

/** `match` for the first request `then` accepts once a request `after` accepted has been seen (same proxy). */
function after(first: (r: ObservedRequest) => boolean, then: (r: ObservedRequest) => boolean) {
  let seen = false;
  return (r: ObservedRequest) => {
    if (seen && then(r)) return true;
    if (first(r)) seen = true;
    return false;
  };
}

function expectStatus(answer: Answer, statuses: number[], what: string): Answer {
  if (!statuses.includes(answer.status)) {
    throw new Error(`${what}: expected ${statuses.join(' or ')}, got ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return answer;
}

async function assertSettled(rig: CrashRig, noticeIds: string[]): Promise<number> {
  const { summary, ms } = await rig.awaitConsistent(noticeIds);
  if (summary.problems.length > 0) {
    throw new Error(`the record is not consistent after the restart:\n  ${summary.problems.join('\n  ')}`);
  }
  return ms;
}

async function draft(rig: CrashRig, body: Record<string, unknown> = transparencyDraft('x-corp')): Promise<string> {
  return expectStatus(await rig.call('officer', 'POST', '/notices', body), [201], 'draft').body.id;
}

async function issued(rig: CrashRig): Promise<string> {
  const id = await draft(rig);
  expectStatus(await rig.call('officer', 'POST', `/notices/${id}/issue`), [200], 'issue');
  return id;
}

async function history(rig: CrashRig, id: string): Promise<{ kind: string; data: any }[]> {
  return expectStatus(await rig.call('officer', 'GET', `/notices/${id}/history?limit=100`), [200], 'history').body
    .items;
}

// ---- a transition: commit (event N+1), then the projection, then the event's pending marker cleared ----------

function issuePoint(name: string, service: StoreService, match: (r: ObservedRequest) => boolean): CrashPoint {
  return {
    operation: 'transition',
    name,
    async run(rig) {
      const id = await draft(rig);
      const key = `issue-${randomUUID()}`;
      const issue = () => rig.call('officer', 'POST', `/notices/${id}/issue`, undefined, { 'idempotency-key': key });
      const crash = await rig.crashAt(service, match, issue);
      const recoveredMs = await assertSettled(rig, [id]);
      // The client never saw an answer, so it repeats the request with its key: issued exactly once either way.
      const retried = expectStatus(await issue(), [200], 'repeated issue');
      const events = await history(rig, id);
      const issuedEvents = events.filter((e) => e.kind === 'issued').length;
      if (issuedEvents !== 1 || retried.body.status !== 'issued' || retried.body.version !== events.length) {
        throw new Error(`issue not exactly once: ${issuedEvents} issued events, ${JSON.stringify(retried.body)}`);
      }
      await assertSettled(rig, [id]);
      return {
        operation: 'transition',
        point: name,
        killedBefore: describe(crash.held),
        restartMs: crash.restartMs,
        recoveredMs,
        clientRetry: 'issue (same Idempotency-Key)',
      };
    },
  };
}

export const TRANSITION_POINTS: CrashPoint[] = [
  issuePoint('issue: before the commit (event 2)', 'dynamodb', (r) => isPut(r, 'EVENT#')),
  issuePoint('issue: after the commit, before the projection', 'dynamodb', (r) => isPut(r, 'NOTICE')),
  issuePoint(
    'issue: after the projection, before the pending marker is cleared',
    'dynamodb',
    (r) => r.operation === 'UpdateItem' && String(r.detail?.sk ?? '').startsWith('EVENT#'),
  ),
];

// ---- a submission: open, upload, complete, finalize, hash, commit, mark filed ---------------------------------

const MiB = 1024 * 1024;
/** Just over the single-PUT limit: the smallest multipart upload the portal plans (5 parts of 16 MiB). */
export const MULTIPART_BYTES = 64 * MiB + 4096;

function responseBytes(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let offset = 0, i = seed; offset < size; offset += MiB, i++)
    bytes.fill(i % 251, offset, Math.min(size, offset + MiB));
  return bytes;
}

interface OpenedFile {
  rig: CrashRig;
  opened: OpenedResponse;
  upload: any;
  openKey: string;
}

async function openFor(rig: CrashRig, bytes: Buffer, noticeId?: string): Promise<OpenedFile> {
  const id = noticeId ?? (await issued(rig));
  const openKey = `open-${randomUUID()}`;
  const file = { name: 'response.pdf', bytes };
  const opened = expectStatus(
    await rig.call(
      'x-corp-legal',
      'POST',
      `/notices/${id}/submissions`,
      { files: [{ name: file.name, size: bytes.length, sha256: sha256(bytes), contentType: 'application/pdf' }] },
      { 'idempotency-key': openKey },
    ),
    [200, 201],
    'open',
  );
  return {
    rig,
    opened: { noticeId: id, submissionId: opened.body.submission.submissionId, files: [file] },
    upload: opened.body.uploads[0],
    openKey,
  };
}

const filePath = (o: OpenedResponse) => `/notices/${o.noticeId}/submissions/${o.submissionId}/files/0`;

/** Uploads every part (URLs asked for with each part's SHA-256) and returns the completion body. */
async function uploadParts(f: OpenedFile): Promise<{ parts: { partNumber: number; etag: string; sha256: string }[] }> {
  const bytes = f.opened.files[0]!.bytes;
  const { partSize, partCount } = f.upload;
  const slice = (n: number) => bytes.subarray((n - 1) * partSize, n * partSize);
  const numbers = Array.from({ length: partCount }, (_, i) => i + 1);
  const target = expectStatus(
    await f.rig.call('x-corp-legal', 'POST', `${filePath(f.opened)}/upload-urls`, {
      parts: numbers.map((partNumber) => ({ partNumber, sha256: sha256(slice(partNumber)) })),
    }),
    [200],
    'part URLs',
  );
  const parts = [];
  for (const part of target.body.parts) {
    const put = await fetch(part.url, {
      method: 'PUT',
      body: new Uint8Array(slice(part.partNumber)),
      headers: part.headers,
    });
    if (put.status !== 200) throw new Error(`UploadPart refused: ${put.status} ${await put.text()}`);
    parts.push({
      partNumber: part.partNumber,
      etag: put.headers.get('etag') ?? '',
      sha256: sha256(slice(part.partNumber)),
    });
  }
  return { parts };
}

async function putSingle(f: OpenedFile): Promise<void> {
  const put = await fetch(f.upload.url, {
    method: 'PUT',
    body: new Uint8Array(f.opened.files[0]!.bytes),
    headers: { 'content-type': 'application/pdf', ...f.upload.headers },
  });
  if (put.status !== 200) throw new Error(`PUT refused: ${put.status} ${await put.text()}`);
}

async function submissionOf(rig: CrashRig, o: OpenedResponse): Promise<any> {
  return expectStatus(
    await rig.call('x-corp-legal', 'GET', `/notices/${o.noticeId}/submissions/${o.submissionId}`),
    [200],
    'read submission',
  ).body;
}

async function assertFiledOnce(rig: CrashRig, o: OpenedResponse): Promise<void> {
  const submission = await submissionOf(rig, o);
  const submitted = (await history(rig, o.noticeId)).filter((e) => e.kind === 'submitted');
  if (submission.status !== 'filed' || submitted.length !== 1) {
    throw new Error(`not filed exactly once: ${submission.status}, ${submitted.length} submitted events`);
  }
  if (submitted[0]!.data.receiptNumber !== submission.receipt.number) throw new Error('receipt differs from record');
}

function openPoint(): CrashPoint {
  const name = 'open: after CreateMultipartUpload, before the submission is recorded';
  return {
    operation: 'submission',
    name,
    async run(rig) {
      const id = await issued(rig);
      const bytes = responseBytes(MULTIPART_BYTES, 1);
      const openKey = `open-${randomUUID()}`;
      const body = {
        files: [{ name: 'response.pdf', size: bytes.length, sha256: sha256(bytes), contentType: 'application/pdf' }],
      };
      const open = () =>
        rig.call('x-corp-legal', 'POST', `/notices/${id}/submissions`, body, { 'idempotency-key': openKey });
      const crash = await rig.crashAt('dynamodb', (r) => isPut(r, 'SUBMISSION#'), open);
      const recoveredMs = await assertSettled(rig, [id]);
      const retried = expectStatus(await open(), [201], 'repeated open');
      const listed = expectStatus(await rig.call('x-corp-legal', 'GET', `/notices/${id}/submissions`), [200], 'list');
      if (listed.body.items.length !== 1) throw new Error(`${listed.body.items.length} submissions opened, not 1`);
      if (retried.body.submission.submissionId !== listed.body.items[0].submissionId) throw new Error('another id');
      return {
        operation: 'submission',
        point: name,
        killedBefore: describe(crash.held),
        restartMs: crash.restartMs,
        recoveredMs,
        clientRetry: 'open (same Idempotency-Key)',
      };
    },
  };
}

function completePoint(name: string, service: StoreService, match: (r: ObservedRequest) => boolean): CrashPoint {
  return {
    operation: 'submission',
    name,
    async run(rig) {
      const f = await openFor(rig, responseBytes(MULTIPART_BYTES, 2));
      const completion = await uploadParts(f);
      const complete = () =>
        rig.call('x-corp-legal', 'POST', `${filePath(f.opened)}/complete`, completion, {
          'idempotency-key': `complete-${f.opened.submissionId}-0`,
        });
      const crash = await rig.crashAt(service, match, complete);
      const recoveredMs = await assertSettled(rig, [f.opened.noticeId]);
      // What the CLI does on its rerun: ask which parts are stored, then complete.
      const parts = await rig.call('x-corp-legal', 'GET', `${filePath(f.opened)}/parts`);
      expectStatus(parts, [200], 'stored parts after the restart');
      expectStatus(await complete(), [200], 'repeated complete');
      const submission = await submissionOf(rig, f.opened);
      if (!submission.files[0].completedAt) throw new Error('the upload is not recorded as completed');
      // Not stuck: it files (hashed in the background, being over the inline budget), once.
      const signer = await registeredSigner(rig.call);
      const finalize = await rig.call(
        'x-corp-legal',
        'POST',
        `/notices/${f.opened.noticeId}/submissions/${f.opened.submissionId}/finalize`,
        await signedFinalize(f.opened, signer),
      );
      expectStatus(finalize, [200, 202], 'finalize');
      await assertSettled(rig, [f.opened.noticeId]);
      await assertFiledOnce(rig, f.opened);
      return {
        operation: 'submission',
        point: name,
        killedBefore: describe(crash.held),
        restartMs: crash.restartMs,
        recoveredMs,
        clientRetry: 'list parts, complete (then finalize: filed)',
      };
    },
  };
}

/** A finalize of a small (single PUT, hashed inline) response, killed at `match`; the client does nothing after. */
function finalizePoint(
  name: string,
  service: StoreService,
  match: () => (r: ObservedRequest) => boolean,
  clientRepeats: boolean,
): CrashPoint {
  return {
    operation: 'submission',
    name,
    async run(rig) {
      const signer = await registeredSigner(rig.call);
      const f = await openFor(rig, Buffer.from(`%PDF-1.7\nAnswers (${randomUUID()})\n%%EOF\n`));
      await putSingle(f);
      const body = await signedFinalize(f.opened, signer);
      const key = `finalize-${randomUUID()}`;
      const finalize = () =>
        rig.call(
          'x-corp-legal',
          'POST',
          `/notices/${f.opened.noticeId}/submissions/${f.opened.submissionId}/finalize`,
          body,
          { 'idempotency-key': key },
        );
      const crash = await rig.crashAt(service, match(), finalize);
      if (clientRepeats) expectStatus(await finalize(), [200, 202], 'repeated finalize');
      const recoveredMs = await assertSettled(rig, [f.opened.noticeId]);
      await assertFiledOnce(rig, f.opened);
      return {
        operation: 'submission',
        point: name,
        killedBefore: describe(crash.held),
        restartMs: crash.restartMs,
        recoveredMs,
        clientRetry: clientRepeats ? 'finalize (same Idempotency-Key)' : undefined,
      };
    },
  };
}

export const SUBMISSION_POINTS: CrashPoint[] = [
  openPoint(),
  completePoint('complete: before CompleteMultipartUpload', 's3', (r) => r.operation === 'CompleteMultipartUpload'),
  completePoint('complete: after CompleteMultipartUpload, before it is recorded', 'dynamodb', (r) =>
    isPut(r, 'SUBMISSION#'),
  ),
  finalizePoint('finalize: before the finalizing record', 'dynamodb', () => (r) => isPut(r, 'SUBMISSION#'), true),
  finalizePoint('finalize: mid-hash (reading the stored file)', 's3', () => (r) => r.operation === 'GetObject', false),
  finalizePoint(
    'finalize: hash recorded, before the commit (submitted event)',
    'dynamodb',
    () => (r) => isPut(r, 'EVENT#'),
    false,
  ),
  finalizePoint(
    'finalize: after the commit, before the projection',
    'dynamodb',
    () =>
      after(
        (r) => isPut(r, 'EVENT#'),
        (r) => isPut(r, 'NOTICE'),
      ),
    false,
  ),
  finalizePoint(
    'finalize: after the commit, before the submission is marked filed',
    'dynamodb',
    () =>
      after(
        (r) => isPut(r, 'EVENT#'),
        (r) => isPut(r, 'SUBMISSION#'),
      ),
    false,
  ),
];

// ---- a reminder run: claim, send, record, mark the claim done --------------------------------------------------

/** A removal notice whose first reminder (12 hours before its 24-hour due time) is due now. */
async function reminderDue(rig: CrashRig): Promise<string> {
  const id = await draft(rig, {
    type: 'removal-notice',
    platformId: 'x-corp',
    title: 'Remove material (crash matrix)',
    mannerAndForm: 'Confirm removal through the portal.',
    contacts: [CONTACT],
    requirements: { requiredAction: 'Remove the material at the listed URLs.' },
    responsePeriod: { amount: 24, unit: 'hours' },
  });
  const issuedNotice = expectStatus(await rig.call('officer', 'POST', `/notices/${id}/issue`), [200], 'issue').body;
  const now = Date.parse((await rig.call('officer', 'GET', '/dev/clock')).body.now);
  const minutes = Math.ceil((Date.parse(issuedNotice.nextReminderAt) + MINUTE - now) / MINUTE);
  expectStatus(await rig.call('officer', 'POST', '/dev/clock', { minutes }), [200], 'move the clock');
  return id;
}

function reminderPoint(
  name: string,
  match: (r: ObservedRequest, noticeId: string) => boolean,
  leaseMustLapse: boolean,
): CrashPoint {
  return {
    operation: 'reminder run',
    name,
    async run(rig) {
      const id = await reminderDue(rig);
      const run = () => rig.call('officer', 'POST', '/dev/reminders/run');
      // This notice's step, not another's: earlier points' notices fall due in the same runs as the clock moves on.
      const crash = await rig.crashAt('dynamodb', (r) => r.detail?.pk === `NOTICE#${id}` && match(r, id), run);
      // The dead run's claim protects the reminder for its lease (5 minutes); the next run after it takes over.
      if (leaseMustLapse) expectStatus(await rig.call('officer', 'POST', '/dev/clock', { minutes: 6 }), [200], 'clock');
      const next = expectStatus(await run(), [200], 'the next scheduled run');
      const recoveredMs = await assertSettled(rig, [id]);
      const sent = (await history(rig, id)).filter((e) => e.kind === 'reminder-sent');
      const outbox = (await rig.call('officer', 'GET', '/dev/outbox')).body.items as { id: string; text: string }[];
      const mails = outbox.filter((m) => m.text.includes(id));
      if (sent.length !== 1 || mails.length !== 1) {
        throw new Error(
          `reminder not exactly once: ${sent.length} recorded, ${mails.length} mailed; ${JSON.stringify(next.body)}`,
        );
      }
      return {
        operation: 'reminder run',
        point: name,
        killedBefore: describe(crash.held),
        restartMs: crash.restartMs,
        recoveredMs,
        clientRetry: `next run${leaseMustLapse ? ' after the 5-minute lease' : ''} (recorded as ${sent[0]!.data.delivery})`,
      };
    },
  };
}

export const REMINDER_POINTS: CrashPoint[] = [
  reminderPoint('reminder: before the claim', (r) => isPut(r, 'CLAIM#'), false),
  reminderPoint('reminder: sent, before it is recorded', (r) => isPut(r, 'EVENT#'), true),
  reminderPoint(
    'reminder: recorded, before the claim is marked done',
    (r) => r.operation === 'UpdateItem' && String(r.detail?.sk ?? '').startsWith('CLAIM#'),
    false,
  ),
];

// ---- a platform merge: the successor records what it absorbed, then the merged platform where it went ---------

function mergePoint(name: string, nth: number): CrashPoint {
  return {
    operation: 'platform merge',
    name,
    async run(rig) {
      const suffix = randomUUID().slice(0, 8);
      const [from, into] = [`old-${suffix}`, `new-${suffix}`];
      for (const platformId of [from, into]) {
        expectStatus(
          await rig.call('admin', 'POST', '/platforms', {
            platformId,
            legalName: `${platformId} Inc.`,
            jurisdiction: { country: 'US' },
            contacts: [`notices@${platformId}.example`],
          }),
          [201],
          'onboard',
        );
      }
      const merge = () =>
        rig.call('admin', 'POST', `/platforms/${from}/merge`, { into, reason: 'Merged (crash matrix).' });
      let seen = 0;
      const crash = await rig.crashAt('dynamodb', (r) => isPut(r, 'PLATFORM#') && ++seen === nth, merge);
      // The merge is finished by repeating it (documented: "Repeating the request finishes a merge that was
      // interrupted"); nothing else completes it.
      expectStatus(await merge(), [200], 'repeated merge');
      const recoveredMs = await assertSettled(rig, []);
      const [merged, successor] = await Promise.all(
        [from, into].map(async (p) => (await rig.call('admin', 'GET', `/platforms/${p}`)).body),
      );
      const kinds = [...merged.provenance, ...successor.provenance].map((p: { kind: string }) => p.kind);
      if (
        merged.status !== 'merged' ||
        kinds.filter((k: string) => k === 'absorbed').length !== 1 ||
        kinds.filter((k: string) => k === 'merged-into').length !== 1
      ) {
        throw new Error(`merge not exactly once: ${JSON.stringify(kinds)}`);
      }
      return {
        operation: 'platform merge',
        point: name,
        killedBefore: describe(crash.held),
        restartMs: crash.restartMs,
        recoveredMs,
        clientRetry: 'merge (repeated)',
      };
    },
  };
}

export const MERGE_POINTS: CrashPoint[] = [
  mergePoint('merge: before the successor records the absorption', 1),
  mergePoint('merge: absorbed, before the merged platform records it', 2),
];

export const ALL_POINTS: CrashPoint[] = [
  ...TRANSITION_POINTS,
  ...SUBMISSION_POINTS,
  ...REMINDER_POINTS,
  ...MERGE_POINTS,
];

export function printOutcomes(title: string, outcomes: PointOutcome[]): void {
  const lines = outcomes.map(
    (o) =>
      `  ${o.point.padEnd(68)} killed before ${o.killedBefore.padEnd(34)} restart ${String(o.restartMs).padStart(5)} ms, consistent ${String(o.recoveredMs).padStart(5)} ms later${o.clientRetry ? `; client: ${o.clientRetry}` : ''}`,
  );
  console.log(`${title}\n${lines.join('\n')}`);
}
