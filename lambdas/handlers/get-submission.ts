import { SubmissionPathSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/dependencies';
import { submissionService as submissions } from '../runtime/submission-dependencies';

/** GET /notices/{noticeId}/submissions/{submissionId} — files, verified hashes, and the receipt once filed. */
export const handler = apiHandler({ authenticate, params: SubmissionPathSchema }, async ({ caller, params }) => {
  return json(200, await submissions().get(caller, params.noticeId, params.submissionId));
});
