import { NoticePathSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { submissionReader } from '../runtime/submission-dependencies';

// Reading needs neither the bucket nor the receipt key, which this function is not given.
const submissions = submissionReader();

/** GET /notices/{noticeId}/submissions — the notice's submissions, newest first. */
export const handler = apiHandler({ authenticate, params: NoticePathSchema }, async ({ caller, params }) =>
  json(200, { items: await submissions.list(caller, params.noticeId) }),
);
