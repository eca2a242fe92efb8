import { ExtensionPathSchema, ReasonSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { noticeLifecycle } from '../runtime/notice-lifecycle-dependencies';

const notices = noticeLifecycle();

/** POST /notices/{noticeId}/extensions/{extensionId}/refuse — the due time stays; the reason is recorded. */
export const handler = apiHandler(
  { authenticate, params: ExtensionPathSchema, body: ReasonSchema },
  async ({ caller, params, body, idempotencyKey }) =>
    json(200, await notices.refuseExtension(caller, params.noticeId, params.extensionId, body.reason, idempotencyKey)),
);
