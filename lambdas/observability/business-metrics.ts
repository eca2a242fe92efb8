import type { NoticeEvent } from '../domain/notice-event';
import type { VerificationReport } from '../domain/pending-verification';
import type { RunReport } from '../domain/reminder-runner';
import { METRICS } from './metric-names';
import { countMetric, secondsMetric } from './metrics';

/**
 * The business metrics, each derived from what the domain reports (an event it committed, a run's report); the
 * domain itself knows nothing of metrics. Written when the invocation ends (instrumented-handler.ts).
 */

/** A notice event was committed: `issued` counts one notice issued. A replayed command commits nothing. */
export function noticeEventCommitted(event: NoticeEvent): void {
  if (event.kind === 'issued') countMetric(METRICS.noticesIssued);
}

/** One submission filed, by whichever function committed it. */
export function responseFiled(): void {
  countMetric(METRICS.responsesFiled);
}

/**
 * One reminder run: the reminders it delivered (0 when none were due), whether anything in it failed, and the
 * notices overdue now (`undefined` when they could not be counted: no gauge is better than a wrong one).
 * `witnessed` counts as sent: an earlier run sent it and died before it could record (or count) it.
 */
export function reminderRunFinished(report: RunReport | undefined, overdue: number | undefined): void {
  const sent = report?.sent.filter((s) => s.delivery === 'sent' || s.delivery === 'witnessed').length ?? 0;
  countMetric(METRICS.remindersSent, sent);
  countMetric(METRICS.reminderRunFailures, report && report.failures === 0 && overdue !== undefined ? 0 : 1);
  if (overdue !== undefined) countMetric(METRICS.overdueNotices, overdue);
}

/** One pending-verification run: how long its oldest waiting submission has waited (0 when none is waiting). */
export function pendingVerificationFinished(report: VerificationReport, now: Date): void {
  const since = report.oldestPendingSince ? Date.parse(report.oldestPendingSince) : Number.NaN;
  const age = Number.isNaN(since) ? 0 : Math.max(0, Math.round((now.getTime() - since) / 1000));
  secondsMetric(METRICS.oldestPendingHashAgeSeconds, age);
}
