import { NoticePathSchema, OptionalReasonSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate, dependencies } from '../runtime/dependencies';

const { notices } = dependencies();

/** POST /notices/{noticeId}/accept — the response under review is accepted. Body `{ "reason"? }`. */
export const handler = apiHandler(
  { authenticate, params: NoticePathSchema, body: OptionalReasonSchema },
  async ({ caller, params, body, idempotencyKey }) =>
    json(200, await notices.accept(caller, params.noticeId, body.reason, idempotencyKey)),
);
