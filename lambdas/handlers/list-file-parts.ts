import { FilePathSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { submissionService } from '../runtime/submission-dependencies';

// Built at cold start, so a missing setting stops the function with a clear message.
const submissions = submissionService();

/** GET …/files/{fileIndex}/parts — the parts S3 already holds, so a client uploads only the rest. */
export const handler = apiHandler({ authenticate, params: FilePathSchema }, async ({ caller, params }) => {
  return json(200, {
    parts: await submissions.uploadedParts(caller, params.noticeId, params.submissionId, params.fileIndex),
  });
});
