import { CompleteFileRequestSchema, FilePathSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { submissionService } from '../runtime/submission-dependencies';

// Built at cold start, so a missing setting stops the function with a clear message.
const submissions = submissionService();

/** POST …/files/{fileIndex}/complete — assembles a multipart upload from its parts. */
export const handler = apiHandler(
  { authenticate, params: FilePathSchema, body: CompleteFileRequestSchema },
  async ({ caller, params, body }) => {
    return json(
      200,
      await submissions.completeFile(caller, params.noticeId, params.submissionId, params.fileIndex, body.parts),
    );
  },
);
