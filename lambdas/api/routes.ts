/**
 * The HTTP API's routes: one table read by the CDK app (one Lambda function and one route each), by the local
 * portal (which dispatches to the same handler modules) and by the OpenAPI generator. Plain data, so the CDK app
 * can import it without loading any handler code.
 */
export type TableAccess = 'none' | 'read' | 'read-write';
/** What a function may do with the response bucket: presign uploads (and complete them), or presign downloads. */
export type BucketAccess = 'none' | 'upload' | 'read';

export interface RouteDefinition {
  operationId: string;
  method: 'GET' | 'POST';
  /** API Gateway path syntax: `{name}` marks a path parameter. */
  path: string;
  /** File name under `lambdas/handlers/` (without `.ts`); the module exports `handler`. */
  handler: string;
  /** Public routes skip the JWT authorizer; every other route needs a valid token. */
  public: boolean;
  tableAccess: TableAccess;
  /** @default 'none' */
  bucketAccess?: BucketAccess;
  /** Signs receipts with the regulator's key (KMS on AWS). */
  signsReceipts?: boolean;
  summary: string;
}

export const ROUTES: readonly RouteDefinition[] = [
  {
    operationId: 'createDraft',
    method: 'POST',
    path: '/notices',
    handler: 'create-draft',
    public: false,
    tableAccess: 'read-write',
    summary: 'Create a draft notice (regulator)',
  },
  {
    operationId: 'listNotices',
    method: 'GET',
    path: '/notices',
    handler: 'list-notices',
    public: false,
    tableAccess: 'read',
    summary: 'List notices, soonest due first; platform users see only their own platform',
  },
  {
    operationId: 'getNotice',
    method: 'GET',
    path: '/notices/{noticeId}',
    handler: 'get-notice',
    public: false,
    tableAccess: 'read-write',
    summary: 'Get one notice',
  },
  {
    operationId: 'issueNotice',
    method: 'POST',
    path: '/notices/{noticeId}/issue',
    handler: 'issue-notice',
    public: false,
    tableAccess: 'read-write',
    summary: 'Issue a draft notice: records the moment it is given and computes the due time (regulator)',
  },
  {
    operationId: 'acknowledgeNotice',
    method: 'POST',
    path: '/notices/{noticeId}/acknowledge',
    handler: 'acknowledge-notice',
    public: false,
    tableAccess: 'read-write',
    summary: 'Acknowledge receipt of an issued notice (platform)',
  },
  {
    operationId: 'withdrawNotice',
    method: 'POST',
    path: '/notices/{noticeId}/withdraw',
    handler: 'withdraw-notice',
    public: false,
    tableAccess: 'read-write',
    summary: 'Withdraw a notice, with a reason (regulator)',
  },
  {
    operationId: 'getNoticeHistory',
    method: 'GET',
    path: '/notices/{noticeId}/history',
    handler: 'notice-history',
    public: false,
    tableAccess: 'read',
    summary: "A notice's events in order, hash-chained",
  },
  {
    operationId: 'requestExtension',
    method: 'POST',
    path: '/notices/{noticeId}/extensions',
    handler: 'request-extension',
    public: false,
    tableAccess: 'read-write',
    summary: 'Ask for more time, with a reason and the due time wanted (platform)',
  },
  {
    operationId: 'grantExtension',
    method: 'POST',
    path: '/notices/{noticeId}/extensions/{extensionId}/grant',
    handler: 'grant-extension',
    public: false,
    tableAccess: 'read-write',
    summary: 'Grant an extension, possibly to a different due time; the only way a due time changes (regulator)',
  },
  {
    operationId: 'refuseExtension',
    method: 'POST',
    path: '/notices/{noticeId}/extensions/{extensionId}/refuse',
    handler: 'refuse-extension',
    public: false,
    tableAccess: 'read-write',
    summary: 'Refuse an extension, with a reason (regulator)',
  },
  {
    operationId: 'recordPayment',
    method: 'POST',
    path: '/notices/{noticeId}/payment',
    handler: 'record-payment',
    public: false,
    tableAccess: 'read-write',
    summary: 'Record that an infringement notice was paid (regulator)',
  },
  {
    operationId: 'recordNonPayment',
    method: 'POST',
    path: '/notices/{noticeId}/non-payment',
    handler: 'record-non-payment',
    public: false,
    tableAccess: 'read-write',
    summary: 'Record that the time for payment passed without payment (regulator)',
  },
  {
    operationId: 'registerSigningKey',
    method: 'POST',
    path: '/platforms/{platformId}/signing-keys',
    handler: 'register-signing-key',
    public: false,
    tableAccess: 'read-write',
    summary:
      "Register a platform's public signing key (JWK, Ed25519 or P-256) with its validity window (regulator admin)",
  },
  {
    operationId: 'listSigningKeys',
    method: 'GET',
    path: '/platforms/{platformId}/signing-keys',
    handler: 'list-signing-keys',
    public: false,
    tableAccess: 'read',
    summary: "A platform's signing keys, current and past (regulators; the platform itself)",
  },
  {
    operationId: 'revokeSigningKey',
    method: 'POST',
    path: '/platforms/{platformId}/signing-keys/{kid}/revoke',
    handler: 'revoke-signing-key',
    public: false,
    tableAccess: 'read-write',
    summary: 'Revoke a signing key from an effective time; later signatures are refused (regulator admin)',
  },
  {
    operationId: 'openSubmission',
    method: 'POST',
    path: '/notices/{noticeId}/submissions',
    handler: 'open-submission',
    public: false,
    tableAccess: 'read-write',
    bucketAccess: 'upload',
    summary: 'Open a response: declare the files and get an upload target for each, straight to S3 (platform)',
  },
  {
    operationId: 'getSubmission',
    method: 'GET',
    path: '/notices/{noticeId}/submissions/{submissionId}',
    handler: 'get-submission',
    public: false,
    tableAccess: 'read',
    summary: 'A submission: its files, their verified hashes, and its receipt once filed',
  },
  {
    operationId: 'getUploadUrls',
    method: 'POST',
    path: '/notices/{noticeId}/submissions/{submissionId}/files/{fileIndex}/upload-urls',
    handler: 'file-upload-urls',
    public: false,
    tableAccess: 'read',
    bucketAccess: 'upload',
    summary: 'Fresh upload URLs for a file (or some of its parts), to resume an interrupted upload (platform)',
  },
  {
    operationId: 'listUploadedParts',
    method: 'GET',
    path: '/notices/{noticeId}/submissions/{submissionId}/files/{fileIndex}/parts',
    handler: 'list-file-parts',
    public: false,
    tableAccess: 'read',
    bucketAccess: 'upload',
    summary: 'The parts of a multipart upload already stored, so a client can resume (platform)',
  },
  {
    operationId: 'completeFile',
    method: 'POST',
    path: '/notices/{noticeId}/submissions/{submissionId}/files/{fileIndex}/complete',
    handler: 'complete-file',
    public: false,
    tableAccess: 'read-write',
    bucketAccess: 'upload',
    summary: 'Complete a multipart upload from its parts (platform)',
  },
  {
    operationId: 'finalizeSubmission',
    method: 'POST',
    path: '/notices/{noticeId}/submissions/{submissionId}/finalize',
    handler: 'finalize-submission',
    public: false,
    tableAccess: 'read-write',
    bucketAccess: 'read',
    signsReceipts: true,
    summary: 'File the response: signed manifest in, signed receipt out (202 while file hashes are still computed)',
  },
  {
    operationId: 'downloadFile',
    method: 'GET',
    path: '/notices/{noticeId}/submissions/{submissionId}/files/{fileIndex}/download',
    handler: 'download-file',
    public: false,
    tableAccess: 'read',
    bucketAccess: 'read',
    summary: 'A short-lived download URL for a submitted file (regulators; the platform for its own)',
  },
  {
    operationId: 'getReceiptKeys',
    method: 'GET',
    path: '/.well-known/receipt-keys.json',
    handler: 'receipt-keys',
    public: true,
    tableAccess: 'none',
    signsReceipts: true,
    summary: "The regulator's public receipt keys (JWKS), to verify receipts offline",
  },
  {
    operationId: 'getOpenApi',
    method: 'GET',
    path: '/openapi.json',
    handler: 'openapi',
    public: true,
    tableAccess: 'none',
    summary: 'This API as an OpenAPI 3.1 document',
  },
  {
    operationId: 'getHealth',
    method: 'GET',
    path: '/health',
    handler: 'health',
    public: true,
    tableAccess: 'none',
    summary: 'Liveness check',
  },
];
