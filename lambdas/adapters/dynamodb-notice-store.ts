import { randomUUID } from 'node:crypto';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { noticeChain } from '../domain/directory-chain';
import { Conflict, ValidationFailed } from '../domain/errors';
import type { Notice } from '../domain/notice';
import { type NoticeEvent, NoticeEventSchema } from '../domain/notice-event';
import { AWAITING_RESPONSE, applyEvent } from '../domain/notice-lifecycle';
import type { ListQuery, NoticeStore, Page, PageRequest } from '../domain/notice-store';
import { checkpointMarker } from './checkpoint-marker';
import { decodeCursor, encodeCursor } from './cursor';
import { ItemTable, isConditionFailure, WRITE_TOKEN } from './dynamodb-items';
import {
  DRAFTS_SORT_FROM,
  derivedAttributes,
  fillPage,
  type IndexRead,
  indexKeyOf,
  type ListPlan,
  listPlan,
} from './notice-list-plan';
import { INDEXES } from './notice-table-design';

const NOTICE_SK = 'NOTICE';
const EVENT_PREFIX = 'EVENT#';
const PENDING = 'PENDING';
/** Attributes the store adds to a notice's and an event's items (keys, markers, derived list attributes); never part of either. */
export const KEY_ATTRIBUTES = [
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
  // An event's checkpoint-pending marker (checkpoint-marker.ts): events are hashed, so it must never leak into one.
  'checkpointQueue',
  'checkpointKey',
  // Derived attributes (notice-list-plan.ts) written with the projection for list filters; not part of a notice.
  'pendingExtensionCount',
  // How an append recognises its own event when the SDK retries it (dynamodb-items.ts); not part of the event.
  WRITE_TOKEN,
];

/** The marker of the derived-attribute backfill (see `backfillDerived`); bump the revision for a new attribute. */
const BACKFILL_PK = 'BACKFILL#derived-list-attributes';
const DERIVED_REVISION = 1;

const noticePk = (id: string) => `NOTICE#${id}`;
const eventSk = (seq: number) => `${EVENT_PREFIX}${String(seq).padStart(6, '0')}`;

export { DRAFTS_SORT_FROM };

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
    if (!latest || (notice && (latest.seq as number) <= notice.version)) {
      // A projection written before its derived list attributes existed gains them on the first read.
      if (projected && notice && projected.pendingExtensionCount === undefined) await this.putDerived(notice);
      return notice;
    }

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
    const token = randomUUID();
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
            // The event is its own checkpoint-pending marker: no transactions, so it can never exist unmarked.
            ...checkpointMarker(noticeChain(event.noticeId), event.seq, event.at),
            [WRITE_TOKEN]: token,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // The event in place may be this append's own first attempt, retried by the SDK after its answer was lost.
      const own = await new ItemTable(this.doc, this.tableName).holdsWrite(
        { pk: noticePk(event.noticeId), sk: eventSk(event.seq) },
        token,
      );
      if (!own) {
        throw new Conflict(
          'concurrent-update',
          `Notice ${event.noticeId} was changed by another request at the same moment; reload it and try again.`,
        );
      }
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
    const plan = listPlan(query);
    if (plan === 'empty') return { items: [] };
    const cursorScope = {
      scope: plan.scope,
      partitionAttribute: plan.index.partitionKey,
      partitionValue: plan.partition,
    };
    const startKey = page.cursor ? decodeCursor(page.cursor, cursorScope) : undefined;
    const input = listQueryInput(this.tableName, plan);
    try {
      const { items, last } = await fillPage({
        limit: page.limit,
        filtered: plan.filter !== undefined,
        start: startKey,
        keyOf: (item) => indexKeyOf(item, plan.index),
        read: async (start, readLimit): Promise<IndexRead> => {
          const result = await this.doc.send(
            new QueryCommand({ ...input, Limit: readLimit, ExclusiveStartKey: start }),
          );
          return { items: result.Items ?? [], last: result.LastEvaluatedKey };
        },
      });
      return {
        items: items.map((item) => withoutKeys<Notice>(item)),
        nextCursor: last ? encodeCursor(last, plan.scope) : undefined,
      };
    } catch (error) {
      throw cursorRejection(error, startKey);
    }
  }

  /**
   * Counts the notices matching `query` with `Select: 'COUNT'` Queries on the list indexes, paged through
   * LastEvaluatedKey. Cost: a COUNT Query reads (and is billed for) every index item in the key range, before any
   * filter, up to 1 MB a page; only the number comes back. At the portal's volume (thousands of notices a year,
   * a dashboard of about fifteen counts) that is a few hundred read units a load, well within reason. It stops
   * being fine at hundreds of thousands of notices in one partition (the ALL and OPEN partitions first), or
   * when dashboards are loaded often enough that the reads add up: then keep counters instead — one item per
   * count, updated idempotently with the projection (by event sequence, so a replay adds nothing) and recomputed
   * from the event log by projection repair, as every other derived item is.
   */
  async count(query: ListQuery): Promise<number> {
    const plan = listPlan(query);
    if (plan === 'empty') return 0;
    const input = listQueryInput(this.tableName, plan);
    let total = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const result = await this.doc.send(new QueryCommand({ ...input, Select: 'COUNT', ExclusiveStartKey: start }));
      total += result.Count ?? 0;
      start = result.LastEvaluatedKey;
    } while (start);
    return total;
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
    const token = randomUUID();
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
            [WRITE_TOKEN]: token,
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
      if (!isConditionFailure(error)) throw error;
      // This claim's own first attempt, retried by the SDK after its answer was lost, is still this run's claim;
      // without this the reminder would wait out its own lease.
      const own = await new ItemTable(this.doc, this.tableName).holdsWrite(key, token);
      if (!own) return 'busy';
      return existing ? 'reclaimed' : 'claimed';
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
  async repair(options: {
    olderThanMs: number;
    limit: number;
  }): Promise<{ examined: number; repaired: string[]; backfilled: string[] }> {
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
    const backfilled = await this.backfillDerived(options.limit);
    return { examined: Items.length, repaired: [...repaired], backfilled };
  }

  /**
   * Gives projections written before the derived list attributes existed (notice-list-plan.ts) those attributes:
   * one pass over the all-by-due index (a Query, never a Scan), `limit` items a run, resumed from a cursor kept in
   * a marker item, which records the pass as done so that later runs cost one GetItem. New projections are
   * written with the attributes, so a finished pass never needs to run again; a newer derived attribute would
   * bump `DERIVED_REVISION` and run one more pass.
   */
  private async backfillDerived(limit: number): Promise<string[]> {
    const key = { pk: BACKFILL_PK, sk: `REVISION#${DERIVED_REVISION}` };
    const { Item: marker } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    if (marker?.done === true) return [];
    const index = INDEXES.allByDue;
    const page = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.indexName,
        KeyConditionExpression: '#all = :all',
        FilterExpression: 'attribute_not_exists(pendingExtensionCount)',
        ExpressionAttributeNames: { '#all': index.partitionKey },
        ExpressionAttributeValues: { ':all': 'ALL' },
        Limit: limit,
        ExclusiveStartKey: marker?.next as Record<string, unknown> | undefined,
      }),
    );
    const ids: string[] = [];
    for (const item of page.Items ?? []) {
      await this.putDerived(withoutKeys<Notice>(item));
      ids.push(item.id as string);
    }
    // Only this job writes the marker, and one run at a time: a plain Put is enough.
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...key, done: !page.LastEvaluatedKey, next: page.LastEvaluatedKey },
      }),
    );
    return ids;
  }

  /** Writes the derived attributes of a projection as it stands (never onto a newer version). */
  private async putDerived(notice: Notice): Promise<void> {
    const derived = derivedAttributes(notice);
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: noticePk(notice.id), sk: NOTICE_SK },
          UpdateExpression: 'SET pendingExtensionCount = :pending',
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':pending': derived.pendingExtensionCount, ':version': notice.version },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
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
          Item: {
            ...notice,
            ...projectionKeys(notice),
            ...derivedAttributes(notice),
            pk: noticePk(notice.id),
            sk: NOTICE_SK,
          },
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

/** The Query for a list plan: its index, key range, order and filter (the caller adds Limit or Select). */
function listQueryInput(tableName: string, plan: ListPlan): QueryCommandInput {
  const names: Record<string, string> = { '#pk': plan.index.partitionKey, ...plan.filter?.names };
  const values: Record<string, unknown> = { ':pk': plan.partition, ...plan.filter?.values };
  let condition = '#pk = :pk';
  if (plan.lower !== undefined || plan.upper !== undefined) names['#sk'] = plan.index.sortKey;
  if (plan.lower !== undefined && plan.upper !== undefined) {
    // Neither bound is ever a stored key (see ListPlan), so the inclusive BETWEEN is the exclusive range.
    condition += ' AND #sk BETWEEN :lower AND :upper';
    values[':lower'] = plan.lower;
    values[':upper'] = plan.upper;
  } else if (plan.lower !== undefined) {
    condition += ' AND #sk > :lower';
    values[':lower'] = plan.lower;
  } else if (plan.upper !== undefined) {
    condition += ' AND #sk < :upper';
    values[':upper'] = plan.upper;
  }
  return {
    TableName: tableName,
    IndexName: plan.index.indexName,
    KeyConditionExpression: condition,
    FilterExpression: plan.filter?.expression,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ScanIndexForward: !plan.descending,
  };
}

/** A cursor that decodes but names keys DynamoDB rejects is the client's mistake (400), not ours. */
function cursorRejection(error: unknown, startKey: Record<string, unknown> | undefined): unknown {
  if (startKey && error instanceof Error && error.name === 'ValidationException') {
    return new ValidationFailed([{ path: 'cursor', message: 'is not a cursor for this query' }]);
  }
  return error;
}
