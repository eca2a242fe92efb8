import type { RunReport } from '../domain/reminder-runner';
import { logger } from '../http/logger';
import { reminderRunner } from '../runtime/reminder-dependencies';

const reminders = reminderRunner();

/**
 * Scheduled every few minutes (EventBridge on AWS, an interval in the local portal): sends the reminders and
 * escalations that are due. Safe to run concurrently and to retry; see ReminderRunner.
 */
export const handler = async (): Promise<RunReport> => {
  const report = await reminders.run();
  logger.info('reminder run', {
    runId: report.runId,
    examined: report.examined,
    sent: report.sent.map((s) => ({ noticeId: s.noticeId, kind: s.kind, delivery: s.delivery })),
    skipped: report.skipped,
  });
  return report;
};
