import { FilePathSchema, UploadUrlsRequestSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { submissionService } from '../runtime/submission-dependencies';

// Built at cold start, so a missing setting stops the function with a clear message.
const submissions = submissionService();

/** POST …/files/{fileIndex}/upload-urls — fresh presigned URLs (all parts, or those listed) to resume an upload. */
export const handler = apiHandler(
  { authenticate, params: FilePathSchema, body: UploadUrlsRequestSchema },
  async ({ caller, params, body }) => {
    return json(
      200,
      await submissions.uploadUrls(caller, params.noticeId, params.submissionId, params.fileIndex, body.parts),
    );
  },
);
