import { ExtensionGrantSchema, ExtensionPathSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { noticeLifecycle } from '../runtime/notice-lifecycle-dependencies';

const notices = noticeLifecycle();

/** POST /notices/{noticeId}/extensions/{extensionId}/grant — moves the due time and reschedules reminders. */
export const handler = apiHandler(
  { authenticate, params: ExtensionPathSchema, body: ExtensionGrantSchema },
  async ({ caller, params, body, idempotencyKey }) =>
    json(200, await notices.grantExtension(caller, params.noticeId, params.extensionId, body, idempotencyKey)),
);
