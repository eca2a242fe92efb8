import { NoticePathSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { noticeLifecycle } from '../runtime/notice-lifecycle-dependencies';

const notices = noticeLifecycle();

/** POST /notices/{noticeId}/acknowledge — the platform confirms it has received an issued notice. */
export const handler = apiHandler(
  { authenticate, params: NoticePathSchema },
  async ({ caller, params, idempotencyKey }) =>
    json(200, await notices.acknowledge(caller, params.noticeId, idempotencyKey)),
);
