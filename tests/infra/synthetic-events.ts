import { ROUTES, type RouteDefinition } from '../../lambdas/api/routes';
import { ENV } from '../../lambdas/config/env';
import { ACCOUNT, REGION } from './synthesized-functions';

/**
 * Minimal events of the kinds AWS sends the portal's functions, one per function kind, for invoking a bundle once
 * (tests/infra/lambda-node24-parity.test.ts). Each has the shape of AWS's documented event with made-up but
 * well-formed values; none carries credentials, so protected routes stop at authentication.
 */

/** How each function is invoked on AWS. */
export type EventKind = 'http-api' | 'http-api-authorizer' | 'schedule' | 's3-object-created' | 'ses-eventbridge';

/**
 * The functions that are not routes, by handler, and what invokes them: a new one must be added here, so its
 * invocation is chosen, not guessed.
 */
export const BACKGROUND_EVENT_KINDS: Readonly<Record<string, EventKind>> = {
  'authorize-request': 'http-api-authorizer',
  'hash-uploaded-file': 's3-object-created',
  'record-email-delivery': 'ses-eventbridge',
  'run-reminders': 'schedule',
  'verify-pending-submissions': 'schedule',
  'repair-projections': 'schedule',
  'run-checkpoint': 'schedule',
  // Started by the evidence-bundle request with { noticeId, bundleId }, and swept by a schedule: the sweep.
  'build-evidence-bundle': 'schedule',
};

const TIME = '2026-01-05T01:02:03Z';
const EPOCH = Date.parse(TIME);
const NOTICE_ID = 'ntc_01KE5R3Q2W0000000000000000';
const SUBMISSION_ID = 'sub_01KE5R3Q2W0000000000000000';

/** A made-up value for each path parameter, by name; well-formed ids so the request gets past path parsing. */
const PATH_VALUES: Record<string, string> = {
  noticeId: NOTICE_ID,
  submissionId: SUBMISSION_ID,
  fileIndex: '0',
  seq: '1',
};

/** The route of a handler (the first, when several routes share one). */
export function routeOf(handler: string): RouteDefinition | undefined {
  return ROUTES.find((route) => route.handler === handler);
}

function requestContext(route: RouteDefinition, rawPath: string) {
  return {
    accountId: ACCOUNT,
    apiId: 'a1b2c3d4e5',
    domainName: `a1b2c3d4e5.execute-api.${REGION}.amazonaws.com`,
    domainPrefix: 'a1b2c3d4e5',
    http: {
      method: route.method,
      path: rawPath,
      protocol: 'HTTP/1.1',
      sourceIp: '192.0.2.10',
      userAgent: 'lambda-parity-test',
    },
    requestId: 'ZZZZZZZZZZZZZZZ=',
    routeKey: `${route.method} ${route.path}`,
    stage: '$default',
    time: '05/Jan/2026:01:02:03 +0000',
    timeEpoch: EPOCH,
  };
}

/** The route's path with every `{parameter}` filled in, and the parameters. */
function filledPath(route: RouteDefinition): { rawPath: string; pathParameters?: Record<string, string> } {
  const pathParameters: Record<string, string> = {};
  const rawPath = route.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = PATH_VALUES[name] ?? `${name}-1`;
    pathParameters[name] = value;
    return value;
  });
  return { rawPath, pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : undefined };
}

/** An HTTP API (payload format 2.0) request of `route`, without credentials or body. */
export function httpApiEvent(route: RouteDefinition): Record<string, unknown> {
  const { rawPath, pathParameters } = filledPath(route);
  return {
    version: '2.0',
    routeKey: `${route.method} ${route.path}`,
    rawPath,
    rawQueryString: '',
    headers: { host: `a1b2c3d4e5.execute-api.${REGION}.amazonaws.com`, 'user-agent': 'lambda-parity-test' },
    ...(pathParameters ? { pathParameters } : {}),
    requestContext: requestContext(route, rawPath),
    isBase64Encoded: false,
  };
}

/** An HTTP API Lambda REQUEST authorizer event (payload 2.0) with a bearer value that is not a token. */
export function authorizerEvent(): Record<string, unknown> {
  const route = ROUTES.find((r) => r.machineAccess) ?? ROUTES[0]!;
  const { rawPath, pathParameters } = filledPath(route);
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:${REGION}:${ACCOUNT}:a1b2c3d4e5/$default/${route.method}${rawPath}`,
    identitySource: ['Bearer not-a-token'],
    routeKey: `${route.method} ${route.path}`,
    rawPath,
    rawQueryString: '',
    headers: { authorization: 'Bearer not-a-token', 'user-agent': 'lambda-parity-test' },
    ...(pathParameters ? { pathParameters } : {}),
    requestContext: requestContext(route, rawPath),
  };
}

/** EventBridge's scheduled event. */
export function scheduledEvent(): Record<string, unknown> {
  return {
    version: '0',
    id: '11111111-2222-4333-8444-555555555555',
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: ACCOUNT,
    time: TIME,
    region: REGION,
    resources: [`arn:aws:events:${REGION}:${ACCOUNT}:rule/NoticePortal-Schedule`],
    detail: {},
  };
}

/** An S3 ObjectCreated notification of a response file, in the portal's object layout. */
export function s3ObjectCreatedEvent(bucket: string): Record<string, unknown> {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: REGION,
        eventTime: TIME,
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:AROAEXAMPLE' },
        requestParameters: { sourceIPAddress: '192.0.2.10' },
        responseElements: { 'x-amz-request-id': 'EXAMPLE123456789', 'x-amz-id-2': 'EXAMPLE' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'upload-hashing',
          bucket: { name: bucket, ownerIdentity: { principalId: 'EXAMPLE' }, arn: `arn:aws:s3:::${bucket}` },
          object: {
            key: `notices/${NOTICE_ID}/submissions/${SUBMISSION_ID}/0`,
            size: 1024,
            eTag: '0123456789abcdef0123456789abcdef',
            sequencer: '0A1B2C3D4E5F678901',
          },
        },
      },
    ],
  };
}

/** An SES "Email Sent" event of the reminder configuration set, as EventBridge delivers it. */
export function sesEmailSentEvent(configurationSet: string): Record<string, unknown> {
  return {
    version: '0',
    id: '22222222-3333-4444-8555-666666666666',
    'detail-type': 'Email Sent',
    source: 'aws.ses',
    account: ACCOUNT,
    time: TIME,
    region: REGION,
    resources: [],
    detail: {
      eventType: 'Send',
      mail: {
        timestamp: TIME,
        source: 'notices@regulator.example',
        messageId: '0100018c-example-message-id-000000',
        destination: ['platform@example.com'],
        tags: { 'ses:configuration-set': [configurationSet], emailId: ['email-parity-1'] },
      },
      send: {},
    },
  };
}

/**
 * The event to invoke `handler` with, from its route or {@link BACKGROUND_EVENT_KINDS}; `environment` is the
 * function's, for the names of what the event refers to (the bucket, the configuration set).
 */
export function syntheticEvent(handler: string, environment: Readonly<Record<string, string>>) {
  const route = routeOf(handler);
  if (route) return { kind: 'http-api' as EventKind, event: httpApiEvent(route) };
  const kind = BACKGROUND_EVENT_KINDS[handler];
  switch (kind) {
    case 'http-api-authorizer':
      return { kind, event: authorizerEvent() };
    case 'schedule':
      return { kind, event: scheduledEvent() };
    case 's3-object-created':
      return { kind, event: s3ObjectCreatedEvent(environment[ENV.responsesBucket] ?? 'responses-bucket') };
    case 'ses-eventbridge':
      return { kind, event: sesEmailSentEvent(environment[ENV.mailConfigurationSet] ?? 'reminders') };
    default:
      throw new Error(`${handler} is neither a route nor in BACKGROUND_EVENT_KINDS: say how AWS invokes it`);
  }
}
