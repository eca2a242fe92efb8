import { createHash } from 'node:crypto';
import { AWAITING_RESPONSE, type Notice } from './notice';
import type { ReminderOffset } from './notice-catalogue';
import { describeInstant } from './zoned-time';

/**
 * When a notice's reminders fire. A schedule is a pure function of the notice: its due time, when that due time
 * was set (issue, or a granted extension), its type's reminder policy, and the last reminder already handled for
 * that due time. So a granted extension reschedules everything outstanding simply by changing the due time, and a
 * withdrawn or closed notice has no schedule at all.
 */
export type ReminderKind = 'before-due' | 'at-due' | 'escalation';

export interface ScheduledReminder {
  /** Stable for this notice, due time and offset: the same reminder always has the same id. */
  id: string;
  kind: ReminderKind;
  /** The due time this reminder is about; a granted extension makes a new schedule. */
  dueAt: string;
  fireAt: string;
  /** "7 days before the due time" */
  label: string;
  audience: 'platform' | 'regulator';
}

const UNIT_MS: Record<ReminderOffset['unit'], number> = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

function offsetMs(offset: ReminderOffset): number {
  return offset.amount * UNIT_MS[offset.unit];
}

function describeOffset(offset: ReminderOffset): string {
  const unit = offset.amount === 1 ? offset.unit.replace(/s$/, '') : offset.unit;
  return `${offset.amount} ${unit}`;
}

export function reminderId(noticeId: string, dueAt: string, kind: ReminderKind, offset: ReminderOffset | null): string {
  const digest = createHash('sha256')
    .update(`${noticeId}|${dueAt}|${kind}|${offset ? `${offset.amount}${offset.unit}` : ''}`)
    .digest('hex')
    .slice(0, 32);
  return `rmd_${digest}`;
}

/**
 * Every reminder of the notice's current due time that fires after that due time was set, in firing order. A
 * 7-day reminder for a notice given 24 hours before it is due never fires.
 */
export function reminderSchedule(notice: Notice): ScheduledReminder[] {
  const { dueAt, dueSetAt, reminderPolicy } = notice;
  if (!dueAt || !dueSetAt || !reminderPolicy) return [];
  const due = Date.parse(dueAt);
  const entries: ScheduledReminder[] = [];
  for (const offset of reminderPolicy.beforeDue) {
    entries.push({
      id: reminderId(notice.id, dueAt, 'before-due', offset),
      kind: 'before-due',
      dueAt,
      fireAt: new Date(due - offsetMs(offset)).toISOString(),
      label: `${describeOffset(offset)} before the due time`,
      audience: 'platform',
    });
  }
  if (reminderPolicy.atDue) {
    entries.push({
      id: reminderId(notice.id, dueAt, 'at-due', null),
      kind: 'at-due',
      dueAt,
      fireAt: dueAt,
      label: 'at the due time',
      audience: 'platform',
    });
  }
  if (reminderPolicy.escalateAfter) {
    const offset = reminderPolicy.escalateAfter;
    entries.push({
      id: reminderId(notice.id, dueAt, 'escalation', offset),
      kind: 'escalation',
      dueAt,
      // Overdue means strictly after the due time: an escalation with no delay fires 1 ms after it.
      fireAt: new Date(due + Math.max(offsetMs(offset), 1)).toISOString(),
      label: offset.amount === 0 ? 'when overdue' : `${describeOffset(offset)} overdue`,
      audience: 'regulator',
    });
  }
  const setAt = Date.parse(dueSetAt);
  return entries
    .filter((e) => Date.parse(e.fireAt) > setAt)
    .sort((a, b) => a.fireAt.localeCompare(b.fireAt) || a.kind.localeCompare(b.kind));
}

/**
 * Reminders not yet handled for the current due time (none once the notice no longer awaits a response). The
 * platform's reminders and the escalation to the regulator are tracked apart: one never stands in for the other.
 */
export function outstandingReminders(notice: Notice): ScheduledReminder[] {
  if (!AWAITING_RESPONSE.includes(notice.status)) return [];
  const last = notice.lastReminder;
  const handled = last && last.dueAt === notice.dueAt ? last.fireAt : undefined;
  const escalated = notice.escalation?.dueAt === notice.dueAt;
  return reminderSchedule(notice).filter((r) =>
    r.kind === 'escalation' ? !escalated : handled === undefined || r.fireAt > handled,
  );
}

/** When the next reminder fires, for the sparse index the reminder run reads. */
export function nextReminderAt(notice: Notice): string | undefined {
  return outstandingReminders(notice)[0]?.fireAt;
}

/**
 * The reminder to send now. Of the platform's reminders that have come due only the latest is sent, so after an
 * outage the platform gets one "due tomorrow", not a burst of "due in 7 days", "in 2 days", "tomorrow". The
 * escalation goes out once the platform's reminders are handled.
 */
export function reminderDue(notice: Notice, now: Date): ScheduledReminder | undefined {
  const due = outstandingReminders(notice).filter((r) => Date.parse(r.fireAt) <= now.getTime());
  const platform = due.filter((r) => r.audience === 'platform');
  return platform[platform.length - 1] ?? due.find((r) => r.kind === 'escalation');
}

export interface ReminderMessage {
  to: string[];
  subject: string;
  text: string;
}

/** The words of a reminder: what is due, when (in the notice's zone and UTC), and under which provision. */
export function composeReminder(
  notice: Notice,
  reminder: ScheduledReminder,
  recipients: { platform: string[]; regulator: string[] },
  now: Date,
  portalUrl?: string,
): ReminderMessage {
  const due = notice.dueAt ? describeInstant(new Date(notice.dueAt), notice.timeZone) : 'not set';
  const link = portalUrl ? `\n\nOpen the notice: ${portalUrl}/notices/${notice.id}` : '';
  if (reminder.audience === 'regulator') {
    return {
      to: recipients.regulator,
      subject: `Overdue: ${notice.title} (${notice.platformId})`,
      text:
        `The notice "${notice.title}" given to ${notice.platformId} under ${notice.legalBasis} was due ${due} ` +
        `(${notice.dueAt}) and no response has been submitted.\n\nNotice ${notice.id}; status ${notice.status}.` +
        link,
    };
  }
  // Sent late (after an outage), an at-due reminder says when the notice fell due rather than "now".
  const late = notice.dueAt !== undefined && now.getTime() - Date.parse(notice.dueAt) > 15 * 60_000;
  const when = reminder.kind !== 'at-due' ? `is due ${due}` : late ? `fell due ${due}` : 'is due now';
  return {
    to: recipients.platform,
    subject: `Reminder: ${notice.title} ${when}`,
    text:
      `This is a reminder (${reminder.label}) that the notice "${notice.title}", given under ` +
      `${notice.legalBasis}, ${when} (${notice.dueAt}).\n\n${notice.consequences}\n\nNotice ${notice.id}.` +
      link,
  };
}
