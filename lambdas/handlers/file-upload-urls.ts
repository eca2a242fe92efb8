import { FilePathSchema, UploadUrlsRequestSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/dependencies';
import { assertSubmissionConfig, submissionService as submissions } from '../runtime/submission-dependencies';

// Checked at cold start, so a missing setting stops the function with a clear message.
assertSubmissionConfig();

/** POST …/files/{fileIndex}/upload-urls — fresh presigned URLs (all parts, or those listed) to resume an upload. */
export const handler = apiHandler(
  { authenticate, params: FilePathSchema, body: UploadUrlsRequestSchema },
  async ({ caller, params, body }) => {
    return json(
      200,
      await submissions().uploadUrls(caller, params.noticeId, params.submissionId, params.fileIndex, body.parts),
    );
  },
);
