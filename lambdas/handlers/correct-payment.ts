import { NoticePathSchema, PaymentCorrectionRequestSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { noticeLifecycle } from '../runtime/notice-lifecycle-dependencies';

const notices = noticeLifecycle();

/** POST /notices/{noticeId}/payment/correction — corrects or voids a recorded payment with a new event. */
export const handler = apiHandler(
  { authenticate, params: NoticePathSchema, body: PaymentCorrectionRequestSchema },
  async ({ caller, params, body, idempotencyKey }) =>
    json(200, await notices.correctPayment(caller, params.noticeId, body, idempotencyKey)),
);
