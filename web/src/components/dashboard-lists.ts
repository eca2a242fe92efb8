import type { Notice, NoticeListQuery } from '../api/types';
import type { NoticeListSearch } from './notice-list-search';

/** How many notices each dashboard section lists; its count and its link to the table cover the rest. */
export const SHOWN_PER_SECTION = 5;

/** A dashboard section: the first few of its notices and, for regulators, the count of all of them. */
export interface Bucket {
  notices: Notice[];
  /** Every such notice, from GET /notices/counts (regulators); absent where the caller has no counts. */
  total?: number;
}

export type SectionId = 'overdue' | 'due-soon' | 'awaiting-review' | 'extension-requests';

const WEEK_MS = 7 * 86_400_000;

/**
 * Each section's table view (the address its link opens) and the list API query for its first notices, at `now`.
 * The API applies the same filters the table does, so the section and the table it links to show the same notices.
 */
export function sectionViews(now: Date): Record<SectionId, { view: NoticeListSearch; query: NoticeListQuery }> {
  const nowIso = now.toISOString();
  const first = { limit: SHOWN_PER_SECTION };
  return {
    overdue: { view: { due: 'overdue' }, query: { ...first, open: 'true', dueBefore: nowIso } },
    'due-soon': {
      view: { due: 'next-7-days' },
      query: {
        ...first,
        open: 'true',
        dueAfter: new Date(now.getTime() - 1).toISOString(),
        dueBefore: new Date(now.getTime() + WEEK_MS).toISOString(),
      },
    },
    'awaiting-review': { view: { status: 'submitted' }, query: { ...first, status: 'submitted' } },
    'extension-requests': { view: { extension: 'requested' }, query: { ...first, extension: 'requested' } },
  };
}
