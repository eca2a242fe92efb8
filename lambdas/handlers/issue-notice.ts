import { NoticePathSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { noticeService } from '../runtime/notice-dependencies';

const notices = noticeService();

/** POST /notices/{noticeId}/issue — records the moment of giving and the due time with its explanation. */
export const handler = apiHandler(
  { authenticate, params: NoticePathSchema },
  async ({ caller, params, idempotencyKey }) => json(200, await notices.issue(caller, params.noticeId, idempotencyKey)),
);
