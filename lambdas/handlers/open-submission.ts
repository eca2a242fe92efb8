import { NoticePathSchema } from '../api/contract';
import { OpenSubmissionRequestSchema } from '../domain/submission';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { submissionService } from '../runtime/submission-dependencies';

// Built at cold start, so a missing setting stops the function with a clear message.
const submissions = submissionService();

/** POST /notices/{noticeId}/submissions — 201 with an upload target per file; the bytes go straight to S3. */
export const handler = apiHandler(
  { authenticate, params: NoticePathSchema, body: OpenSubmissionRequestSchema },
  async ({ caller, params, body, idempotencyKey }) => {
    const { created, ...opened } = await submissions.open(caller, params.noticeId, body, idempotencyKey);
    return json(created ? 201 : 200, opened);
  },
);
