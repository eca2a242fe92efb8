import { DueTimePreviewRequestSchema } from '../domain/notice';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { noticeService } from '../runtime/notice-dependencies';

const notices = noticeService();

/**
 * POST /due-time-preview — the due time and explanation that issuing a draft with these terms would record,
 * through the same deadline path as issue; nothing is written, so a form can call it on every change.
 */
export const handler = apiHandler({ authenticate, body: DueTimePreviewRequestSchema }, async ({ caller, body }) =>
  json(200, notices.previewDueTime(caller, body)),
);
