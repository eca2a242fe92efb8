import { FilePathSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { submissionService } from '../runtime/submission-dependencies';

// Built at cold start, so a missing setting stops the function with a clear message.
const submissions = submissionService();

/** GET …/files/{fileIndex}/download — a presigned GET valid for five minutes. */
export const handler = apiHandler({ authenticate, params: FilePathSchema }, async ({ caller, params }) => {
  return json(200, await submissions.download(caller, params.noticeId, params.submissionId, params.fileIndex));
});
