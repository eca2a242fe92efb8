import type { Notice, NoticeStatus } from '../api/types';
import { AWAITING_PLATFORM } from './notice-format';

/** One status's first page of the list API (soonest due first), as the dashboard fetches it. */
export interface StatusPage {
  status: NoticeStatus;
  items: Notice[];
  nextCursor?: string;
}

/** A list on the dashboard, and whether it is every such notice or only those in the pages read. */
export interface Bucket {
  notices: Notice[];
  complete: boolean;
}

export interface DashboardSummary {
  counts: { status: NoticeStatus; count: number; more: boolean }[];
  overdue: Bucket;
  dueSoon: Bucket;
  awaitingReview: Bucket;
  extensionRequests: Bucket;
}

const WEEK_MS = 7 * 86_400_000;

/**
 * The dashboard from one bounded page per status (the list API has no counts). Each page is sorted by due time,
 * so "overdue" and "due in 7 days" are known to be complete when a page ends after the bound even if more pages
 * follow; counts and extension requests are complete only when the status has no further page ("100 or more").
 */
export function summarise(pages: readonly StatusPage[], now: Date): DashboardSummary {
  const nowIso = now.toISOString();
  const weekIso = new Date(now.getTime() + WEEK_MS).toISOString();
  const owed = pages.filter((p) => AWAITING_PLATFORM.includes(p.status));
  const reaches = (page: StatusPage, bound: string) => {
    if (!page.nextCursor) return true;
    const last = page.items.at(-1)?.dueAt;
    return last !== undefined && last >= bound;
  };
  const collect = (
    from: readonly StatusPage[],
    keep: (n: Notice) => boolean,
    complete: (p: StatusPage) => boolean,
  ) => ({
    notices: from.flatMap((p) => p.items.filter(keep)).sort(byDue),
    complete: from.every(complete),
  });
  return {
    counts: pages.map((p) => ({ status: p.status, count: p.items.length, more: Boolean(p.nextCursor) })),
    overdue: collect(
      owed,
      (n) => Boolean(n.dueAt && n.dueAt < nowIso),
      (p) => reaches(p, nowIso),
    ),
    dueSoon: collect(
      owed,
      (n) => Boolean(n.dueAt && n.dueAt >= nowIso && n.dueAt < weekIso),
      (p) => reaches(p, weekIso),
    ),
    awaitingReview: collect(
      pages.filter((p) => p.status === 'submitted'),
      () => true,
      (p) => !p.nextCursor,
    ),
    extensionRequests: collect(
      owed,
      (n) => n.extensions.some((e) => e.status === 'requested'),
      (p) => !p.nextCursor,
    ),
  };
}

function byDue(a: Notice, b: Notice): number {
  return (a.dueAt ?? '~').localeCompare(b.dueAt ?? '~');
}
