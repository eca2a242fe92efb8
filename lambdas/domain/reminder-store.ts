import type { NoticeStore } from './notice-store';

/** What the reminder run needs from storage beyond the notice store. */
export interface ReminderStore extends NoticeStore {
  dueForReminders(now: Date, limit: number): Promise<string[]>;
  claimReminder(
    noticeId: string,
    reminderId: string,
    runId: string,
    now: Date,
    leaseMs: number,
  ): Promise<'claimed' | 'reclaimed' | 'busy' | 'done'>;
  completeReminder(noticeId: string, reminderId: string, runId: string, transportId?: string): Promise<void>;
}
