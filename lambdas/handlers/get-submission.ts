import { SubmissionPathSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { submissionReader } from '../runtime/submission-dependencies';

// Reading needs neither the bucket nor the receipt key, which this function is not given.
const submissions = submissionReader();

/** GET /notices/{noticeId}/submissions/{submissionId} — files, verified hashes, and the receipt once filed. */
export const handler = apiHandler({ authenticate, params: SubmissionPathSchema }, async ({ caller, params }) => {
  return json(200, await submissions.get(caller, params.noticeId, params.submissionId));
});
