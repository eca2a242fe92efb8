import { NoticePathSchema, ReasonSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { noticeLifecycle } from '../runtime/notice-lifecycle-dependencies';

const notices = noticeLifecycle();

/** POST /notices/{noticeId}/non-payment — the time for payment passed unpaid (only after it has). */
export const handler = apiHandler(
  { authenticate, params: NoticePathSchema, body: ReasonSchema },
  async ({ caller, params, body, idempotencyKey }) =>
    json(200, await notices.recordNonPayment(caller, params.noticeId, body.reason, idempotencyKey)),
);
