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
