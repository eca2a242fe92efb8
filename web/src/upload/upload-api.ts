import { unwrap } from '../api/api-error';
import type { PortalApi } from '../api/client';
import type { Schemas, Submission } from '../api/types';

/** The API calls an upload makes, typed by the generated schema; the engine depends on this, not on fetch. */
export type UploadTarget = Schemas['UploadTarget'];
export type UploadedPart = Schemas['UploadedParts']['parts'][number];
export type DeclaredUpload = Schemas['OpenSubmissionRequest']['files'][number];
/** A part asked for with its SHA-256 (hex), which the portal binds into the part's URL. */
export type PartChecksum = { partNumber: number; sha256: string };

export interface UploadApi {
  openSubmission(
    noticeId: string,
    files: DeclaredUpload[],
    idempotencyKey: string,
  ): Promise<{ submission: Submission; uploads: UploadTarget[] }>;
  getSubmission(noticeId: string, submissionId: string): Promise<Submission>;
  uploadUrls(noticeId: string, submissionId: string, index: number, parts?: PartChecksum[]): Promise<UploadTarget>;
  listParts(noticeId: string, submissionId: string, index: number): Promise<UploadedPart[]>;
  completeFile(
    noticeId: string,
    submissionId: string,
    index: number,
    parts: { partNumber: number; etag: string; sha256?: string }[],
  ): Promise<Submission>;
}

export function uploadApi(api: PortalApi): UploadApi {
  const file = (noticeId: string, submissionId: string, fileIndex: number) => ({
    params: { path: { noticeId, submissionId, fileIndex } },
  });
  return {
    openSubmission: (noticeId, files, idempotencyKey) =>
      unwrap(
        api.POST('/notices/{noticeId}/submissions', {
          params: { path: { noticeId }, header: { 'Idempotency-Key': idempotencyKey } },
          body: { files },
        }),
      ),
    getSubmission: (noticeId, submissionId) =>
      unwrap(
        api.GET('/notices/{noticeId}/submissions/{submissionId}', { params: { path: { noticeId, submissionId } } }),
      ),
    uploadUrls: (noticeId, submissionId, index, parts) =>
      unwrap(
        api.POST('/notices/{noticeId}/submissions/{submissionId}/files/{fileIndex}/upload-urls', {
          ...file(noticeId, submissionId, index),
          body: parts ? { parts } : {},
        }),
      ),
    listParts: async (noticeId, submissionId, index) =>
      (
        await unwrap(
          api.GET(
            '/notices/{noticeId}/submissions/{submissionId}/files/{fileIndex}/parts',
            file(noticeId, submissionId, index),
          ),
        )
      ).parts,
    completeFile: (noticeId, submissionId, index, parts) =>
      unwrap(
        api.POST('/notices/{noticeId}/submissions/{submissionId}/files/{fileIndex}/complete', {
          ...file(noticeId, submissionId, index),
          body: { parts },
        }),
      ),
  };
}
