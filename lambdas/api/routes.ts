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
  /**
   * File name under `lambdas/handlers/` (without `.ts`); the module exports `handler`. Routes that name the same
   * module share one function (the module tells them apart by `routeKey`), which saves the five or so
   * CloudFormation resources a function costs (role, policy, log group, function, permissions) against the
   * stack's limit of 500; they must then ask for the same access (`routeFunctions` checks).
   */
  handler: string;
  /** Public routes skip the JWT authorizer; every other route needs a valid token. */
  public: boolean;
  tableAccess: TableAccess;
  /** @default 'none' */
  bucketAccess?: BucketAccess;
  /** Signs receipts with the regulator's key (KMS on AWS). */
  signsReceipts?: boolean;
  /** Creates, disables or enables accounts in the identity provider (Cognito admin calls on AWS). */
  managesUsers?: boolean;
  /** Signs the portal's machine-client access tokens (kms:Sign on the token key on AWS). */
  signsAccessTokens?: boolean;
  /**
   * Also served on the machine API, for platforms' API clients (client-credentials tokens). Only what a platform
   * does; every regulator operation stays on the user API alone.
   */
  machineAccess?: boolean;
  summary: string;
}

export const ROUTES: readonly RouteDefinition[] = [
  {
    operationId: 'createDraft',
    method: 'POST',
    path: '/notices',
    handler: 'draft-writes',
    public: false,
    tableAccess: 'read-write',
    summary: 'Create a draft notice (regulator)',
  },
  {
    operationId: 'listNotices',
    machineAccess: true,
    method: 'GET',
    path: '/notices',
    handler: 'notice-lists',
    public: false,
    tableAccess: 'read',
    summary: 'List notices, soonest due first; platform users see only their own platform',
  },
  {
    operationId: 'countNotices',
    method: 'GET',
    // A literal path beside `/notices/{noticeId}`: API Gateway prefers the literal one, and so does the local router.
    path: '/notices/counts',
    handler: 'notice-lists',
    public: false,
    tableAccess: 'read',
    summary: 'Counts for the dashboard: notices per status, overdue, due within 7 days, extension requests (regulator)',
  },
  {
    operationId: 'getNotice',
    machineAccess: true,
    method: 'GET',
    path: '/notices/{noticeId}',
    handler: 'get-notice',
    public: false,
    tableAccess: 'read-write',
    summary: 'Get one notice',
  },
  {
    operationId: 'reviseDraft',
    method: 'POST',
    path: '/notices/{noticeId}/draft',
    handler: 'draft-writes',
    public: false,
    tableAccess: 'read-write',
    summary: "Replace a draft's content, from the version last read; recorded as a new event (regulator)",
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
    machineAccess: true,
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
    machineAccess: true,
    method: 'GET',
    path: '/notices/{noticeId}/history',
    handler: 'notice-history',
    public: false,
    tableAccess: 'read',
    summary: "A notice's events in order, hash-chained",
  },
  {
    operationId: 'startReview',
    method: 'POST',
    path: '/notices/{noticeId}/review',
    handler: 'start-review',
    public: false,
    tableAccess: 'read-write',
    summary: 'Start reviewing a submitted response (regulator)',
  },
  {
    operationId: 'requestFurtherInformation',
    method: 'POST',
    path: '/notices/{noticeId}/further-information',
    handler: 'request-further-information',
    public: false,
    tableAccess: 'read-write',
    summary: 'After review, ask for more by a new due time; the platform files again (regulator)',
  },
  {
    operationId: 'acceptResponse',
    method: 'POST',
    path: '/notices/{noticeId}/accept',
    handler: 'accept-response',
    public: false,
    tableAccess: 'read-write',
    summary: 'Accept the response under review (regulator)',
  },
  {
    operationId: 'closeNotice',
    method: 'POST',
    path: '/notices/{noticeId}/close',
    handler: 'close-notice',
    public: false,
    tableAccess: 'read-write',
    summary: 'Close a notice whose response was accepted (regulator)',
  },
  {
    operationId: 'requestExtension',
    machineAccess: true,
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
    operationId: 'correctPayment',
    method: 'POST',
    path: '/notices/{noticeId}/payment/correction',
    handler: 'correct-payment',
    public: false,
    tableAccess: 'read-write',
    summary: 'Correct or void a recorded payment, with a reason; recorded as a new event (regulator)',
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
    operationId: 'listNoticeTypes',
    machineAccess: true,
    method: 'GET',
    path: '/notice-types',
    handler: 'list-notice-types',
    public: false,
    // Reads only the caller's directory record (every request checks it); the catalogue is configuration.
    tableAccess: 'read',
    summary:
      'The notice types this portal issues: legal basis, what each demands, its clock, reminders, required fields',
  },
  {
    operationId: 'previewDueTime',
    method: 'POST',
    path: '/due-time-preview',
    handler: 'preview-due-time',
    public: false,
    // Writes nothing; reads only the caller's directory record (every request checks it).
    tableAccess: 'read',
    summary:
      'The due time and its explanation that issuing a draft with these terms would record, without saving anything (regulator)',
  },
  {
    operationId: 'createPlatform',
    method: 'POST',
    path: '/platforms',
    handler: 'create-platform',
    public: false,
    tableAccess: 'read-write',
    summary: 'Onboard a platform: legal name, trading names, jurisdiction, contacts for notices (regulator admin)',
  },
  {
    operationId: 'listPlatforms',
    method: 'GET',
    path: '/platforms',
    handler: 'list-platforms',
    public: false,
    tableAccess: 'read',
    summary: 'All onboarded platforms (regulators)',
  },
  {
    operationId: 'getPlatform',
    machineAccess: true,
    method: 'GET',
    path: '/platforms/{platformId}',
    handler: 'get-platform',
    public: false,
    tableAccess: 'read',
    summary: 'A platform with its provenance (regulators; its own users)',
  },
  {
    operationId: 'renamePlatform',
    method: 'POST',
    path: '/platforms/{platformId}/rename',
    handler: 'rename-platform',
    public: false,
    tableAccess: 'read-write',
    summary: 'Rename a platform; it keeps its id and notices, with a provenance record (regulator admin)',
  },
  {
    operationId: 'changePlatformContacts',
    method: 'POST',
    path: '/platforms/{platformId}/contacts',
    handler: 'change-platform-contacts',
    public: false,
    tableAccess: 'read-write',
    summary: "Change where a platform's notices are served (regulator admin)",
  },
  {
    operationId: 'mergePlatform',
    method: 'POST',
    path: '/platforms/{platformId}/merge',
    handler: 'merge-platform',
    public: false,
    tableAccess: 'read-write',
    summary: 'Merge a platform into its successor, whose users then see its notices (regulator admin)',
  },
  {
    operationId: 'inviteUser',
    method: 'POST',
    path: '/users',
    handler: 'invite-user',
    public: false,
    tableAccess: 'read-write',
    managesUsers: true,
    summary: 'Invite a regulator or platform user; the identity provider e-mails them (regulator admin)',
  },
  {
    operationId: 'listUsers',
    method: 'GET',
    path: '/users',
    handler: 'list-users',
    public: false,
    tableAccess: 'read',
    summary: 'Users, optionally of one platform (regulator admin)',
  },
  {
    operationId: 'disableUser',
    method: 'POST',
    path: '/users/{subject}/disable',
    handler: 'disable-user',
    public: false,
    tableAccess: 'read-write',
    managesUsers: true,
    summary: 'Disable a user at once: their tokens stop working on the next request (regulator admin)',
  },
  {
    operationId: 'enableUser',
    method: 'POST',
    path: '/users/{subject}/enable',
    handler: 'enable-user',
    public: false,
    tableAccess: 'read-write',
    managesUsers: true,
    summary: 'Enable a disabled user again (regulator admin)',
  },
  {
    operationId: 'createApiClient',
    method: 'POST',
    path: '/platforms/{platformId}/api-clients',
    handler: 'create-api-client',
    public: false,
    tableAccess: 'read-write',
    summary:
      'Create a machine client for a platform (client credentials; the secret is shown once; at most two active)',
  },
  {
    operationId: 'listApiClients',
    method: 'GET',
    path: '/platforms/{platformId}/api-clients',
    handler: 'list-api-clients',
    public: false,
    tableAccess: 'read',
    summary: "A platform's machine clients (regulator admin)",
  },
  {
    operationId: 'revokeApiClient',
    method: 'POST',
    path: '/platforms/{platformId}/api-clients/{clientId}/revoke',
    handler: 'revoke-api-client',
    public: false,
    tableAccess: 'read-write',
    summary: 'Revoke a machine client: its tokens stop working on the next request (regulator admin)',
  },
  {
    operationId: 'issueAccessToken',
    machineAccess: true,
    method: 'POST',
    path: '/oauth2/token',
    handler: 'issue-access-token',
    public: true,
    tableAccess: 'read',
    signsAccessTokens: true,
    summary: 'OAuth 2.0 client-credentials grant: a 15-minute access token for an active machine client',
  },
  {
    operationId: 'getAccessTokenKeys',
    machineAccess: true,
    method: 'GET',
    path: '/.well-known/jwks.json',
    handler: 'access-token-keys',
    public: true,
    tableAccess: 'none',
    summary: "The public keys of the portal's machine-client access tokens (JWKS)",
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
    machineAccess: true,
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
    machineAccess: true,
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
    machineAccess: true,
    method: 'GET',
    path: '/notices/{noticeId}/submissions/{submissionId}',
    handler: 'get-submission',
    public: false,
    tableAccess: 'read',
    summary: 'A submission: its files, their verified hashes, and its receipt once filed',
  },
  {
    operationId: 'getUploadUrls',
    machineAccess: true,
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
    machineAccess: true,
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
    machineAccess: true,
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
    machineAccess: true,
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
    machineAccess: true,
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
    machineAccess: true,
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
    machineAccess: true,
    method: 'GET',
    path: '/openapi.json',
    handler: 'openapi',
    public: true,
    tableAccess: 'none',
    summary: 'This API as an OpenAPI 3.1 document',
  },
  {
    operationId: 'getHealth',
    machineAccess: true,
    method: 'GET',
    path: '/health',
    handler: 'health',
    public: true,
    tableAccess: 'none',
    summary: 'Liveness check',
  },
];

/** The access fields that decide a function's grants: routes sharing a function must agree on all of them. */
const ACCESS_FIELDS = ['tableAccess', 'bucketAccess', 'signsReceipts', 'managesUsers', 'signsAccessTokens'] as const;

/**
 * The functions the routes need: one per handler module, with the routes it serves (in table order). Throws when
 * routes sharing a module ask for different access, since one function cannot have both.
 */
export function routeFunctions(
  routes: readonly RouteDefinition[] = ROUTES,
): { handler: string; routes: RouteDefinition[] }[] {
  const byHandler = new Map<string, RouteDefinition[]>();
  for (const route of routes) byHandler.set(route.handler, [...(byHandler.get(route.handler) ?? []), route]);
  return [...byHandler.entries()].map(([handler, served]) => {
    const [first, ...others] = served as [RouteDefinition, ...RouteDefinition[]];
    for (const other of others) {
      for (const field of ACCESS_FIELDS) {
        if (first[field] !== other[field]) {
          throw new Error(
            `Routes ${first.operationId} and ${other.operationId} share ${handler} but differ in ${field}`,
          );
        }
      }
    }
    return { handler, routes: served };
  });
}
