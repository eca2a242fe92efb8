import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { headerValues, type ParsedTarget, parseTarget, uriEncode } from './request-target';

/**
 * AWS Signature Version 4 as S3 checks it: header or presigned-URL auth, credential scope, expiry and clock skew,
 * that every `x-amz-*` header is signed, and the signature itself. Pure apart from the clock passed in.
 */

/** What the verifier needs from a request: exactly what arrived on the wire. */
export interface ReceivedRequest {
  method: string;
  /** Request target as received: path and query, still percent-encoded. */
  url: string;
  /** Header names and values alternating, as `IncomingMessage.rawHeaders`. */
  rawHeaders: readonly string[];
}

export type Verdict =
  | { ok: true }
  | { ok: false; status: number; code: string; message: string; details?: Record<string, string> };

export interface VerificationContext {
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  now: Date;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const SERVICE = 's3';
const TERMINATOR = 'aws4_request';
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** The aws-chunked payload markers whose seed signature is HMAC-SHA256 (SigV4a's ECDSA ones are refused). */
export const STREAMING_PAYLOADS = new Set([
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
]);
const MAX_EXPIRES_SECONDS = 604_800;
const MAX_SKEW_MS = 15 * 60_000;
const PRESIGN_PARAMETERS = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Signature',
  'X-Amz-Date',
  'X-Amz-SignedHeaders',
  'X-Amz-Expires',
] as const;

/** Verifies one request's SigV4 signature as S3 would; pure apart from the clock passed in. */
export function verifyS3Signature(request: ReceivedRequest, context: VerificationContext): Verdict {
  const parsed = parseTarget(request.url);
  if (!parsed) return refuse(400, 'InvalidURI', "Couldn't parse the specified URI.");
  // S3 answers a CORS preflight from the bucket's CORS rules alone and never authenticates it: a browser sends it
  // without the headers the real request will carry, so a presigned URL's signature cannot match an OPTIONS.
  if (request.method === 'OPTIONS') return { ok: true };
  const headers = headerValues(request.rawHeaders);
  const query = parsed.query;
  const hasQueryAuth = PRESIGN_PARAMETERS.some((name) => query.some(([key]) => key === name));
  const authorization = headers.get('authorization');

  if (authorization && hasQueryAuth) {
    return refuse(
      400,
      'InvalidArgument',
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
    );
  }
  if (!authorization && !hasQueryAuth) {
    const v2Query = query.some(([key]) => key === 'Signature' || key === 'AWSAccessKeyId');
    if (v2Query) return unsupportedMechanism();
    return refuse(403, 'AccessDenied', 'Access Denied');
  }
  return hasQueryAuth
    ? verifyPresigned(request.method, parsed, headers, context)
    : verifyAuthorizationHeader(request.method, parsed, headers, authorization!.join(','), context);
}

function verifyPresigned(
  method: string,
  target: ParsedTarget,
  headers: Map<string, string[]>,
  context: VerificationContext,
): Verdict {
  const single = (name: string) => {
    const values = target.query.filter(([key]) => key === name);
    return values.length === 1 ? values[0]?.[1] : undefined;
  };
  const malformed = (message: string) => refuse(400, 'AuthorizationQueryParametersError', message);
  if (single('X-Amz-Algorithm') !== ALGORITHM) return malformed('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  const [credential, signature, amzDate, signedHeaders, expires] = [
    'X-Amz-Credential',
    'X-Amz-Signature',
    'X-Amz-Date',
    'X-Amz-SignedHeaders',
    'X-Amz-Expires',
  ].map(single);
  if (
    credential === undefined ||
    signature === undefined ||
    amzDate === undefined ||
    signedHeaders === undefined ||
    expires === undefined
  ) {
    return malformed(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  }
  if (!/^-?\d+$/.test(expires)) return malformed('X-Amz-Expires should be a number');
  const expiresSeconds = Number(expires);
  if (expiresSeconds < 1) return malformed('X-Amz-Expires must be non-negative');
  if (expiresSeconds > MAX_EXPIRES_SECONDS) {
    return malformed('X-Amz-Expires must be less than a week (in seconds) that is 604800');
  }
  const signedAt = parseAmzDate(amzDate);
  if (!signedAt) return malformed(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
  const scope = checkScope(credential, amzDate, context, (message) =>
    malformed(`Error parsing the X-Amz-Credential parameter; ${message}`),
  );
  if ('verdict' in scope) return scope.verdict;

  const nowMs = context.now.getTime();
  if (nowMs > signedAt.getTime() + expiresSeconds * 1000) {
    return refuse(403, 'AccessDenied', 'Request has expired', {
      'X-Amz-Expires': expires,
      Expires: isoSeconds(new Date(signedAt.getTime() + expiresSeconds * 1000)),
      ServerTime: isoSeconds(context.now),
    });
  }
  if (signedAt.getTime() - nowMs > MAX_SKEW_MS) {
    return refuse(403, 'AccessDenied', 'Request is not valid yet', { ServerTime: isoSeconds(context.now) });
  }

  // A presigned URL's body is unsigned, unless the signer bound a hash as a (signed) query parameter.
  const payloadHash = single('X-Amz-Content-Sha256') ?? UNSIGNED_PAYLOAD;
  const canonicalQuery = canonicalQueryString(target.query.filter(([key]) => key !== 'X-Amz-Signature'));
  const input = { method, target, canonicalQuery, headers, signedHeaders, payloadHash, amzDate, scope: scope.value };
  return unsignedHeaders(signedHeaders, headers) ?? compareSignature(input, signature, context);
}

function verifyAuthorizationHeader(
  method: string,
  target: ParsedTarget,
  headers: Map<string, string[]>,
  authorization: string,
  context: VerificationContext,
): Verdict {
  const malformed = (message: string) =>
    refuse(400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; ${message}`);
  const space = authorization.indexOf(' ');
  const algorithm = space < 0 ? authorization : authorization.slice(0, space);
  if (algorithm === 'AWS') return unsupportedMechanism();
  if (algorithm !== ALGORITHM) return refuse(400, 'InvalidArgument', 'Unsupported Authorization Type');
  const components = new Map<string, string>();
  for (const part of authorization.slice(space + 1).split(',')) {
    const trimmed = part.trim();
    const equals = trimmed.indexOf('=');
    if (equals > 0) components.set(trimmed.slice(0, equals), trimmed.slice(equals + 1));
  }
  const credential = components.get('Credential');
  const signedHeaders = components.get('SignedHeaders');
  const signature = components.get('Signature');
  if (components.size !== 3 || credential === undefined || signedHeaders === undefined || signature === undefined) {
    return malformed('the authorization header requires three components: Credential, SignedHeaders, and Signature.');
  }

  const payloadHash = headers.get('x-amz-content-sha256')?.join(',');
  if (payloadHash === undefined) {
    return refuse(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  }
  if (
    !/^[0-9a-fA-F]{64}$/.test(payloadHash) &&
    payloadHash !== UNSIGNED_PAYLOAD &&
    !STREAMING_PAYLOADS.has(payloadHash)
  ) {
    return refuse(
      400,
      'InvalidArgument',
      'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, or a valid sha256 value.',
      { ArgumentName: 'x-amz-content-sha256', ArgumentValue: payloadHash },
    );
  }
  const amzDate = headers.get('x-amz-date')?.join(',');
  const signedAt = amzDate === undefined ? undefined : parseAmzDate(amzDate);
  if (amzDate === undefined || !signedAt) {
    return refuse(403, 'AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
  }
  const scope = checkScope(credential, amzDate, context, malformed);
  if ('verdict' in scope) return scope.verdict;
  if (Math.abs(context.now.getTime() - signedAt.getTime()) > MAX_SKEW_MS) {
    return refuse(
      403,
      'RequestTimeTooSkewed',
      'The difference between the request time and the current time is too large.',
      {
        RequestTime: amzDate,
        ServerTime: isoSeconds(context.now),
        MaxAllowedSkewMilliseconds: String(MAX_SKEW_MS),
      },
    );
  }

  // For STREAMING-* payloads this is the seed signature; the per-chunk signatures that follow are not checked.
  const canonicalQuery = canonicalQueryString(target.query);
  const input = { method, target, canonicalQuery, headers, signedHeaders, payloadHash, amzDate, scope: scope.value };
  return unsignedHeaders(signedHeaders, headers) ?? compareSignature(input, signature, context);
}

/** Checks `AKID/yyyymmdd/region/s3/aws4_request` and returns the scope string (everything after the key). */
function checkScope(
  credential: string,
  amzDate: string,
  context: VerificationContext,
  malformed: (message: string) => Verdict,
): { value: string } | { verdict: Verdict } {
  const [accessKeyId, date, region, service, terminator, ...extra] = credential.split('/');
  if (accessKeyId === undefined || terminator === undefined || extra.length > 0) {
    return {
      verdict: malformed('the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".'),
    };
  }
  if (accessKeyId !== context.credentials.accessKeyId) {
    return {
      verdict: refuse(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', {
        AWSAccessKeyId: accessKeyId,
      }),
    };
  }
  if (date !== amzDate.slice(0, 8)) {
    return { verdict: malformed('Invalid credential date. Date is not the same as X-Amz-Date.') };
  }
  if (region !== context.region) {
    return { verdict: malformed(`the region '${region}' is wrong; expecting '${context.region}'`) };
  }
  if (service !== SERVICE) {
    return { verdict: malformed(`incorrect service '${service}'. This endpoint belongs to '${SERVICE}'.`) };
  }
  if (terminator !== TERMINATOR) {
    return { verdict: malformed(`incorrect terminal '${terminator}'. This endpoint uses '${TERMINATOR}'.`) };
  }
  return { value: `${date}/${region}/${service}/${terminator}` };
}

/** S3 refuses a signature that leaves out the host or any x-amz-* header (x-amz-content-sha256 is tolerated). */
function unsignedHeaders(signedHeaders: string, headers: Map<string, string[]>): Verdict | undefined {
  const signed = new Set(signedHeaders.split(';').map((name) => name.toLowerCase()));
  const missing = [...headers.keys()].filter(
    (name) => (name === 'host' || name.startsWith('x-amz-')) && name !== 'x-amz-content-sha256' && !signed.has(name),
  );
  if (missing.length === 0) return undefined;
  return refuse(403, 'AccessDenied', 'There were headers present in the request which were not signed', {
    HeadersNotSigned: missing.join(', '),
  });
}

interface SignatureInput {
  method: string;
  target: ParsedTarget;
  canonicalQuery: string;
  headers: Map<string, string[]>;
  signedHeaders: string;
  payloadHash: string;
  amzDate: string;
  scope: string;
}

function compareSignature(input: SignatureInput, provided: string, context: VerificationContext): Verdict {
  const canonicalHeaders = input.signedHeaders
    .split(';')
    .map((name) => {
      const values = input.headers.get(name.toLowerCase()) ?? [];
      return `${name}:${values.map((value) => value.trim().replace(/\s+/g, ' ')).join(',')}\n`;
    })
    .join('');
  const canonicalRequest = [
    input.method,
    input.target.canonicalUri,
    input.canonicalQuery,
    canonicalHeaders,
    input.signedHeaders,
    input.payloadHash,
  ].join('\n');
  const stringToSign = [ALGORITHM, input.amzDate, input.scope, sha256Hex(canonicalRequest)].join('\n');
  const [date, region] = input.scope.split('/');
  if (date === undefined || region === undefined) throw new Error('invariant: checkScope gives "date/region/…"');
  let key = hmac(`AWS4${context.credentials.secretAccessKey}`, date);
  for (const part of [region, SERVICE, TERMINATOR]) key = hmac(key, part);
  const expected = hmac(key, stringToSign);
  const providedBytes = /^[0-9a-f]{64}$/.test(provided) ? Buffer.from(provided, 'hex') : undefined;
  if (providedBytes && timingSafeEqual(providedBytes, expected)) return { ok: true };
  // S3 returns what it signed, which is what a developer needs to find the difference.
  return refuse(
    403,
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    {
      AWSAccessKeyId: context.credentials.accessKeyId,
      StringToSign: stringToSign,
      SignatureProvided: provided,
      CanonicalRequest: canonicalRequest,
    },
  );
}

function canonicalQueryString(query: [string, string][]): string {
  return query
    .map(([name, value]): [string, string] => [uriEncode(name), uriEncode(value)])
    .sort(([a, x], [b, y]) => (a === b ? compare(x, y) : compare(a, b)))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function parseAmzDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  if (
    year === undefined ||
    month === undefined ||
    day === undefined ||
    hour === undefined ||
    minute === undefined ||
    second === undefined
  ) {
    return undefined; // the pattern makes all six groups present
  }
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Rejects 20250231T… and the like, which Date.UTC would silently roll over.
  return date.getUTCDate() === day && date.getUTCHours() === hour && date.getUTCMinutes() === minute ? date : undefined;
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

function hmac(key: string | Buffer, value: string): Buffer {
  return createHmac('sha256', key).update(value, 'utf8').digest();
}

function refuse(status: number, code: string, message: string, details?: Record<string, string>): Verdict {
  return { ok: false, status, code, message, details };
}

function unsupportedMechanism(): Verdict {
  return refuse(
    400,
    'InvalidRequest',
    'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.',
  );
}
