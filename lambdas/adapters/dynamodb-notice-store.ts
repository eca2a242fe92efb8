import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { Conflict, ValidationFailed } from '../domain/errors';
import type { Notice } from '../domain/notice';
import { type NoticeEvent, NoticeEventSchema } from '../domain/notice-event';
import { AWAITING_RESPONSE, applyEvent } from '../domain/notice-lifecycle';
import type { ListQuery, NoticeStore, Page, PageRequest } from '../domain/notice-store';
import { decodeCursor, encodeCursor } from './cursor';
import { isConditionFailure } from './dynamodb-items';
import { INDEXES, type IndexDesign } from './notice-table-design';

const NOTICE_SK = 'NOTICE';
const EVENT_PREFIX = 'EVENT#';
const PENDING = 'PENDING';
const KEY_ATTRIBUTES = [
  'pk',
  'sk',
  'platformKey',
  'platformStatusKey',
  'statusKey',
  'allKey',
  'openKey',
  'dueKey',
  'pendingProjection',
  'pendingSince',
  'reminderQueue',
  'reminderKey',
];

const noticePk = (id: string) => `NOTICE#${id}`;
const eventSk = (seq: number) => `${EVENT_PREFIX}${String(seq).padStart(6, '0')}`;

/**
 * Where drafts sort in every list index: after every notice with a due time (ISO instants) and after every
 * given notice without one (`~<createdAt>`). A platform's list is a Query with `dueKey < DRAFTS_SORT_FROM`, so
 * drafts are in the platform indexes for regulators and are never read for a platform.
 */
export const DRAFTS_SORT_FROM = '~~';

/** The list-index keys of a notice; a key left undefined keeps the notice out of that (sparse) index. */
export function projectionKeys(notice: Notice): Record<string, string | undefined> {
  return {
    // Drafts too: a regulator lists one platform's notices, drafts included (see DRAFTS_SORT_FROM).
    platformKey: `P#${notice.platformId}`,
    platformStatusKey: `P#${notice.platformId}#${notice.status}`,
    statusKey: `S#${notice.status}`,
    allKey: 'ALL',
    openKey: AWAITING_RESPONSE.includes(notice.status) && notice.dueAt ? 'OPEN' : undefined,
    dueKey:
      notice.status === 'draft'
        ? `${DRAFTS_SORT_FROM}${notice.createdAt}#${notice.id}`
        : notice.dueAt
          ? `${notice.dueAt}#${notice.id}`
          : `~${notice.createdAt}#${notice.id}`,
    reminderQueue: notice.nextReminderAt ? 'DUE' : undefined,
    reminderKey: notice.nextReminderAt ? `${notice.nextReminderAt}#${notice.id}` : undefined,
  };
}

function withoutKeys<T>(item: Record<string, unknown>): T {
  const copy = { ...item };
  for (const key of KEY_ATTRIBUTES) delete copy[key];
  return copy as T;
}

/**
 * A stored event, read with the schema of its kind. A malformed one stops here, naming itself, rather than being
 * folded into a notice or handed out as history. The schemas are strict and transform nothing, so what is read is
 * exactly what was written and its hash still holds.
 */
function eventFrom(item: Record<string, unknown>): NoticeEvent {
  const parsed = NoticeEventSchema.safeParse(withoutKeys<Record<string, unknown>>(item));
  if (!parsed.success) {
    throw new Error(
      `Stored event ${String(item.sk)} of ${String(item.pk)} does not match its schema: ${parsed.error.message}`,
    );
  }
  return parsed.data;
}

/**
 * Notices in one DynamoDB table (design: notice-table-design.ts). Works unchanged on AWS and on the embedded
 * dynalite, which has no transactions: the commit point of a change is one conditional Put of the next event;
 * the notice item and its index keys are a projection written idempotently afterwards, and `load` / `repair`
 * rebuild it from the events if a crash came in between.
 */
export class DynamoDbNoticeStore implements NoticeStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async load(id: string): Promise<Notice | undefined> {
    // NOTICE sorts right after EVENT#…, so newest-first over that range with Limit 2 returns the projection and
    // the latest event, whatever else (claims, submissions) the notice's partition holds.
    const head = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :events AND :notice',
        ExpressionAttributeValues: { ':pk': noticePk(id), ':events': EVENT_PREFIX, ':notice': NOTICE_SK },
        ScanIndexForward: false,
        Limit: 2,
        ConsistentRead: true,
      }),
    );
    const items = head.Items ?? [];
    const projected = items.find((i) => i.sk === NOTICE_SK);
    const latest = items.find((i) => typeof i.sk === 'string' && i.sk.startsWith(EVENT_PREFIX));
    let notice = projected ? withoutKeys<Notice>(projected) : undefined;
    if (!latest || (notice && (latest.seq as number) <= notice.version)) return notice;

    // Committed events the projection has not caught up with: fold them in and repair the projection.
    const missing = await this.eventsAfter(id, notice?.version ?? 0);
    for (const event of missing) notice = applyEvent(notice, event);
    if (notice) {
      const last = missing.at(-1);
      if (!last) throw new Error(`invariant: notice ${id} has event ${latest.seq} but none after its projection`);
      await this.project(notice, last);
    }
    return notice;
  }

  async append(event: NoticeEvent, next: Notice): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...event,
            pk: noticePk(event.noticeId),
            sk: eventSk(event.seq),
            // Sparse marker: found by `repair` if the projection below never completes.
            pendingProjection: PENDING,
            pendingSince: `${event.at}#${event.noticeId}#${event.seq}`,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new Conflict(
          'concurrent-update',
          `Notice ${event.noticeId} was changed by another request at the same moment; reload it and try again.`,
        );
      }
      throw error;
    }
    await this.project(next, event);
  }

  async getEvent(id: string, seq: number): Promise<NoticeEvent | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: noticePk(id), sk: eventSk(seq) }, ConsistentRead: true }),
    );
    return Item ? eventFrom(Item) : undefined;
  }

  async findEventByIdempotencyKey(id: string, key: string): Promise<NoticeEvent | undefined> {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :events)',
          FilterExpression: 'idempotencyKey = :key',
          ExpressionAttributeValues: { ':pk': noticePk(id), ':events': EVENT_PREFIX, ':key': key },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      const [first] = page.Items ?? [];
      if (first) return eventFrom(first);
      start = page.LastEvaluatedKey;
    } while (start);
    return undefined;
  }

  async history(id: string, page: PageRequest): Promise<Page<NoticeEvent>> {
    return this.queryPage(
      eventFrom,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :events)',
        ExpressionAttributeValues: { ':pk': noticePk(id), ':events': EVENT_PREFIX },
        ConsistentRead: true,
      },
      { scope: `history:${id}`, partitionAttribute: 'pk', partitionValue: noticePk(id) },
      page,
    );
  }

  async list(query: ListQuery, page: PageRequest): Promise<Page<Notice>> {
    if (query.status === 'draft' && !query.includeDrafts) return { items: [] };
    const { index, partition } = chooseIndex(query);
    const values: Record<string, string> = { ':pk': partition };
    let condition = '#pk = :pk';
    const below = sortKeyBelow(query);
    if (below) {
      condition += ' AND #sk < :below';
      values[':below'] = below;
    }
    return this.queryPage(
      (item) => withoutKeys<Notice>(item),
      {
        TableName: this.tableName,
        IndexName: index.indexName,
        KeyConditionExpression: condition,
        ExpressionAttributeNames: below
          ? { '#pk': index.partitionKey, '#sk': index.sortKey }
          : { '#pk': index.partitionKey },
        ExpressionAttributeValues: values,
      },
      {
        scope: `list:${index.indexName}:${below ?? ''}`,
        partitionAttribute: index.partitionKey,
        partitionValue: partition,
      },
      page,
    );
  }

  /** Ids of notices whose next reminder fires at or before `now`, soonest first (the sparse reminders-due index). */
  async dueForReminders(now: Date, limit: number): Promise<string[]> {
    const index = INDEXES.remindersDue;
    const ids: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index.indexName,
          KeyConditionExpression: '#q = :due AND #k <= :now',
          ExpressionAttributeNames: { '#q': index.partitionKey, '#k': index.sortKey },
          // `~` sorts after every id, so a reminder firing exactly at `now` is included.
          ExpressionAttributeValues: { ':due': 'DUE', ':now': `${now.toISOString()}#~` },
          ProjectionExpression: 'id',
          Limit: limit - ids.length,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) ids.push(item.id as string);
      start = page.LastEvaluatedKey;
    } while (start && ids.length < limit);
    return ids;
  }

  /**
   * Claims reminder `reminderId` for run `runId` until `now + leaseMs`: `claimed` when nobody had it, `reclaimed`
   * when an earlier run's lease ran out (that run may have died after sending: ask the mailer), `busy` when another
   * run holds a live lease, `done` when it was completed.
   */
  async claimReminder(
    noticeId: string,
    reminderId: string,
    runId: string,
    now: Date,
    leaseMs: number,
  ): Promise<'claimed' | 'reclaimed' | 'busy' | 'done'> {
    const key = { pk: noticePk(noticeId), sk: `CLAIM#${reminderId}` };
    const { Item: existing } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    if (existing?.state === 'done') return 'done';
    if (existing && (existing.leaseUntil as string) > now.toISOString()) return 'busy';
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...key,
            state: 'claimed',
            runId,
            claimedAt: now.toISOString(),
            leaseUntil: new Date(now.getTime() + leaseMs).toISOString(),
          },
          // Exactly one run takes a fresh claim, or takes over the same expired lease it read above.
          ConditionExpression: existing ? 'runId = :previous AND leaseUntil = :lease' : 'attribute_not_exists(pk)',
          ExpressionAttributeValues: existing
            ? { ':previous': existing.runId, ':lease': existing.leaseUntil }
            : undefined,
        }),
      );
      return existing ? 'reclaimed' : 'claimed';
    } catch (error) {
      if (isConditionFailure(error)) return 'busy';
      throw error;
    }
  }

  async completeReminder(noticeId: string, reminderId: string, runId: string, transportId?: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: noticePk(noticeId), sk: `CLAIM#${reminderId}` },
          UpdateExpression: 'SET #state = :done, transportId = :transport',
          ConditionExpression: 'runId = :run',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':done': 'done', ':run': runId, ':transport': transportId ?? null },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /**
   * Finishes projections that a crash interrupted: every event still marked pending for longer than `olderThanMs`
   * gets its notice reloaded (which rewrites the projection from the log) and its marker cleared. Reads only the
   * sparse pending index, never the whole table.
   */
  async repair(options: { olderThanMs: number; limit: number }): Promise<{ examined: number; repaired: string[] }> {
    const cutoff = new Date(this.clock().getTime() - options.olderThanMs).toISOString();
    const index = INDEXES.pendingProjection;
    const { Items = [] } = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.indexName,
        KeyConditionExpression: '#p = :pending AND #s < :cutoff',
        ExpressionAttributeNames: { '#p': index.partitionKey, '#s': index.sortKey },
        ExpressionAttributeValues: { ':pending': PENDING, ':cutoff': cutoff },
        Limit: options.limit,
      }),
    );
    const repaired = new Set<string>();
    for (const item of Items) {
      const event = eventFrom(item);
      const notice = await this.load(event.noticeId);
      if (notice && notice.version >= event.seq) {
        await this.clearPending(event.noticeId, event.seq);
        repaired.add(event.noticeId);
      }
    }
    return { examined: Items.length, repaired: [...repaired] };
  }

  private async project(notice: Notice, event: NoticeEvent): Promise<void> {
    await this.putProjection(notice);
    await this.clearPending(event.noticeId, event.seq);
  }

  private async putProjection(notice: Notice): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...notice, ...projectionKeys(notice), pk: noticePk(notice.id), sk: NOTICE_SK },
          // Never let a slow writer put back an older state than a faster one already projected.
          ConditionExpression: 'attribute_not_exists(pk) OR version < :version',
          ExpressionAttributeValues: { ':version': notice.version },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  private async clearPending(id: string, seq: number): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: noticePk(id), sk: eventSk(seq) },
          UpdateExpression: 'REMOVE pendingProjection, pendingSince',
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  private async eventsAfter(id: string, version: number): Promise<NoticeEvent[]> {
    const events: NoticeEvent[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': noticePk(id), ':from': eventSk(version + 1), ':to': `${EVENT_PREFIX}~` },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) events.push(eventFrom(item));
      start = page.LastEvaluatedKey;
    } while (start);
    return events;
  }

  private async queryPage<T>(
    read: (item: Record<string, unknown>) => T,
    input: QueryCommandInput,
    cursorScope: { scope: string; partitionAttribute: string; partitionValue: string },
    page: PageRequest,
  ): Promise<Page<T>> {
    const startKey = page.cursor ? decodeCursor(page.cursor, cursorScope) : undefined;
    let result: QueryCommandOutput;
    try {
      result = await this.doc.send(new QueryCommand({ ...input, Limit: page.limit, ExclusiveStartKey: startKey }));
    } catch (error) {
      // A cursor that decodes but names keys DynamoDB rejects is the client's mistake, not ours.
      if (startKey && error instanceof Error && error.name === 'ValidationException') {
        throw new ValidationFailed([{ path: 'cursor', message: 'is not a cursor for this query' }]);
      }
      throw error;
    }
    const last = result.LastEvaluatedKey;
    return {
      items: (result.Items ?? []).map(read),
      nextCursor: last ? encodeCursor(last, cursorScope.scope) : undefined,
    };
  }
}

/**
 * The key condition's upper bound on `dueKey`: `dueBefore` (an ISO instant, so it already stops short of every
 * draft), or the start of the drafts when they are not to be listed.
 */
export function sortKeyBelow(query: ListQuery): string | undefined {
  return query.dueBefore ?? (query.includeDrafts ? undefined : DRAFTS_SORT_FROM);
}

function chooseIndex(query: ListQuery): { index: IndexDesign; partition: string } {
  if (query.platformId && query.status) {
    return { index: INDEXES.byPlatformStatus, partition: `P#${query.platformId}#${query.status}` };
  }
  if (query.platformId) return { index: INDEXES.byPlatform, partition: `P#${query.platformId}` };
  if (query.status) return { index: INDEXES.byStatus, partition: `S#${query.status}` };
  return { index: INDEXES.allByDue, partition: 'ALL' };
}
