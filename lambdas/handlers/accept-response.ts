import { NoticePathSchema, OptionalReasonSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { noticeLifecycle } from '../runtime/notice-lifecycle-dependencies';

const notices = noticeLifecycle();

/** POST /notices/{noticeId}/accept — the response under review is accepted. Body `{ "reason"? }`. */
export const handler = apiHandler(
  { authenticate, params: NoticePathSchema, body: OptionalReasonSchema },
  async ({ caller, params, body, idempotencyKey }) =>
    json(200, await notices.accept(caller, params.noticeId, body.reason, idempotencyKey)),
);
