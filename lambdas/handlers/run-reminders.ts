import type { RunReport } from '../domain/reminder-runner';
import { reminderRunFinished } from '../observability/business-metrics';
import { instrumented } from '../observability/instrumented-handler';
import { logger } from '../observability/logger';
import { reminderRunner } from '../runtime/reminder-dependencies';

const reminders = reminderRunner();

/**
 * Scheduled every few minutes (EventBridge on AWS, an interval in the local portal): sends the reminders and
 * escalations that are due. Safe to run concurrently and to retry; see ReminderRunner.
 */
export const handler = instrumented(async (): Promise<RunReport> => {
  let report: RunReport | undefined;
  try {
    report = await reminders.run();
    logger.info('reminder run', {
      runId: report.runId,
      examined: report.examined,
      sent: report.sent.map((s) => ({ noticeId: s.noticeId, kind: s.kind, delivery: s.delivery })),
      skipped: report.skipped,
    });
    return report;
  } finally {
    // Every run, also one that failed: the alarms read a missing datapoint as a run that did not happen.
    const overdue = await reminders.countOverdue().catch((error: unknown) => {
      logger.error('overdue notices not counted', { error: String(error) });
      return undefined;
    });
    reminderRunFinished(report, overdue);
  }
});
