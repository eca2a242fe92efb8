import { NoticePathSchema, PaymentRecordRequestSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { noticeLifecycle } from '../runtime/notice-lifecycle-dependencies';

const notices = noticeLifecycle();

/** POST /notices/{noticeId}/payment — an infringement notice was paid. */
export const handler = apiHandler(
  { authenticate, params: NoticePathSchema, body: PaymentRecordRequestSchema },
  async ({ caller, params, body, idempotencyKey }) =>
    json(200, await notices.recordPayment(caller, params.noticeId, body, idempotencyKey)),
);
