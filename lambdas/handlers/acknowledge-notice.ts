import { NoticePathSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { noticeService } from '../runtime/notice-dependencies';

const notices = noticeService();

/** POST /notices/{noticeId}/acknowledge — the platform confirms it has received an issued notice. */
export const handler = apiHandler(
  { authenticate, params: NoticePathSchema },
  async ({ caller, params, idempotencyKey }) =>
    json(200, await notices.acknowledge(caller, params.noticeId, idempotencyKey)),
);
