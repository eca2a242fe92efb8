import { SYSTEM_ACTOR } from './caller';
import { Conflict } from './errors';
import type { Mailer } from './mailer';
import type { Notice } from './notice';
import { sealEvent } from './notice-event';
import { applyEvent } from './notice-lifecycle';
import type { ReminderStore } from './reminder-store';
import { composeReminder, reminderDue, type ScheduledReminder } from './reminders';

export interface ReminderRunnerDeps {
  store: ReminderStore;
  mailer: Mailer;
  clock: () => Date;
  newRunId: () => string;
  /** Also told of every escalation, besides the issuing officer. */
  escalationEmail?: string;
  portalUrl?: string;
  /** How long a claim protects a reminder from other runs; longer than a send ever takes. @default 5 minutes */
  leaseMs?: number;
}

export interface SentReminder {
  noticeId: string;
  reminderId: string;
  kind: ScheduledReminder['kind'];
  recipients: string[];
  /** `witnessed` when an earlier run had sent it and died before recording it. */
  delivery: 'sent' | 'witnessed' | 'no-recipients';
}

export interface RunReport {
  runId: string;
  /** Notices read from the reminders-due index: the run's cost grows with this, not with all notices. */
  examined: number;
  sent: SentReminder[];
  skipped: { noticeId: string; reason: string }[];
  /** Reminders that failed in this run (also listed in `skipped`, as `failed: …`); a later run retries them. */
  failures: number;
}

/** A notice rarely has more than one reminder due in a run (a platform reminder and the escalation). */
const MAX_REMINDERS_PER_NOTICE = 3;
const MAX_RECORD_ATTEMPTS = 5;

/**
 * Sends the reminders that are due, each exactly once — with any number of concurrent runs, retries, and a crash
 * at any point:
 *
 * 1. claim the reminder with a conditional write (one run wins; a lease lets a later run take over from a dead one);
 * 2. send it — unless this run took over an expired claim and the mailer's witness says it was already accepted;
 * 3. record it as a `reminder-sent` event on the notice (the commit that moves the schedule on);
 * 4. mark the claim done.
 *
 * A crash after 2 is resolved by the witness in 2; after 3, the schedule has moved on and nothing is due.
 */
export class ReminderRunner {
  private readonly leaseMs: number;

  constructor(private readonly deps: ReminderRunnerDeps) {
    this.leaseMs = deps.leaseMs ?? 5 * 60_000;
  }

  async run(limit = 500): Promise<RunReport> {
    const runId = this.deps.newRunId();
    const now = this.deps.clock();
    const ids = await this.deps.store.dueForReminders(now, limit);
    const report: RunReport = { runId, examined: ids.length, sent: [], skipped: [], failures: 0 };
    for (const id of ids) {
      for (let i = 0; i < MAX_REMINDERS_PER_NOTICE; i++) {
        let outcome: { sent?: SentReminder; skipped?: string };
        try {
          outcome = await this.handleNext(id, runId, now);
        } catch (error) {
          // One notice's failure (a refused address, a throttled transport) must not starve the others; its claim
          // lapses and a later run tries again.
          outcome = { skipped: `failed: ${(error as Error).message}` };
          report.failures += 1;
        }
        if (outcome.sent) report.sent.push(outcome.sent);
        if (outcome.skipped) report.skipped.push({ noticeId: id, reason: outcome.skipped });
        if (!outcome.sent) break;
      }
    }
    return report;
  }

  /**
   * How many notices are overdue now: open (the platform still owes a response or payment) with the due time
   * passed. One `Select: COUNT` Query of the sparse open-by-due index, paged (NoticeStore.count), never a Scan.
   */
  countOverdue(): Promise<number> {
    const now = this.deps.clock().toISOString();
    return this.deps.store.count({ includeDrafts: true, open: true, dueBefore: now });
  }

  private async handleNext(id: string, runId: string, now: Date): Promise<{ sent?: SentReminder; skipped?: string }> {
    const { store, mailer, clock } = this.deps;
    const notice = await store.load(id);
    const reminder = notice && reminderDue(notice, now);
    if (!notice || !reminder) return {};
    // The lease runs from the claim itself, not from the start of a run that may already be minutes old.
    const claim = await store.claimReminder(id, reminder.id, runId, clock(), this.leaseMs);
    if (claim === 'busy' || claim === 'done') return { skipped: `reminder ${reminder.id} is ${claim}` };

    const message = composeReminder(notice, reminder, this.recipients(notice), clock(), this.deps.portalUrl);
    let delivery: SentReminder['delivery'];
    let transportId: string | undefined;
    if (claim === 'reclaimed' && (await mailer.wasSent(reminder.id))) {
      delivery = 'witnessed';
    } else if (message.to.length === 0) {
      // Still recorded, so the schedule moves on and the record shows nobody could be told.
      delivery = 'no-recipients';
    } else {
      transportId = (await mailer.send({ id: reminder.id, noticeId: id, ...message })).transportId;
      delivery = 'sent';
    }
    await this.record(id, reminder, message.to, delivery);
    await store.completeReminder(id, reminder.id, runId, transportId);
    return { sent: { noticeId: id, reminderId: reminder.id, kind: reminder.kind, recipients: message.to, delivery } };
  }

  private recipients(notice: Notice): { platform: string[]; regulator: string[] } {
    const regulator = [notice.issuedBy?.email, this.deps.escalationEmail].filter((e): e is string => !!e);
    return { platform: notice.contacts, regulator: [...new Set(regulator)] };
  }

  /** Appends `reminder-sent`, retrying when a user's change to the notice took the sequence number first. */
  private async record(
    id: string,
    reminder: ScheduledReminder,
    recipients: string[],
    delivery: SentReminder['delivery'],
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const notice = await this.deps.store.load(id);
      if (!notice || alreadyRecorded(notice, reminder)) return;
      const event = sealEvent(id, notice.version + 1, notice.lastEventHash, {
        kind: 'reminder-sent',
        at: this.deps.clock().toISOString(),
        actor: SYSTEM_ACTOR,
        data: {
          reminderId: reminder.id,
          reminderKind: reminder.kind,
          label: reminder.label,
          dueAt: reminder.dueAt,
          fireAt: reminder.fireAt,
          recipients,
          delivery,
        },
      });
      try {
        await this.deps.store.append(event, applyEvent(notice, event));
        return;
      } catch (error) {
        if (!(error instanceof Conflict) || attempt >= MAX_RECORD_ATTEMPTS) throw error;
      }
    }
  }
}

function alreadyRecorded(notice: Notice, reminder: ScheduledReminder): boolean {
  if (reminder.kind === 'escalation') return notice.escalation?.id === reminder.id;
  const last = notice.lastReminder;
  return !!last && last.dueAt === reminder.dueAt && last.fireAt >= reminder.fireAt;
}
