import { MULTIPART_PARTS } from './fixtures';
import type { RequestTemplate } from './request-template';
import { manifestFor, readyToFinalize } from './resources';

/** Request templates for responses: submissions, uploads, filing, downloads. */

export const SUBMISSION_TEMPLATES: RequestTemplate[] = [
  // submissions
  {
    id: 'openSubmission',
    operationId: 'openSubmission',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId }),
    body: () => ({
      files: [{ name: 'response.pdf', size: 10, sha256: 'a'.repeat(64), contentType: 'application/pdf' }],
    }),
    ok: [201],
  },
  {
    id: 'listSubmissions',
    operationId: 'listSubmissions',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId }),
    ok: [200],
  },
  {
    id: 'getSubmission',
    operationId: 'getSubmission',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId, submissionId: p.submissionId }),
    ok: [200],
  },
  {
    id: 'getUploadUrls',
    operationId: 'getUploadUrls',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId, submissionId: p.submissionId, fileIndex: '0' }),
    body: () => ({}),
    ok: [200],
  },
  {
    id: 'listUploadedParts',
    operationId: 'listUploadedParts',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId, submissionId: p.multipartSubmissionId, fileIndex: '0' }),
    ok: [200],
  },
  {
    // No part was uploaded, so S3 refuses to assemble: an allowed caller gets 400 naming the parts.
    id: 'completeFile',
    operationId: 'completeFile',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId, submissionId: p.multipartSubmissionId, fileIndex: '0' }),
    body: () => ({
      parts: Array.from({ length: MULTIPART_PARTS }, (_, i) => ({ partNumber: i + 1, etag: `"etag-${i + 1}"` })),
    }),
    ok: [400],
  },
  {
    id: 'finalizeSubmission',
    operationId: 'finalizeSubmission',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId, submissionId: p.submissionId }),
    body: ({ p }) => ({
      manifest: manifestFor(p.issuedNoticeId, p.submissionId, [{ name: p.fileName, size: 1, sha256: '0'.repeat(64) }]),
      signature: 'eyJhbGciOiJFZERTQSJ9..AAAA',
    }),
    allowed: async ({ h, p }) => {
      const ready = await readyToFinalize(h, p);
      return { params: { noticeId: ready.noticeId, submissionId: ready.submissionId }, body: ready.body };
    },
    ok: [200, 202],
  },
  {
    id: 'downloadFile',
    operationId: 'downloadFile',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId, submissionId: p.submissionId, fileIndex: '0' }),
    ok: [200],
  },
];
