import { NoticePathSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { noticeLifecycle } from '../runtime/notice-lifecycle-dependencies';

const notices = noticeLifecycle();

/** GET /notices/{noticeId} — strongly consistent: a change is visible the moment it is acknowledged. */
export const handler = apiHandler({ authenticate, params: NoticePathSchema }, async ({ caller, params }) =>
  json(200, await notices.get(caller, params.noticeId)),
);
