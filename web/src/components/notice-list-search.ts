import { z } from 'zod';
import type { Notice, NoticeStatus } from '../api/types';
import { AWAITING_PLATFORM, STATUS_LABELS } from './notice-format';
import { startOfDayInstant } from './zoned-time';

const STATUSES = Object.keys(STATUS_LABELS) as [NoticeStatus, ...NoticeStatus[]];
const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/**
 * The notices table's whole view, kept in the address so it can be shared and the back button returns to it.
 * Anything unreadable in a shared link is dropped (`.catch(undefined)`) rather than failing the page.
 *
 * Filters the list API answers itself: `status`, `platformId`, `dueBefore` (and `due`, turned into a dueBefore
 * relative to now). Filters it does not have yet — `type`, `dueAfter`, `extension` — are applied to each page the
 * API returns, so a page may show fewer rows than its size (the table says so).
 */
export const NoticeListSearchSchema = z.object({
  status: z.enum(STATUSES).optional().catch(undefined),
  platformId: z.string().min(1).max(64).optional().catch(undefined),
  type: z.string().min(1).max(64).optional().catch(undefined),
  /** Calendar dates in the user's time zone: due on or after the start of `dueAfter`, before the start of `dueBefore`. */
  dueAfter: DATE.optional().catch(undefined),
  dueBefore: DATE.optional().catch(undefined),
  /** Relative to the moment the page is loaded, so a shared "overdue" link stays true the next day. */
  due: z.enum(['overdue', 'next-7-days']).optional().catch(undefined),
  /** Notices with an extension request awaiting a decision. */
  extension: z.literal('requested').optional().catch(undefined),
  limit: z.coerce.number().int().min(1).max(100).optional().catch(undefined),
  /** The API's cursor for this page, and those of the pages before it (for "Previous page"). */
  cursor: z.string().max(2048).optional().catch(undefined),
  trail: z.array(z.string().max(2048)).max(50).optional().catch(undefined),
});
export type NoticeListSearch = z.infer<typeof NoticeListSearchSchema>;

export const DEFAULT_PAGE_SIZE = 25;
const DAY_MS = 86_400_000;

/** The list API's query for a view, at `now`; the same view and minute give the same query (one cache entry). */
export function apiQueryFor(search: NoticeListSearch, now: Date, timeZone: string) {
  const bounds = [
    search.dueBefore ? startOfDayInstant(search.dueBefore, timeZone) : undefined,
    search.due === 'overdue' ? now.toISOString() : undefined,
    search.due === 'next-7-days' ? new Date(now.getTime() + 7 * DAY_MS).toISOString() : undefined,
  ].filter((b): b is string => b !== undefined);
  const dueBefore = bounds.sort()[0];
  return {
    status: search.status,
    platformId: search.platformId,
    dueBefore,
    limit: search.limit ?? DEFAULT_PAGE_SIZE,
    cursor: search.cursor,
  };
}

/** The part of a view the API cannot filter yet, applied to the rows of one page. */
export function matchesPageFilters(notice: Notice, search: NoticeListSearch, now: Date, timeZone: string): boolean {
  if (search.type && notice.type !== search.type) return false;
  if (search.extension === 'requested' && !notice.extensions.some((e) => e.status === 'requested')) return false;
  return matchesDue(notice, search, now, timeZone);
}

function matchesDue(notice: Notice, search: NoticeListSearch, now: Date, timeZone: string): boolean {
  const from = search.dueAfter ? startOfDayInstant(search.dueAfter, timeZone) : undefined;
  if (from && (!notice.dueAt || notice.dueAt < from)) return false;
  if (!search.due) return true;
  // Overdue and "due soon" only mean something while the platform still owes a response.
  if (!AWAITING_PLATFORM.includes(notice.status) || !notice.dueAt) return false;
  return search.due === 'overdue' || notice.dueAt >= now.toISOString();
}

/** Whether the view has filters applied to pages in the browser (the table warns that pages may be short). */
export function hasPageFilters(search: NoticeListSearch): boolean {
  return Boolean(search.type || search.dueAfter || search.due || search.extension);
}

/** Drops paging: a changed filter starts again at the first page. */
export function withoutPaging(search: NoticeListSearch): NoticeListSearch {
  const { cursor: _cursor, trail: _trail, ...rest } = search;
  return rest;
}
