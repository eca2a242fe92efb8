import { NoticePathSchema, OptionalReasonSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { noticeService } from '../runtime/notice-dependencies';

const notices = noticeService();

/** POST /notices/{noticeId}/accept — the response under review is accepted. Body `{ "reason"? }`. */
export const handler = apiHandler(
  { authenticate, params: NoticePathSchema, body: OptionalReasonSchema },
  async ({ caller, params, body, idempotencyKey }) =>
    json(200, await notices.accept(caller, params.noticeId, body.reason, idempotencyKey)),
);
