import { NoticePathSchema, WithdrawRequestSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { noticeLifecycle } from '../runtime/notice-lifecycle-dependencies';

const notices = noticeLifecycle();

/** POST /notices/{noticeId}/withdraw — body `{ "reason": "…" }`; the reason is part of the record. */
export const handler = apiHandler(
  { authenticate, params: NoticePathSchema, body: WithdrawRequestSchema },
  async ({ caller, params, body, idempotencyKey }) =>
    json(200, await notices.withdraw(caller, params.noticeId, body.reason, idempotencyKey)),
);
