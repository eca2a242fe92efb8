import { SubmissionPathSchema } from '../api/contract';
import { FinalizeRequestSchema } from '../domain/submission';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { submissionService } from '../runtime/submission-dependencies';

const submissions = submissionService();

/**
 * POST /notices/{noticeId}/submissions/{submissionId}/finalize — verifies the signed manifest and files the
 * response: 200 with the signed receipt, or 202 while the portal is still hashing stored files (poll the
 * submission). Filed-at is the moment API Gateway received this request.
 */
export const handler = apiHandler(
  { authenticate, params: SubmissionPathSchema, body: FinalizeRequestSchema },
  async ({ caller, params, body, receivedAt }) => {
    const outcome = await submissions.finalize(caller, params.noticeId, params.submissionId, body, receivedAt);
    return json(outcome.status === 'filed' ? 200 : 202, outcome);
  },
);
