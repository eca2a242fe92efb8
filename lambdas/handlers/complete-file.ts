import { CompleteFileRequestSchema, FilePathSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/dependencies';
import { assertSubmissionConfig, submissionService as submissions } from '../runtime/submission-dependencies';

// Checked at cold start, so a missing setting stops the function with a clear message.
assertSubmissionConfig();

/** POST …/files/{fileIndex}/complete — assembles a multipart upload from its parts. */
export const handler = apiHandler(
  { authenticate, params: FilePathSchema, body: CompleteFileRequestSchema },
  async ({ caller, params, body }) => {
    return json(
      200,
      await submissions().completeFile(caller, params.noticeId, params.submissionId, params.fileIndex, body.parts),
    );
  },
);
