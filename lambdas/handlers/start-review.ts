import { NoticePathSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { noticeLifecycle } from '../runtime/notice-lifecycle-dependencies';

const notices = noticeLifecycle();

/** POST /notices/{noticeId}/review — submitted → under review. */
export const handler = apiHandler(
  { authenticate, params: NoticePathSchema },
  async ({ caller, params, idempotencyKey }) =>
    json(200, await notices.startReview(caller, params.noticeId, idempotencyKey)),
);
