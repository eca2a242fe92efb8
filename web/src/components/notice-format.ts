import type { NoticeStatus } from '../api/types';

/** Plain-English names for statuses, as the pages and the CSV export show them. */
export const STATUS_LABELS: Record<NoticeStatus, string> = {
  draft: 'Draft',
  issued: 'Issued',
  acknowledged: 'Acknowledged',
  submitted: 'Response submitted',
  'under-review': 'Under review',
  'further-information-requested': 'Further information requested',
  accepted: 'Accepted',
  closed: 'Closed',
  withdrawn: 'Withdrawn',
  paid: 'Paid',
  unpaid: 'Not paid',
};

/** Statuses in which the platform still owes something by the due time (so "overdue" can apply). */
export const AWAITING_PLATFORM: readonly NoticeStatus[] = ['issued', 'acknowledged', 'further-information-requested'];

/** AgDS status-badge tones by status. */
export const STATUS_TONES: Record<NoticeStatus, 'neutral' | 'info' | 'success' | 'warning' | 'error'> = {
  draft: 'neutral',
  issued: 'info',
  acknowledged: 'info',
  submitted: 'warning',
  'under-review': 'warning',
  'further-information-requested': 'info',
  accepted: 'success',
  closed: 'neutral',
  withdrawn: 'neutral',
  paid: 'success',
  unpaid: 'error',
};

/** A moment in a named time zone, with the zone shown: "Tue 1 Dec 2026, 5:00 pm AEDT". */
export function formatInZone(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-AU', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(new Date(iso));
}

/**
 * " (Australia/Sydney)" after a time formatted in that zone, or nothing when the formatted time already ends with
 * the zone's name ("12:59 pm UTC"), so a page never says "UTC (UTC)".
 */
export function zoneNameSuffix(formatted: string, timeZone: string): string {
  return formatted.endsWith(` ${timeZone}`) ? '' : ` (${timeZone})`;
}

/** A time of day with its zone, 24-hour: "15:55 AEDT" (for "Saved at", where the day is today). */
export function formatClockInZone(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-AU', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).format(new Date(iso));
}

/** The calendar day an instant falls on in `timeZone`: "1 Dec 2026". */
export function formatDateInZone(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-AU', { timeZone, day: 'numeric', month: 'short', year: 'numeric' }).format(
    new Date(iso),
  );
}

/** The user's own time zone, as the browser reports it. */
export function userTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * "Due in 3 days", "Due in 5 hours", "Overdue by 2 days" — whole units, rounded towards the deadline so a notice
 * is never shown with more time than it has.
 */
export function dueInWords(dueAt: string, now: Date): { text: string; overdue: boolean } {
  const ms = new Date(dueAt).getTime() - now.getTime();
  const overdue = ms < 0;
  const abs = Math.abs(ms);
  const hours = abs / 3_600_000;
  const amount = hours < 48 ? Math.max(1, Math.floor(hours)) : Math.floor(hours / 24);
  const unit = hours < 48 ? (amount === 1 ? 'hour' : 'hours') : amount === 1 ? 'day' : 'days';
  if (abs < 3_600_000) return { text: overdue ? 'Overdue by less than an hour' : 'Due in less than an hour', overdue };
  return { text: overdue ? `Overdue by ${amount} ${unit}` : `Due in ${amount} ${unit}`, overdue };
}
