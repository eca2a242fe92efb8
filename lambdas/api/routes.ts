/**
 * The HTTP API's routes: one table read by the CDK app (one Lambda function and one route each), by the local
 * portal (which dispatches to the same handler modules) and by the OpenAPI generator. Plain data, so the CDK app
 * can import it without loading any handler code.
 */
export type TableAccess = 'none' | 'read' | 'read-write';

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
