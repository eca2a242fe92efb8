import { NoticePathSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { noticeService } from '../runtime/notice-dependencies';

const notices = noticeService();

/** POST /notices/{noticeId}/review — submitted → under review. */
export const handler = apiHandler(
  { authenticate, params: NoticePathSchema },
  async ({ caller, params, idempotencyKey }) =>
    json(200, await notices.startReview(caller, params.noticeId, idempotencyKey)),
);
