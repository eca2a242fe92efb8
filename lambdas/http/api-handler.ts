import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { IdempotencyKeySchema } from '../api/idempotency-key';
import type { Caller } from '../domain/caller';
import {
  Conflict,
  DomainError,
  type FieldIssue,
  Forbidden,
  NotFound,
  Unauthenticated,
  ValidationFailed,
} from '../domain/errors';
import type * as z from '../domain/zod';
import { instrumented } from '../observability/instrumented-handler';
import { logger } from '../observability/logger';
import { ANONYMOUS_CALLER, setLoggedCaller, withRequestLogKeys } from '../observability/request-context';
import { firstDuplicateKey } from './duplicate-keys';

/** Bodies above this are refused with 413 before parsing: notices are text; documents go straight to S3. */
export const MAX_BODY_BYTES = 64 * 1024;

export type HttpResponse = APIGatewayProxyStructuredResultV2;
export type Authenticate = (authorizationHeader: string | undefined) => Promise<Caller>;

export interface HandlerSpec<P extends z.ZodMiniType, Q extends z.ZodMiniType, B extends z.ZodMiniType> {
  /** How to establish the caller; omitted for public routes. */
  authenticate?: () => Authenticate;
  params?: P;
  query?: Q;
  body?: B;
  /**
   * The body may be left out (the operation then parses `{}` with `body`): for an operation that grew an optional
   * field after clients already called it with no body.
   */
  bodyOptional?: boolean;
}

export interface HandlerInput<P, Q, B> {
  caller: Caller;
  params: P;
  query: Q;
  body: B;
  idempotencyKey?: string;
  /** When API Gateway received the request (requestContext.timeEpoch): the filed-at instant of a response. */
  receivedAt: Date;
  /** The portal's logger; its lines carry this request's id, route and caller (observability/request-context.ts). */
  log: Logger;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: FieldIssue[],
  ) {
    super(message);
  }
}

const ANONYMOUS: Caller = { subject: 'anonymous', roles: [] };

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

/**
 * Wraps one operation: authenticate → parse path, query and body with zod → run → map typed errors to HTTP.
 * A client mistake always gets a 4xx with field-level detail; anything unexpected is logged in full and answered
 * with a bare 500 that carries only the request id.
 */
export function apiHandler<P extends z.ZodMiniType, Q extends z.ZodMiniType, B extends z.ZodMiniType>(
  spec: HandlerSpec<P, Q, B>,
  run: (input: HandlerInput<z.output<P>, z.output<Q>, z.output<B>>) => Promise<HttpResponse>,
): (event: APIGatewayProxyEventV2, context?: Context) => Promise<HttpResponse> {
  // Resolved as the handler module loads: a function whose authentication is misconfigured fails at cold start.
  const authenticate = spec.authenticate?.();
  return instrumented(async (event) => {
    const requestId = event.requestContext?.requestId ?? 'unknown';
    const keys = { requestId, route: event.routeKey, caller: ANONYMOUS_CALLER };
    return withRequestLogKeys(keys, () => answer(spec, authenticate, run, event, requestId));
  });
}

async function answer<P extends z.ZodMiniType, Q extends z.ZodMiniType, B extends z.ZodMiniType>(
  spec: HandlerSpec<P, Q, B>,
  authenticate: Authenticate | undefined,
  run: (input: HandlerInput<z.output<P>, z.output<Q>, z.output<B>>) => Promise<HttpResponse>,
  event: APIGatewayProxyEventV2,
  requestId: string,
): Promise<HttpResponse> {
  let caller: Caller = ANONYMOUS;
  try {
    const headers = lowerCaseKeys(event.headers ?? {});
    if (authenticate) {
      caller = await authenticate(headers.authorization);
      setLoggedCaller(caller);
    }
    const params = parsePart('path', spec.params, event.pathParameters ?? {});
    const query = parsePart('query', spec.query, event.queryStringParameters ?? {});
    if (!spec.body) assertNoBody(event);
    const noBody = spec.bodyOptional && bodyBytes(event).length === 0;
    const body = spec.body
      ? parsePart('body', spec.body, noBody ? {} : readJsonBody(event, headers))
      : (undefined as z.output<B>);
    const idempotencyKey = parseIdempotencyKey(headers['idempotency-key']);
    const receivedAt = new Date(event.requestContext?.timeEpoch ?? Date.now());
    const response = await run({ caller, params, query, body, idempotencyKey, receivedAt, log: logger });
    logger.info('request completed', { status: response.statusCode });
    return response;
  } catch (error) {
    return failure(error, event, requestId);
  }
}

/** The answer to a request that failed: its status, logged once (refusals at warn, faults at error). */
function failure(error: unknown, event: APIGatewayProxyEventV2, requestId: string): HttpResponse {
  const http = toHttpError(error);
  if (http.status >= 500) {
    // The logger writes an `Error` as `error: { name, location, message, stack, cause }`.
    if (error instanceof Error) logger.error('request failed', error);
    else logger.error('request failed', { error: String(error) });
    return json(500, { error: { code: 'internal', message: 'Something went wrong on our side.', requestId } });
  }
  // Denials are logged once, with who (the request's caller key), what (its route) and why; the response says
  // no more than the client may know.
  logger.warn('request refused', { status: http.status, code: http.code, reason: http.message });
  // RFC 6750 §3.1: no error code when the request carried no credentials at all.
  const extra: Record<string, string> =
    http.status === 401
      ? {
          'www-authenticate': credentialsSent(event) ? 'Bearer error="invalid_token"' : 'Bearer realm="notice-portal"',
        }
      : {};
  return json(
    http.status,
    { error: { code: http.code, message: http.message, issues: http.issues, requestId } },
    extra,
  );
}

function credentialsSent(event: APIGatewayProxyEventV2): boolean {
  return Object.keys(event.headers ?? {}).some((name) => name.toLowerCase() === 'authorization');
}

function lowerCaseKeys(headers: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/** Fatal: invalid UTF-8 is an error, never silently replaced. RFC 8259 §8.1: JSON exchanged between systems is UTF-8. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function bodyBytes(event: APIGatewayProxyEventV2): Buffer {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) {
    throw new HttpError(413, 'payload-too-large', `The request body is larger than ${MAX_BODY_BYTES} bytes.`);
  }
  return bytes;
}

/**
 * An operation that takes no body refuses one: a client that sends data where none is read (a reason to the
 * wrong route, a body meant for another call) would otherwise believe it was recorded.
 */
function assertNoBody(event: APIGatewayProxyEventV2): void {
  if (bodyBytes(event).length > 0) {
    throw new HttpError(400, 'validation-failed', 'This operation takes no request body.', [
      { path: '', message: 'must be empty: this operation reads no body' },
    ]);
  }
}

function readJsonBody(event: APIGatewayProxyEventV2, headers: Record<string, string | undefined>): unknown {
  const bytes = bodyBytes(event);
  const contentType = headers['content-type'] ?? '';
  if (bytes.length > 0 && !/^application\/([a-z.+-]*\+)?json\b/i.test(contentType)) {
    throw new HttpError(415, 'unsupported-media-type', 'Send the request body as application/json.');
  }
  if (bytes.length === 0) {
    throw new HttpError(400, 'validation-failed', 'The request needs a JSON body.', [
      { path: '', message: 'a JSON body is required' },
    ]);
  }
  let decoded: string;
  try {
    decoded = UTF8.decode(bytes);
  } catch {
    // A lenient decoder would store U+FFFD in place of the bad bytes: text the sender never wrote.
    throw new HttpError(400, 'validation-failed', 'The request body is not valid UTF-8.', [
      { path: '', message: 'is not valid UTF-8' },
    ]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoded);
  } catch {
    throw new HttpError(400, 'validation-failed', 'The request body is not valid JSON.', [
      { path: '', message: 'is not valid JSON' },
    ]);
  }
  const duplicate = firstDuplicateKey(decoded);
  if (duplicate) {
    throw new HttpError(400, 'validation-failed', 'The request body names a field twice.', [
      {
        path: [...duplicate.path, duplicate.key].join('.'),
        message: 'appears more than once in its object: send each field once',
      },
    ]);
  }
  return parsed;
}

function parsePart<S extends z.ZodMiniType>(
  part: 'path' | 'query' | 'body',
  schema: S | undefined,
  value: unknown,
): z.output<S> {
  if (!schema) return undefined as z.output<S>;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const at = (path: PropertyKey[]) =>
    [part === 'body' ? undefined : part, ...path.map(String)].filter(Boolean).join('.') || part;
  // An unknown field is reported at its own path, so a client sees exactly which key to drop.
  const issues = parsed.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: at([...issue.path, key]), message: 'is not a known field' }))
      : [{ path: at(issue.path), message: issue.message }],
  );
  throw new ValidationFailed(issues, `The request ${part === 'path' ? 'path' : part} has invalid fields.`);
}

function parseIdempotencyKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const parsed = IdempotencyKeySchema.safeParse(value);
  if (!parsed.success) {
    throw new ValidationFailed([
      { path: 'header.idempotency-key', message: parsed.error.issues[0]?.message ?? 'is not valid' },
    ]);
  }
  return parsed.data;
}

function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof ValidationFailed) return new HttpError(400, error.code, error.message, error.issues);
  if (error instanceof Unauthenticated) return new HttpError(401, error.code, error.message);
  if (error instanceof Forbidden) return new HttpError(403, error.code, error.message);
  if (error instanceof NotFound) return new HttpError(404, error.code, error.message);
  if (error instanceof Conflict) return new HttpError(409, error.reason, error.message);
  if (error instanceof DomainError) return new HttpError(400, error.code, error.message);
  return new HttpError(500, 'internal', 'internal error');
}
