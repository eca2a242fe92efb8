import { HistoryQuerySchema, NoticePathSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { noticeLifecycle } from '../runtime/notice-lifecycle-dependencies';

const notices = noticeLifecycle();

/** GET /notices/{noticeId}/history — the notice's events, oldest first, each linked to the one before by hash. */
export const handler = apiHandler(
  { authenticate, params: NoticePathSchema, query: HistoryQuerySchema },
  async ({ caller, params, query }) =>
    json(200, await notices.history(caller, params.noticeId, { limit: query.limit, cursor: query.cursor })),
);
