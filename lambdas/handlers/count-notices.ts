import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { noticeLifecycle } from '../runtime/notice-lifecycle-dependencies';

const notices = noticeLifecycle();

/** GET /notices/counts — the regulators' dashboard numbers: per status, overdue, due within 7 days, extensions. */
export const handler = apiHandler({ authenticate }, async ({ caller }) => json(200, await notices.counts(caller)));
