import { AWAITING_RESPONSE, type Notice } from '../domain/notice';
import type { ListQuery } from '../domain/notice-store';
import { INDEXES, type IndexDesign } from './notice-table-design';

/**
 * How a notice list (or count) is read from the table: which index, which range of its sort key (`dueKey`), which
 * filters DynamoDB applies to what it read, and the scope a cursor is bound to. Shared by DynamoDbNoticeStore and
 * the in-memory store the domain tests use, so both read the same plan. Plain data; no SDK imports.
 */

/** Where notices with no due time start in every list index (`~<createdAt>#<id>`); drafts start at `~~`. */
export const NO_DUE_SORT_FROM = '~';
/**
 * Where drafts sort in every list index: after every notice with a due time (ISO instants) and after every
 * given notice without one (`~<createdAt>`). A platform's list is a Query with `dueKey < DRAFTS_SORT_FROM`, so
 * drafts are in the platform indexes for regulators and are never read for a platform.
 */
export const DRAFTS_SORT_FROM = '~~';

/**
 * At most this many index reads answer one list request. A filter that drops nearly everything would otherwise
 * make one request read the whole partition; past the bound the page is returned short, with a cursor.
 */
export const MAX_READS_PER_PAGE = 10;
/** With a filter, each read evaluates at least this many index items, so a small page needs few round trips. */
export const MIN_FILTERED_READ = 50;

/**
 * Attributes written with the projection that are not part of a notice: derived from it so that a list can
 * filter on them. Stripped again on read.
 */
export function derivedAttributes(notice: Notice): { pendingExtensionCount: number } {
  return { pendingExtensionCount: pendingExtensionCount(notice) };
}

/**
 * Extension requests awaiting a decision: requested and not yet decided, on a notice still awaiting a response
 * (grant and refuse are possible only then, so a request left on a submitted notice awaits nobody).
 */
export function pendingExtensionCount(notice: Notice): number {
  if (!AWAITING_RESPONSE.includes(notice.status)) return 0;
  return notice.extensions.filter((e) => e.status === 'requested').length;
}

export interface ListPlan {
  index: IndexDesign;
  partition: string;
  /** Exclusive bounds on the index's sort key (no stored key equals either, so BETWEEN is exclusive too). */
  lower?: string;
  upper?: string;
  descending: boolean;
  /** A DynamoDB FilterExpression over the projection, with its names and values; absent when nothing is filtered. */
  filter?: { expression: string; names: Record<string, string>; values: Record<string, unknown> };
  /** What a cursor of this list is bound to: the index, the key range, the order and the filters. */
  scope: string;
}

/** The plan for a query, or `empty` when nothing can match (a draft for a platform, an empty due range). */
export function listPlan(query: ListQuery): ListPlan | 'empty' {
  if (query.status === 'draft' && !query.includeDrafts) return 'empty';
  if (query.open && query.status && !AWAITING_RESPONSE.includes(query.status)) return 'empty';
  const { index, partition } = chooseIndex(query);
  const lower = query.dueAfter ? `${query.dueAfter}#~` : undefined;
  const upper = sortKeyBelow(query);
  if (lower !== undefined && upper !== undefined && lower >= upper) return 'empty';

  const filter = listFilter(query, index);
  const descending = query.order === 'desc';
  return {
    index,
    partition,
    lower,
    upper,
    descending,
    filter,
    scope: [
      'list',
      index.indexName,
      lower ?? '',
      upper ?? '',
      descending ? 'desc' : 'asc',
      query.type ?? '',
      query.extension ?? '',
      query.open ? 'open' : '',
    ].join(':'),
  };
}

/** The FilterExpression for a query's type, extension and open filters on `index`; undefined when there are none. */
function listFilter(query: ListQuery, index: IndexDesign): ListPlan['filter'] {
  const clauses: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (query.type) {
    clauses.push('#type = :type');
    names['#type'] = 'type';
    values[':type'] = query.type;
  }
  if (query.extension === 'requested') {
    clauses.push('#pendingExtensions > :none');
    names['#pendingExtensions'] = 'pendingExtensionCount';
    values[':none'] = 0;
  }
  // The open-by-due index holds exactly the open notices; any other index needs the same test as a filter.
  if (query.open && index !== INDEXES.openByDue) {
    clauses.push('attribute_exists(#dueAt)');
    names['#dueAt'] = 'dueAt';
    if (!query.status) {
      const placeholders = AWAITING_RESPONSE.map((status, i) => {
        values[`:open${i}`] = status;
        return `:open${i}`;
      });
      clauses.push(`#status IN (${placeholders.join(', ')})`);
      names['#status'] = 'status';
    }
  }
  return clauses.length > 0 ? { expression: clauses.join(' AND '), names, values } : undefined;
}

/**
 * The upper bound on `dueKey`: `dueBefore` (an ISO instant, so it already stops short of every notice without a
 * due time); with only `dueAfter`, the start of the notices with no due time; otherwise the start of the drafts
 * when they are not to be listed.
 */
export function sortKeyBelow(query: ListQuery): string | undefined {
  if (query.dueBefore) return query.dueBefore;
  if (query.dueAfter) return NO_DUE_SORT_FROM;
  return query.includeDrafts ? undefined : DRAFTS_SORT_FROM;
}

/** The index a query reads: the narrowest partition its platform and status name. */
export function chooseIndex(query: ListQuery): { index: IndexDesign; partition: string } {
  if (query.platformId && query.status) {
    return { index: INDEXES.byPlatformStatus, partition: `P#${query.platformId}#${query.status}` };
  }
  if (query.platformId) return { index: INDEXES.byPlatform, partition: `P#${query.platformId}` };
  if (query.status) return { index: INDEXES.byStatus, partition: `S#${query.status}` };
  if (query.open) return { index: INDEXES.openByDue, partition: 'OPEN' };
  return { index: INDEXES.allByDue, partition: 'ALL' };
}

/** The key of an index item, as DynamoDB's LastEvaluatedKey names it: the table's keys and the index's. */
export function indexKeyOf(item: Record<string, unknown>, index: IndexDesign): Record<string, unknown> {
  return {
    pk: item.pk,
    sk: item.sk,
    [index.partitionKey]: item[index.partitionKey],
    [index.sortKey]: item[index.sortKey],
  };
}

export interface IndexRead {
  /** The items the read returned, after DynamoDB's filter. */
  items: Record<string, unknown>[];
  /** LastEvaluatedKey: present when the read stopped at its limit, whether or not more items follow. */
  last?: Record<string, unknown>;
}

/**
 * Fills one page from successive reads of an index. A filtered read can return fewer items than it evaluated, so
 * reads go on from each LastEvaluatedKey until `limit` items, the end, or `maxReads`. When a read returns more
 * than the page still needs, the page ends at its last kept item and the cursor is that item's key, so the next
 * page starts right after it: no item is skipped or repeated across pages.
 */
export async function fillPage(options: {
  limit: number;
  filtered: boolean;
  read: (start: Record<string, unknown> | undefined, readLimit: number) => Promise<IndexRead>;
  keyOf: (item: Record<string, unknown>) => Record<string, unknown>;
  start?: Record<string, unknown>;
  maxReads?: number;
}): Promise<{ items: Record<string, unknown>[]; last?: Record<string, unknown> }> {
  const { limit, filtered, read, keyOf } = options;
  const maxReads = options.maxReads ?? MAX_READS_PER_PAGE;
  const items: Record<string, unknown>[] = [];
  let start = options.start;
  for (let reads = 0; reads < maxReads; reads++) {
    const needed = limit - items.length;
    // Unfiltered, a read of exactly what is needed fills the page (as a plain Query with Limit always did).
    const result = await read(start, filtered ? Math.max(needed, MIN_FILTERED_READ) : needed);
    if (result.items.length > needed) {
      const kept = result.items.slice(0, needed);
      items.push(...kept);
      const lastKept = kept.at(-1);
      return { items, last: lastKept ? keyOf(lastKept) : start };
    }
    items.push(...result.items);
    start = result.last;
    if (!start || items.length === limit) return { items, last: start };
  }
  return { items, last: start };
}
