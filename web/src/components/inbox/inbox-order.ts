import type { Notice, NoticeStatus } from '../../api/types';

export type InboxGroupId = 'unacknowledged' | 'awaiting-response' | 'responded';

export interface InboxGroup {
  id: InboxGroupId;
  title: string;
  notices: Notice[];
}

const TITLES: Record<InboxGroupId, string> = {
  unacknowledged: 'Not yet acknowledged',
  'awaiting-response': 'Awaiting your response',
  responded: 'Responded, closed or withdrawn',
};

/** A notice awaiting the platform's response, once its receipt is acknowledged. */
const AWAITING: readonly NoticeStatus[] = ['acknowledged', 'further-information-requested'];

export function inboxGroupOf(notice: Notice): InboxGroupId {
  if (notice.status === 'issued') return 'unacknowledged';
  if (AWAITING.includes(notice.status)) return 'awaiting-response';
  return 'responded';
}

const time = (iso: string | undefined, missing: number) => (iso ? Date.parse(iso) : missing);

/** Soonest due first (overdue ones, being the soonest, lead); a notice with no due time last; then newest given. */
function bySoonestDue(a: Notice, b: Notice): number {
  const due = time(a.dueAt, Number.POSITIVE_INFINITY) - time(b.dueAt, Number.POSITIVE_INFINITY);
  if (due !== 0 && !Number.isNaN(due)) return due;
  return byNewest(a, b);
}

/** Newest given (or created) first, then by id so the order is stable between loads. */
function byNewest(a: Notice, b: Notice): number {
  const at = (n: Notice) => time(n.givenAt ?? n.createdAt, 0);
  return at(b) - at(a) || a.id.localeCompare(b.id);
}

/**
 * The inbox's groups, in the order a legal team works them: notices not yet acknowledged first (they start the
 * clock on nothing the platform has seen), then those awaiting a response by soonest due time, then the rest,
 * newest first. Empty groups are dropped.
 */
export function inboxGroups(notices: readonly Notice[]): InboxGroup[] {
  const groups: Record<InboxGroupId, Notice[]> = { unacknowledged: [], 'awaiting-response': [], responded: [] };
  for (const notice of notices) groups[inboxGroupOf(notice)].push(notice);
  groups.unacknowledged.sort(bySoonestDue);
  groups['awaiting-response'].sort(bySoonestDue);
  groups.responded.sort(byNewest);
  return (Object.keys(groups) as InboxGroupId[])
    .filter((id) => groups[id].length > 0)
    .map((id) => ({ id, title: TITLES[id], notices: groups[id] }));
}
