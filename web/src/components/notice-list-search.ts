import { z } from 'zod';
import type { NoticeStatus } from '../api/types';
import { STATUS_LABELS } from './notice-format';
import { startOfDayInstant } from './zoned-time';

const STATUSES = Object.keys(STATUS_LABELS) as [NoticeStatus, ...NoticeStatus[]];
const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/**
 * The notices table's whole view, kept in the address so it can be shared and the back button returns to it.
 * Anything unreadable in a shared link is dropped (`.catch(undefined)`) rather than failing the page.
 *
 * The list API applies every filter itself (and fills each page), so what the table shows is exactly the page the
 * API returned: `due` becomes `open=true` with due bounds relative to now, calendar dates become instants.
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
  /** `desc`: latest due first; soonest due first otherwise. */
  order: z.enum(['asc', 'desc']).optional().catch(undefined),
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
  const upper = [
    search.dueBefore ? startOfDayInstant(search.dueBefore, timeZone) : undefined,
    search.due === 'overdue' ? now.toISOString() : undefined,
    search.due === 'next-7-days' ? new Date(now.getTime() + 7 * DAY_MS).toISOString() : undefined,
  ].filter((b): b is string => b !== undefined);
  const lower = [
    // "On or after" a date, and "from now" for the next 7 days; the API's dueAfter is strict, hence 1 ms before.
    search.dueAfter ? justBefore(startOfDayInstant(search.dueAfter, timeZone)) : undefined,
    search.due === 'next-7-days' ? justBefore(now.toISOString()) : undefined,
  ].filter((b): b is string => b !== undefined);
  return {
    status: search.status,
    platformId: search.platformId,
    type: search.type,
    dueBefore: upper.sort()[0],
    dueAfter: lower.sort().at(-1),
    // Overdue and "due soon" only mean something while the platform still owes a response.
    open: search.due ? ('true' as const) : undefined,
    extension: search.extension,
    order: search.order ?? ('asc' as const),
    limit: search.limit ?? DEFAULT_PAGE_SIZE,
    cursor: search.cursor,
  };
}

function justBefore(instant: string | undefined): string | undefined {
  return instant === undefined ? undefined : new Date(Date.parse(instant) - 1).toISOString();
}

/** Drops paging: a changed filter starts again at the first page. */
export function withoutPaging(search: NoticeListSearch): NoticeListSearch {
  const { cursor: _cursor, trail: _trail, ...rest } = search;
  return rest;
}
