import type { Notice } from '../api/types';
import { toCsv } from './csv';
import { dueInWords, formatInZone, STATUS_LABELS } from './notice-format';

/**
 * The notices table as CSV: one row per notice shown, times both as ISO instants (for sorting in a spreadsheet)
 * and as read in the notice's zone and the user's.
 */
export function noticesCsv(
  notices: readonly Notice[],
  names: { platform: (id: string) => string; type: (id: string) => string },
  userZone: string,
  now: Date,
): string {
  const header = [
    'Notice id',
    'Title',
    'Platform',
    'Type',
    'Status',
    'Given at (UTC)',
    'Due at (UTC)',
    "Due in the notice's time zone",
    'Notice time zone',
    'Due in your time zone',
    'Your time zone',
    'Due in',
  ];
  const rows = notices.map((n) => [
    n.id,
    n.title,
    names.platform(n.platformId),
    names.type(n.type),
    STATUS_LABELS[n.status],
    n.givenAt ?? '',
    n.dueAt ?? '',
    n.dueAt ? formatInZone(n.dueAt, n.timeZone) : '',
    n.timeZone,
    n.dueAt ? formatInZone(n.dueAt, userZone) : '',
    userZone,
    n.dueAt ? dueInWords(n.dueAt, now).text : '',
  ]);
  return toCsv(header, rows);
}
