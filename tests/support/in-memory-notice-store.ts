import { decodeCursor, encodeCursor } from '../../lambdas/adapters/cursor';
import { projectionKeys } from '../../lambdas/adapters/dynamodb-notice-store';
import {
  fillPage,
  indexKeyOf,
  type ListPlan,
  listPlan,
  pendingExtensionCount,
} from '../../lambdas/adapters/notice-list-plan';
import { Conflict, ValidationFailed } from '../../lambdas/domain/errors';
import { AWAITING_RESPONSE, type Notice } from '../../lambdas/domain/notice';
import type { NoticeEvent } from '../../lambdas/domain/notice-event';
import { applyEvent } from '../../lambdas/domain/notice-lifecycle';
import type { ListQuery, Page, PageRequest } from '../../lambdas/domain/notice-store';
import type { ReminderStore } from '../../lambdas/domain/reminder-store';

const noticePk = (id: string) => `NOTICE#${id}`;
const claimKey = (noticeId: string, reminderId: string) => `${noticePk(noticeId)}|CLAIM#${reminderId}`;
const eventSk = (seq: number) => `EVENT#${String(seq).padStart(6, '0')}`;

/** A reminder run's claim, as DynamoDbNoticeStore keeps it in the `NOTICE#<id>` / `CLAIM#<rid>` item. */
export interface ReminderClaim {
  state: 'claimed' | 'done';
  runId: string;
  claimedAt: string;
  leaseUntil: string;
  transportId?: string | null;
}

/**
 * A NoticeStore (and ReminderStore) in memory with the semantics of `DynamoDbNoticeStore`, so the domain can be
 * tested without a database and what passes here also holds there:
 * - the commit point of a change is "event `seq` of the notice does not exist yet"; a second writer of the same
 *   seq gets `Conflict('concurrent-update')`, and a projection never goes back to an older version;
 * - lists follow the same plan (`listPlan`: index, key range on `dueKey`, order) over the same sparse list-index
 *   keys (`projectionKeys`), so drafts never reach a platform's list; each read evaluates `Limit` items and then
 *   filters them, as a DynamoDB Query with a FilterExpression does, and pages are filled by the same loop
 *   (`fillPage`); cursors are the real opaque cursors, checked against the query they are used with;
 * - values are copied in and out (undefined members dropped, as the document client is configured to), so a
 *   caller never shares an object with the store;
 * - reminders due are read from the same sparse reminders-due keys (`projectionKeys`), and a claim is a read
 *   followed by a conditional write, with a turn of the event loop in between, so concurrent runs interleave
 *   there as they do against DynamoDB.
 */
export class InMemoryNoticeStore implements ReminderStore {
  private readonly events = new Map<string, Map<number, NoticeEvent>>();
  private readonly projections = new Map<string, Notice>();
  private readonly claims = new Map<string, ReminderClaim>();

  async load(id: string): Promise<Notice | undefined> {
    let notice = copy(this.projections.get(id));
    // As in DynamoDB: committed events a projection has not caught up with are folded in on read.
    for (const event of this.eventsOf(id)) {
      if (!notice || event.seq > notice.version) notice = applyEvent(notice, event);
    }
    return notice;
  }

  async append(event: NoticeEvent, next: Notice): Promise<void> {
    // Check and write with no await in between: the in-memory equivalent of one conditional Put.
    const events = this.events.get(event.noticeId) ?? new Map<number, NoticeEvent>();
    if (events.has(event.seq)) {
      throw new Conflict(
        'concurrent-update',
        `Notice ${event.noticeId} was changed by another request at the same moment; reload it and try again.`,
      );
    }
    events.set(event.seq, copy(event));
    this.events.set(event.noticeId, events);
    const projected = this.projections.get(next.id);
    if (!projected || projected.version < next.version) this.projections.set(next.id, copy(next));
  }

  async getEvent(id: string, seq: number): Promise<NoticeEvent | undefined> {
    return copy(this.events.get(id)?.get(seq));
  }

  async findEventByIdempotencyKey(id: string, key: string): Promise<NoticeEvent | undefined> {
    return copy(this.eventsOf(id).find((event) => event.idempotencyKey === key));
  }

  async history(id: string, page: PageRequest): Promise<Page<NoticeEvent>> {
    const rows = this.eventsOf(id).map((event) => ({
      item: event,
      key: { pk: noticePk(id), sk: eventSk(event.seq) },
      sortValue: eventSk(event.seq),
    }));
    return paginate(
      rows,
      'sk',
      { scope: `history:${id}`, partitionAttribute: 'pk', partitionValue: noticePk(id) },
      page,
    );
  }

  async list(query: ListQuery, page: PageRequest): Promise<Page<Notice>> {
    const plan = listPlan(query);
    if (plan === 'empty') return { items: [] };
    const scope = { scope: plan.scope, partitionAttribute: plan.index.partitionKey, partitionValue: plan.partition };
    const startKey = page.cursor ? decodeCursor(page.cursor, scope) : undefined;
    // DynamoDB answers a start key without the sort attribute with a ValidationException, which the store maps so.
    if (startKey && typeof startKey[plan.index.sortKey] !== 'string') {
      throw new ValidationFailed([{ path: 'cursor', message: 'is not a cursor for this query' }]);
    }
    const rows = this.indexRows(plan);
    const { items, last } = await fillPage({
      limit: page.limit,
      filtered: plan.filter !== undefined,
      start: startKey,
      keyOf: (item) => indexKeyOf(item, plan.index),
      read: async (start, readLimit) => {
        const from = start?.[plan.index.sortKey] as string | undefined;
        const evaluated = rows
          .filter((row) => from === undefined || (plan.descending ? row.sortValue < from : row.sortValue > from))
          .slice(0, readLimit);
        // DynamoDB returns LastEvaluatedKey whenever Limit stopped the query, even if nothing follows.
        const lastEvaluated = evaluated.length === readLimit ? evaluated.at(-1) : undefined;
        return {
          items: evaluated.filter((row) => matchesFilter(row.notice, query)).map((row) => row.item),
          last: lastEvaluated?.item && indexKeyOf(lastEvaluated.item, plan.index),
        };
      },
    });
    return {
      items: items.map((item) => copy(this.projections.get(item.id as string) as Notice)),
      nextCursor: last ? encodeCursor(last, plan.scope) : undefined,
    };
  }

  async count(query: ListQuery): Promise<number> {
    const plan = listPlan(query);
    if (plan === 'empty') return 0;
    return this.indexRows(plan).filter((row) => matchesFilter(row.notice, query)).length;
  }

  /** The items of the plan's index partition within its key range, in its order (what a Query would evaluate). */
  private indexRows(plan: ListPlan) {
    return [...this.projections.values()]
      .map((notice) => ({ notice, keys: projectionKeys(notice) }))
      .filter(({ keys }) => keys[plan.index.partitionKey] === plan.partition)
      .map(({ notice, keys }) => {
        const sortValue = keys[plan.index.sortKey] as string;
        const item = { id: notice.id, pk: noticePk(notice.id), sk: 'NOTICE', ...keys };
        return { notice, item: item as Record<string, unknown>, sortValue };
      })
      .filter((row) => plan.lower === undefined || row.sortValue > plan.lower)
      .filter((row) => plan.upper === undefined || row.sortValue < plan.upper)
      .sort(
        (a, b) => (a.sortValue < b.sortValue ? -1 : a.sortValue > b.sortValue ? 1 : 0) * (plan.descending ? -1 : 1),
      );
  }

  /** Ids of notices whose next reminder fires at or before `now`, soonest first (the reminders-due index). */
  async dueForReminders(now: Date, limit: number): Promise<string[]> {
    // `~` sorts after every id, so a reminder firing exactly at `now` is included, as in the DynamoDB query.
    const upTo = `${now.toISOString()}#~`;
    return [...this.projections.values()]
      .map((notice) => ({ id: notice.id, keys: projectionKeys(notice) }))
      .filter(({ keys }) => keys.reminderQueue === 'DUE' && (keys.reminderKey as string) <= upTo)
      .sort((a, b) => ((a.keys.reminderKey as string) < (b.keys.reminderKey as string) ? -1 : 1))
      .slice(0, limit)
      .map(({ id }) => id);
  }

  /**
   * As DynamoDbNoticeStore.claimReminder: `done` once completed; `busy` while another run's lease is live;
   * otherwise a conditional write that takes a fresh claim (`claimed`) or takes over exactly the expired lease
   * that was read (`reclaimed`), and answers `busy` when another run wrote first.
   */
  async claimReminder(
    noticeId: string,
    reminderId: string,
    runId: string,
    now: Date,
    leaseMs: number,
  ): Promise<'claimed' | 'reclaimed' | 'busy' | 'done'> {
    const key = claimKey(noticeId, reminderId);
    const existing = copy(this.claims.get(key));
    if (existing?.state === 'done') return 'done';
    if (existing && existing.leaseUntil > now.toISOString()) return 'busy';
    // The GetItem and the conditional PutItem are two requests: let other runs in between, as DynamoDB would.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const current = this.claims.get(key);
    const conditionHolds = existing
      ? current?.runId === existing.runId && current?.leaseUntil === existing.leaseUntil
      : current === undefined;
    if (!conditionHolds) return 'busy';
    this.claims.set(key, {
      state: 'claimed',
      runId,
      claimedAt: now.toISOString(),
      leaseUntil: new Date(now.getTime() + leaseMs).toISOString(),
    });
    return existing ? 'reclaimed' : 'claimed';
  }

  /** Marks the claim done, only if `runId` still holds it (a run that lost its lease changes nothing). */
  async completeReminder(noticeId: string, reminderId: string, runId: string, transportId?: string): Promise<void> {
    const key = claimKey(noticeId, reminderId);
    const current = this.claims.get(key);
    if (current?.runId !== runId) return;
    this.claims.set(key, { ...current, state: 'done', transportId: transportId ?? null });
  }

  /** The claim on a reminder, for tests that inspect it. */
  claimOf(noticeId: string, reminderId: string): ReminderClaim | undefined {
    return copy(this.claims.get(claimKey(noticeId, reminderId)));
  }

  /** Every committed event of every notice, for tests that inspect what was written. */
  eventCount(): number {
    let count = 0;
    for (const events of this.events.values()) count += events.size;
    return count;
  }

  private eventsOf(id: string): NoticeEvent[] {
    return [...(this.events.get(id)?.values() ?? [])].sort((a, b) => a.seq - b.seq).map((event) => copy(event));
  }
}

/**
 * The FilterExpression of `listPlan`, as DynamoDB evaluates it on a projection (its derived
 * `pendingExtensionCount` included); the shared contract tests hold the two to the same answers.
 */
function matchesFilter(notice: Notice, query: ListQuery): boolean {
  if (query.type && notice.type !== query.type) return false;
  if (query.extension === 'requested' && !(pendingExtensionCount(notice) > 0)) return false;
  if (query.open && !(AWAITING_RESPONSE.includes(notice.status) && notice.dueAt)) return false;
  return true;
}

interface Row<T> {
  item: T;
  key: Record<string, string>;
  sortValue: string;
}

/** One page of a DynamoDB Query: ascending by sort key, after the cursor's key, at most `limit` items. */
function paginate<T>(
  rows: Row<T>[],
  sortAttribute: string,
  scope: { scope: string; partitionAttribute: string; partitionValue: string },
  page: PageRequest,
): Page<T> {
  let start: string | undefined;
  if (page.cursor) {
    const key = decodeCursor(page.cursor, scope);
    // DynamoDB answers a start key without the sort attribute with a ValidationException, which the store maps so.
    if (typeof key[sortAttribute] !== 'string') {
      throw new ValidationFailed([{ path: 'cursor', message: 'is not a cursor for this query' }]);
    }
    start = key[sortAttribute] as string;
  }
  const sorted = rows
    .filter((row) => start === undefined || row.sortValue > start)
    .sort((a, b) => (a.sortValue < b.sortValue ? -1 : a.sortValue > b.sortValue ? 1 : 0));
  const taken = sorted.slice(0, page.limit);
  // DynamoDB returns LastEvaluatedKey whenever Limit stopped the query, even if nothing follows.
  const last = taken.length === page.limit ? taken[taken.length - 1] : undefined;
  return {
    items: taken.map((row) => copy(row.item)),
    nextCursor: last ? encodeCursor(last.key, scope.scope) : undefined,
  };
}

function copy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
