import { FurtherInformationRequestSchema, NoticePathSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { noticeLifecycle } from '../runtime/notice-lifecycle-dependencies';

const notices = noticeLifecycle();

/** POST /notices/{noticeId}/further-information — `{ "dueAt", "reason" }`; the clock runs again to the new time. */
export const handler = apiHandler(
  { authenticate, params: NoticePathSchema, body: FurtherInformationRequestSchema },
  async ({ caller, params, body, idempotencyKey }) =>
    json(200, await notices.requestFurtherInformation(caller, params.noticeId, body, idempotencyKey)),
);
