/**
 * The portal's business metrics: the runtime emits them (lambdas/observability/metrics.ts) and the CDK app alarms
 * and draws dashboards on them, so both import these names from here. This file imports nothing, so it can be
 * loaded by either side.
 */
export const METRIC_NAMESPACE = 'NoticePortal';
export const METRIC_SERVICE = 'notice-portal';
export const METRICS = {
  noticesIssued: 'NoticesIssued',
  responsesFiled: 'ResponsesFiled',
  remindersSent: 'RemindersSent',
  overdueNotices: 'OverdueNotices',
  reminderRunFailures: 'ReminderRunFailures',
  oldestPendingHashAgeSeconds: 'OldestPendingHashAgeSeconds',
} as const;
