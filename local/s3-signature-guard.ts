import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream';

/**
 * A reverse proxy that puts AWS Signature Version 4 in front of s3rver, which accepts tampered and even unsigned
 * requests. Every request is verified as S3 verifies it (header or presigned-URL auth, expiry, signed query and
 * headers) and only then forwarded unchanged, body streamed both ways, so a tampered or expired presigned upload is
 * refused locally exactly where AWS would refuse it.
 *
 * Verified: the signature over method, path, every query parameter, the signed headers and the declared payload
 * hash; access key, credential scope (date, region, `s3`, `aws4_request`); presigned expiry (`X-Amz-Expires`
 * 1..604800) and not-yet-valid dates; the 15-minute clock skew of header auth; that `host` and every `x-amz-*`
 * header are signed (an unsigned `x-amz-copy-source` would otherwise turn a presigned PUT into a copy).
 *
 * Not verified, unlike S3:
 * - The body against a hex `x-amz-content-sha256`: the declared hash is signed (so it cannot be swapped) but the
 *   bytes are streamed, not hashed; `XAmzContentSHA256Mismatch` never occurs. Nor are `Content-MD5` or
 *   `x-amz-checksum-*` values checked (s3rver ignores them too), so the portal must hash stored bytes itself.
 * - Chunk signatures of `aws-chunked` uploads (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`): only the seed
 *   signature in the Authorization header is checked; chunks and trailers pass through as sent.
 * - Signature Version 2, SigV4a and browser POST-policy uploads are refused rather than verified; so is a request
 *   dated only by a `Date` header (every SDK sends `x-amz-date`).
 * - CORS preflights (`OPTIONS` without credentials) pass unauthenticated, as they do on S3.
 * - Atomicity: when a client aborts mid-upload the guard aborts the upstream request too, but s3rver writes in
 *   place and keeps the truncated object (S3 would store nothing); no proxy can undo that.
 *
 * Addressing is path-style only: the Host header sent upstream is s3rver's own.
 */
export interface S3SignatureGuardOptions {
  /** The s3rver endpoint, e.g. `http://127.0.0.1:4569`. */
  upstream: string;
  /** Port to listen on (127.0.0.1); 0 picks a free one. */
  port: number;
  /** The only credentials accepted. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The region a credential scope must name. */
  region: string;
  /** Clock for expiry and skew checks. @default real time */
  now?: () => Date;
  /** Called for every refused request (nothing is logged otherwise). */
  onRefused?: (info: RefusedRequest) => void;
}

export interface RefusedRequest {
  method: string;
  /** The path without the query string, so no signature ends up in a log. */
  path: string;
  code: string;
  message: string;
}

export interface RunningS3SignatureGuard {
  endpoint: string;
  stop(): Promise<void>;
}

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
const STREAMING_PAYLOADS = new Set([
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
/** Connection-level headers: they describe one hop, not the request, and Node sets its own. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'expect',
  'te',
  'trailer',
]);

export async function startS3SignatureGuard(options: S3SignatureGuardOptions): Promise<RunningS3SignatureGuard> {
  const upstream = new URL(options.upstream);
  if (upstream.protocol !== 'http:')
    throw new Error(`The S3 signature guard proxies to http only: ${options.upstream}`);
  const now = options.now ?? (() => new Date());
  const agent = new Agent({ keepAlive: true });

  const handle = (request: IncomingMessage, response: ServerResponse, expectsContinue: boolean) => {
    const verdict = verifyS3Signature(
      { method: request.method ?? 'GET', url: request.url ?? '/', rawHeaders: request.rawHeaders },
      { credentials: options.credentials, region: options.region, now: now() },
    );
    if (!verdict.ok) {
      options.onRefused?.({
        method: request.method ?? 'GET',
        path: (request.url ?? '/').split('?')[0],
        code: verdict.code,
        message: verdict.message,
      });
      writeS3Error(response, verdict);
      // Read and discard whatever body follows so the client gets the error rather than a reset connection. A
      // client that asked for 100-continue is never told to send it; Node then closes the connection.
      if (!expectsContinue) request.resume();
      return;
    }
    forward(request, response, expectsContinue);
  };

  const forward = (request: IncomingMessage, response: ServerResponse, expectsContinue: boolean) => {
    const upstreamRequest = httpRequest({
      agent,
      hostname: upstream.hostname,
      port: upstream.port || 80,
      method: request.method,
      path: request.url,
      headers: forwardedHeaders(request.rawHeaders, upstream.host),
    });
    upstreamRequest.on('response', (upstreamResponse) => {
      response.writeHead(
        upstreamResponse.statusCode ?? 502,
        upstreamResponse.statusMessage,
        withoutHopByHop(upstreamResponse.rawHeaders),
      );
      pipeline(upstreamResponse, response, () => {});
    });
    upstreamRequest.on('error', (error) => {
      if (response.headersSent) {
        response.destroy(error);
        return;
      }
      request.unpipe(upstreamRequest);
      writeS3Error(response, {
        status: 503,
        code: 'ServiceUnavailable',
        message: `The local S3 server failed: ${error.message}`,
      });
      request.resume();
    });
    // A client that goes away mid-upload must not leave the upstream waiting for the rest of the body.
    request.on('close', () => {
      if (!request.complete) upstreamRequest.destroy();
    });
    if (expectsContinue) response.writeContinue();
    // pipe keeps backpressure: memory stays at a few socket buffers whatever the body size.
    request.pipe(upstreamRequest);
  };

  const server = createServer();
  server.on('request', (request, response) => handle(request, response, false));
  // Verify before telling the client to send its body, so a refused upload costs no transfer.
  server.on('checkContinue', (request, response) => handle(request, response, true));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

/** Verifies one request's SigV4 signature as S3 would; pure apart from the clock passed in. */
export function verifyS3Signature(request: ReceivedRequest, context: VerificationContext): Verdict {
  const parsed = parseTarget(request.url);
  if (!parsed) return refuse(400, 'InvalidURI', "Couldn't parse the specified URI.");
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
    // Browsers send CORS preflights without credentials; S3 answers them from the bucket's CORS rules.
    if (request.method === 'OPTIONS') return { ok: true };
    return refuse(403, 'AccessDenied', 'Access Denied');
  }
  return hasQueryAuth
    ? verifyPresigned(request.method, parsed, headers, context)
    : verifyAuthorizationHeader(request.method, parsed, headers, authorization!.join(','), context);
}

interface ParsedTarget {
  canonicalUri: string;
  /** Decoded name/value pairs in arrival order. */
  query: [string, string][];
}

function verifyPresigned(
  method: string,
  target: ParsedTarget,
  headers: Map<string, string[]>,
  context: VerificationContext,
): Verdict {
  const single = (name: string) => {
    const values = target.query.filter(([key]) => key === name);
    return values.length === 1 ? values[0][1] : undefined;
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

  const unsigned = unsignedHeaders(signedHeaders, headers);
  if (unsigned) return unsigned;
  // A presigned URL's body is unsigned, unless the signer bound a hash as a (signed) query parameter.
  const payloadHash = single('X-Amz-Content-Sha256') ?? UNSIGNED_PAYLOAD;
  const canonicalQuery = canonicalQueryString(target.query.filter(([key]) => key !== 'X-Amz-Signature'));
  return compareSignature(
    { method, target, canonicalQuery, headers, signedHeaders, payloadHash, amzDate, scope: scope.value },
    signature,
    context,
  );
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

  const unsigned = unsignedHeaders(signedHeaders, headers);
  if (unsigned) return unsigned;
  // For STREAMING-* payloads this is the seed signature; the per-chunk signatures that follow are not checked.
  const canonicalQuery = canonicalQueryString(target.query);
  return compareSignature(
    { method, target, canonicalQuery, headers, signedHeaders, payloadHash, amzDate, scope: scope.value },
    signature,
    context,
  );
}

/** Checks `AKID/yyyymmdd/region/s3/aws4_request` and returns the scope string (everything after the key). */
function checkScope(
  credential: string,
  amzDate: string,
  context: VerificationContext,
  malformed: (message: string) => Verdict,
): { value: string } | { verdict: Verdict } {
  const parts = credential.split('/');
  if (parts.length !== 5) {
    return {
      verdict: malformed('the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".'),
    };
  }
  const [accessKeyId, date, region, service, terminator] = parts;
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

/**
 * Splits the request target into the canonical URI and the decoded query. The path is decoded and re-encoded one
 * segment at a time, never normalised (no dot segments removed, no slashes merged): two spellings of the same key
 * reach the same object upstream, so they may share a signature; two different keys never can. Query values use
 * form decoding (`+` is a space) because that is how s3rver reads them.
 */
function parseTarget(url: string): ParsedTarget | undefined {
  if (!url.startsWith('/')) return undefined;
  const question = url.indexOf('?');
  const path = question < 0 ? url : url.slice(0, question);
  const search = question < 0 ? '' : url.slice(question + 1);
  try {
    const canonicalUri = path
      .split('/')
      .map((segment) => uriEncode(decodeURIComponent(segment)))
      .join('/');
    const query: [string, string][] = search
      .split('&')
      .filter((pair) => pair !== '')
      .map((pair) => {
        const equals = pair.indexOf('=');
        const name = equals < 0 ? pair : pair.slice(0, equals);
        const value = equals < 0 ? '' : pair.slice(equals + 1);
        return [formDecode(name), formDecode(value)];
      });
    return { canonicalUri, query };
  } catch {
    return undefined;
  }
}

function canonicalQueryString(query: [string, string][]): string {
  return query
    .map(([name, value]) => [uriEncode(name), uriEncode(value)])
    .sort(([a, x], [b, y]) => (a === b ? compare(x, y) : compare(a, b)))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/** AWS UriEncode: everything but A-Z a-z 0-9 - _ . ~ as %XX with upper-case hex. */
function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function headerValues(rawHeaders: readonly string[]): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    const values = headers.get(name);
    if (values) values.push(rawHeaders[i + 1]);
    else headers.set(name, [rawHeaders[i + 1]]);
  }
  return headers;
}

function parseAmzDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
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

function forwardedHeaders(rawHeaders: readonly string[], upstreamHost: string): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    if (HOP_BY_HOP.has(name) || name === 'host') continue;
    const existing = headers[name];
    if (existing === undefined) headers[name] = rawHeaders[i + 1];
    else headers[name] = [...(Array.isArray(existing) ? existing : [String(existing)]), rawHeaders[i + 1]];
  }
  // s3rver addresses path-style by IP; the signature was checked against the Host the client used.
  headers.host = upstreamHost;
  return headers;
}

function withoutHopByHop(rawHeaders: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (!HOP_BY_HOP.has(rawHeaders[i].toLowerCase())) kept.push(rawHeaders[i], rawHeaders[i + 1]);
  }
  return kept;
}

function writeS3Error(
  response: ServerResponse,
  error: { status: number; code: string; message: string; details?: Record<string, string> },
): void {
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  const details = Object.entries(error.details ?? {})
    .map(([name, value]) => `<${name}>${xmlEscape(value)}</${name}>`)
    .join('');
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${error.code}</Code><Message>${xmlEscape(error.message)}</Message>${details}` +
    `<RequestId>${requestId}</RequestId></Error>`;
  response.writeHead(error.status, {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(body),
    'x-amz-request-id': requestId,
  });
  response.end(body);
}

function xmlEscape(value: string): string {
  return value.replace(
    /[&<>"'\n]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\n': '&#10;' })[c] ?? c,
  );
}
