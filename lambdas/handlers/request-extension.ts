import { ExtensionRequestSchema, NoticePathSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { noticeLifecycle } from '../runtime/notice-lifecycle-dependencies';

const notices = noticeLifecycle();

/** POST /notices/{noticeId}/extensions — the platform asks for a later due time; 201 with the notice. */
export const handler = apiHandler(
  { authenticate, params: NoticePathSchema, body: ExtensionRequestSchema },
  async ({ caller, params, body, idempotencyKey }) =>
    json(201, await notices.requestExtension(caller, params.noticeId, body, idempotencyKey)),
);
