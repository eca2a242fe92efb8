import { NoticePathSchema, OptionalReasonSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { noticeLifecycle } from '../runtime/notice-lifecycle-dependencies';

const notices = noticeLifecycle();

/** POST /notices/{noticeId}/close — an accepted notice is closed; nothing more is due. Body `{ "reason"? }`. */
export const handler = apiHandler(
  { authenticate, params: NoticePathSchema, body: OptionalReasonSchema },
  async ({ caller, params, body, idempotencyKey }) =>
    json(200, await notices.close(caller, params.noticeId, body.reason, idempotencyKey)),
);
