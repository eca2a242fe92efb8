import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline, type Readable, Transform } from 'node:stream';
import { pipeline as pipelineAsync } from 'node:stream/promises';

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
 * The body of a PUT (PutObject or UploadPart) that carries `x-amz-checksum-sha256` is verified as S3 verifies it,
 * because the portal binds each file's declared SHA-256 into its presigned PUT and relies on storage refusing other
 * bytes: the body is written to a temporary file while it is hashed (memory stays flat whatever its size), and only
 * when it matches is it forwarded to s3rver; otherwise the answer is 400 BadDigest and s3rver sees nothing. A value
 * that is not the base64 of 32 bytes is 400 InvalidRequest. A presigned URL that signed the header but is used
 * without it fails its signature (the signed value is part of the canonical request), as on S3.
 *
 * Not verified, unlike S3:
 * - The body against a hex `x-amz-content-sha256`: the declared hash is signed (so it cannot be swapped) but the
 *   bytes are streamed, not hashed; `XAmzContentSHA256Mismatch` never occurs (except for CompleteMultipartUpload
 *   with `s3rverDirectory`, whose small body is buffered and checked, see below). Nor are `Content-MD5` or the
 *   other `x-amz-checksum-*` algorithms checked (s3rver ignores them too), nor a SHA-256 sent as an aws-chunked
 *   trailer, so the portal still hashes stored bytes itself.
 * - Chunk signatures of `aws-chunked` uploads (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`): only the seed
 *   signature in the Authorization header is checked; chunks and trailers pass through as sent.
 * - Signature Version 2, SigV4a and browser POST-policy uploads are refused rather than verified; so is a request
 *   dated only by a `Date` header (every SDK sends `x-amz-date`).
 * - CORS preflights (`OPTIONS` without credentials) pass unauthenticated, as they do on S3.
 * - Atomicity: when a client aborts mid-upload the guard aborts the upstream request too, but s3rver writes in
 *   place and keeps the truncated object (S3 would store nothing); no proxy can undo that.
 *
 * Multipart fidelity, only when `s3rverDirectory` is given and only once the signature checks out. s3rver 3.7.1 has
 * no ListParts, completes whatever part list it is sent (ignoring ETags, sizes and order) and crashes the process with
 * an uncaught ENOENT completing a part it does not have. The guard reads the files s3rver keeps for each upload,
 * `<directory>/<bucket>/._S3rver_uploads/<uploadId>/`: `key` (the object key), `metadata` (the initiating request's
 * headers), each part's bytes as `<n>` and the hex MD5 s3rver returned as its ETag as `<n>.md5`. With them it
 * - answers ListParts (`GET /<bucket>/<key>?uploadId=`) itself with S3's ListPartsResult: parts in order with
 *   PartNumber, LastModified, the quoted MD5 ETag and Size; `max-parts` (default and cap 1000) and
 *   `part-number-marker` paging; NoSuchUpload for an unknown upload or one started for another key;
 * - checks CompleteMultipartUpload before s3rver sees it, as S3 does: NoSuchUpload, MalformedXML, InvalidPartOrder
 *   (part numbers not strictly ascending), InvalidPart (a part not stored, or its ETag differs) and EntityTooSmall
 *   (a part other than the last under 5 MiB). The body (at most 4 MiB, which 10,000 parts fit) is buffered, checked
 *   against a hex `x-amz-content-sha256` and any `Content-MD5`, and forwarded byte for byte. Only a strict subset
 *   of XML is read (no comments, CDATA, DTD, prefixes or attributes below the root), so s3rver's parser cannot see
 *   a different part list than the one checked; anything else is MalformedXML. Part checksums are not verified;
 * - refuses UploadPart to an unknown upload (s3rver would create one) or with a part number outside 1..10000
 *   (s3rver writes the file `partNumber` names, wherever that is).
 * A part counts as stored once it has an MD5 file. s3rver truncates a part in place when it is uploaded again and
 * leaves it truncated if that upload is aborted, keeping the old MD5; so when the MD5 file is older than the bytes
 * (which can also happen to an intact part: s3rver may write the MD5 before the part's last chunk reaches the disk)
 * the bytes are hashed once to tell, and a part being (or abandoned while being) overwritten is neither listed nor
 * completed. Completions of one upload run one at a time, and an UploadPart arriving meanwhile waits for the outcome
 * (NoSuchUpload once completed); a completion naming a part that an UploadPart through the guard is still writing is
 * refused as InvalidPart. Unlike S3 none of this is atomic against writers that bypass the guard.
 * NextPartNumberMarker is 0 on an empty page, as on S3, so clients must stop on IsTruncated (the SDK's
 * `paginateListParts` does not, and loops on S3 too). AbortMultipartUpload and ListMultipartUploads remain
 * unimplemented (s3rver answers MethodNotAllowed / NotImplemented), and a completed object's ETag is still s3rver's
 * plain MD5, without S3's `-<parts>` suffix.
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
  /**
   * s3rver's data directory (the `directory` passed to `startS3rver`). When given, the guard answers ListParts and
   * checks UploadPart and CompleteMultipartUpload against the part files s3rver keeps there (see above); when
   * absent those requests pass through to s3rver unchanged.
   */
  s3rverDirectory?: string;
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
  const multipart = options.s3rverDirectory === undefined ? undefined : new S3rverUploads(options.s3rverDirectory);

  const refuseWith = (
    request: IncomingMessage,
    response: ServerResponse,
    error: { status: number; code: string; message: string; details?: Record<string, string> },
  ) => {
    options.onRefused?.({
      method: request.method ?? 'GET',
      path: (request.url ?? '/').split('?')[0],
      code: error.code,
      message: error.message,
    });
    writeS3Error(response, error);
  };

  const handle = (request: IncomingMessage, response: ServerResponse, expectsContinue: boolean) => {
    const verdict = verifyS3Signature(
      { method: request.method ?? 'GET', url: request.url ?? '/', rawHeaders: request.rawHeaders },
      { credentials: options.credentials, region: options.region, now: now() },
    );
    if (!verdict.ok) {
      refuseWith(request, response, verdict);
      // Read and discard whatever body follows so the client gets the error rather than a reset connection. A
      // client that asked for 100-continue is never told to send it; Node then closes the connection.
      if (!expectsContinue) request.resume();
      return;
    }
    const action = multipart && multipartAction(request);
    if (!multipart || !action) {
      forward(request, response, expectsContinue).catch((error: Error) => failed(request, response, error));
      return;
    }
    handleMultipart(multipart, action, request, response, expectsContinue).catch((error: Error) =>
      failed(request, response, error, expectsContinue),
    );
  };

  const failed = (request: IncomingMessage, response: ServerResponse, error: Error, expectsContinue = false) => {
    if (response.headersSent) {
      response.destroy(error);
      return;
    }
    writeS3Error(response, {
      status: 500,
      code: 'InternalError',
      message: `We encountered an internal error. Please try again. (${error.message})`,
    });
    if (!expectsContinue) request.resume();
  };

  const handleMultipart = async (
    uploads: S3rverUploads,
    action: MultipartAction,
    request: IncomingMessage,
    response: ServerResponse,
    expectsContinue: boolean,
  ): Promise<void> => {
    const refused = (error: S3ErrorAnswer) => {
      refuseWith(request, response, error);
      if (!expectsContinue) request.resume();
    };
    if (action.kind === 'ListParts') {
      const answer = await uploads.listParts(action);
      if ('code' in answer) return refused(answer);
      writeXml(response, 200, answer.xml);
      return;
    }
    if (action.kind === 'UploadPart') {
      // An upload being completed may be gone once that finishes; S3 then answers NoSuchUpload.
      await uploads.completion(action);
      const problem = (await uploads.findUpload(action)) ?? partNumberProblem(action.partNumber);
      if (problem) return refused(problem);
      const release = uploads.writing(action, Number(action.partNumber));
      await forward(request, response, expectsContinue).finally(release);
      return;
    }
    await uploads.exclusively(action, async () => {
      const missing = await uploads.findUpload(action);
      if (missing) return refused(missing);
      const declaredLength = Number(headerValues(request.rawHeaders).get('content-length')?.[0] ?? 0);
      if (declaredLength > MAX_COMPLETE_BODY) return refused(bodyTooLarge());
      if (expectsContinue) response.writeContinue();
      const body = await readBody(request, MAX_COMPLETE_BODY);
      if (!body) {
        refuseWith(request, response, bodyTooLarge());
        return;
      }
      const problem = bodyDigestProblem(request, body) ?? (await uploads.checkCompletion(action, body));
      if (problem) {
        refuseWith(request, response, problem);
        return;
      }
      await forward(request, response, false, body);
    });
  };

  /**
   * Sends the request to s3rver (the given body instead of the request's own, if any); settles once answered. A
   * body with an `x-amz-checksum-sha256` is verified first (see above).
   */
  const forward = async (
    request: IncomingMessage,
    response: ServerResponse,
    expectsContinue: boolean,
    body?: Buffer,
  ): Promise<void> => {
    const checksum = body ? undefined : declaredSha256(request);
    if (!checksum) return forwardAsIs(request, response, expectsContinue, body);
    if ('problem' in checksum) {
      refuseWith(request, response, checksum.problem);
      if (!expectsContinue) request.resume();
      return;
    }
    if (expectsContinue) response.writeContinue();
    const spooled = await spoolAndHash(request);
    if (!spooled) {
      // The client went away before its body was complete: nothing to store, no one to answer.
      response.destroy();
      return;
    }
    try {
      if (spooled.sha256 !== checksum.value) {
        refuseWith(request, response, {
          status: 400,
          code: 'BadDigest',
          message: 'The SHA256 you specified did not match the calculated checksum.',
        });
        return;
      }
      await forwardAsIs(request, response, false, {
        stream: createReadStream(spooled.path),
        length: spooled.size,
      });
    } finally {
      await rm(spooled.directory, { recursive: true, force: true });
    }
  };

  const forwardAsIs = (
    request: IncomingMessage,
    response: ServerResponse,
    expectsContinue: boolean,
    body?: Buffer | { stream: Readable; length: number },
  ): Promise<void> =>
    new Promise((resolve) => {
      response.once('close', () => resolve());
      const headers = forwardedHeaders(request.rawHeaders, upstream.host);
      if (body) headers['content-length'] = String(Buffer.isBuffer(body) ? body.length : body.length);
      const upstreamRequest = httpRequest({
        agent,
        hostname: upstream.hostname,
        port: upstream.port || 80,
        method: request.method,
        path: request.url,
        headers,
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
        if (body && !Buffer.isBuffer(body)) body.stream.destroy();
        request.unpipe(upstreamRequest);
        writeS3Error(response, {
          status: 503,
          code: 'ServiceUnavailable',
          message: `The local S3 server failed: ${error.message}`,
        });
        request.resume();
      });
      if (Buffer.isBuffer(body)) {
        upstreamRequest.end(body);
        return;
      }
      if (body) {
        body.stream.pipe(upstreamRequest);
        return;
      }
      // A client that goes away mid-upload must not leave the upstream waiting for the rest of the body.
      request.on('close', () => {
        if (!request.complete) upstreamRequest.destroy();
      });
      if (expectsContinue) response.writeContinue();
      // pipe keeps backpressure: memory stays at a few socket buffers whatever the body size.
      request.pipe(upstreamRequest);
    });

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

/**
 * The SHA-256 a PUT declares for its body in `x-amz-checksum-sha256` (base64), if it declares one and sends the
 * body plainly; an aws-chunked body's checksum is a trailer, which is not verified here.
 */
function declaredSha256(
  request: IncomingMessage,
): { value: string } | { problem: { status: number; code: string; message: string } } | undefined {
  if (request.method !== 'PUT') return undefined;
  const headers = headerValues(request.rawHeaders);
  const values = headers.get('x-amz-checksum-sha256');
  if (!values) return undefined;
  const payload = headers.get('x-amz-content-sha256')?.[0] ?? '';
  if (STREAMING_PAYLOADS.has(payload) || /aws-chunked/i.test(headers.get('content-encoding')?.join(',') ?? '')) {
    return undefined;
  }
  const value = values.join(',');
  if (values.length !== 1 || !/^[A-Za-z0-9+/]{43}=$/.test(value) || Buffer.from(value, 'base64').length !== 32) {
    return {
      problem: { status: 400, code: 'InvalidRequest', message: 'Value for x-amz-checksum-sha256 header is invalid.' },
    };
  }
  return { value };
}

/**
 * Writes a request body to a temporary file while hashing it, so it can be checked before any of it reaches s3rver
 * without holding it in memory. Undefined if the client aborted before the body was complete.
 */
async function spoolAndHash(
  request: IncomingMessage,
): Promise<{ directory: string; path: string; size: number; sha256: string } | undefined> {
  const directory = await mkdtemp(join(tmpdir(), 's3-guard-'));
  const path = join(directory, 'body');
  const digest = createHash('sha256');
  let size = 0;
  const hasher = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      digest.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  try {
    await pipelineAsync(request, hasher, createWriteStream(path));
  } catch {
    await rm(directory, { recursive: true, force: true });
    return undefined;
  }
  if (!request.complete) {
    await rm(directory, { recursive: true, force: true });
    return undefined;
  }
  return { directory, path, size, sha256: digest.digest('base64') };
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

// ---------------------------------------------------------------------------------------------------------------
// Multipart fidelity: ListParts, and UploadPart / CompleteMultipartUpload checks, from s3rver's files on disk.
// ---------------------------------------------------------------------------------------------------------------

interface S3ErrorAnswer {
  status: number;
  code: string;
  message: string;
  details?: Record<string, string>;
}

interface UploadTarget {
  bucket: string;
  key: string;
  uploadId: string;
}

type MultipartAction = UploadTarget &
  (
    | { kind: 'ListParts'; maxParts?: string; partNumberMarker?: string }
    | { kind: 'UploadPart'; partNumber: string }
    | { kind: 'CompleteMultipartUpload' }
  );

interface StoredPart {
  partNumber: number;
  size: number;
  /** Quoted, as UploadPart returned it. */
  etag: string;
  lastModified: Date;
}

interface CompletedPart {
  partNumber: number;
  etag: string;
}

/** 10,000 parts with ETag and a SHA-256 checksum each take about 1.6 MB of XML. */
const MAX_COMPLETE_BODY = 4 * 1024 * 1024;
const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PART_NUMBER = 10_000;
const MAX_PARTS_LISTED = 1000;
const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
/** s3rver's built-in account, the owner of everything it stores. */
const S3RVER_OWNER = '<ID>123456789000</ID><DisplayName>S3rver</DisplayName>';
/** s3rver's name for the per-bucket directory of multipart uploads (its `%s._S3rver_%s` suffix with no key). */
const UPLOADS_DIRECTORY = '._S3rver_uploads';
/** The query parameters that make s3rver route an object request to another action than the upload's. */
const OTHER_ACTIONS = new Set([
  'acl',
  'analytics',
  'cors',
  'delete',
  'encryption',
  'inventory',
  'legal-hold',
  'lifecycle',
  'location',
  'metrics',
  'notification',
  'object-lock',
  'policy',
  'policyStatus',
  'publicAccessBlock',
  'replication',
  'requestPayment',
  'retention',
  'select',
  'tagging',
  'torrent',
  'uploads',
  'versions',
  'website',
]);
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** s3rver's upload ids are 32 hex digits; anything path-like can never name one. */
const UPLOAD_ID = /^[A-Za-z0-9_-]{1,256}$/;
/** Part files are named by the decimal part number (s3rver would also write `01`, which no ListParts shows). */
const PART_FILE = /^[1-9][0-9]{0,4}$/;

/** Which multipart request this is, from its method, path and query; undefined for every other request. */
function multipartAction(request: IncomingMessage): MultipartAction | undefined {
  const url = request.url ?? '/';
  const target = parseTarget(url);
  if (!target) return undefined;
  const { query } = target;
  if (query.some(([name]) => OTHER_ACTIONS.has(name))) return undefined;
  const values = (name: string) => query.filter(([key]) => key === name).map(([, value]) => value);
  const uploadIds = values('uploadId');
  if (uploadIds.length !== 1) return undefined;
  const question = url.indexOf('?');
  let segments: string[];
  try {
    segments = (question < 0 ? url : url.slice(0, question)).split('/').slice(1).map(decodeURIComponent);
  } catch {
    return undefined;
  }
  const [bucket, ...rest] = segments;
  // As s3rver's router reads it: the key is everything after the bucket, a trailing slash included.
  const key = rest.join('/');
  if (!bucket || key === '') return undefined;
  const upload = { bucket, key, uploadId: uploadIds[0] };
  switch (request.method) {
    case 'GET':
      return {
        ...upload,
        kind: 'ListParts',
        maxParts: values('max-parts')[0],
        partNumberMarker: values('part-number-marker')[0],
      };
    case 'PUT':
      // UploadPartCopy, which s3rver answers NotImplemented.
      if (headerValues(request.rawHeaders).has('x-amz-copy-source')) return undefined;
      return { ...upload, kind: 'UploadPart', partNumber: values('partNumber').join(',') };
    case 'POST':
      return { ...upload, kind: 'CompleteMultipartUpload' };
    default:
      return undefined;
  }
}

/** The uploads in progress in s3rver's directory, and what the guard itself has in flight for them. */
class S3rverUploads {
  /** Per upload, the completion running now (completions of one upload run one after another). */
  private readonly completing = new Map<string, Promise<void>>();
  /** Per upload and part, how many UploadParts the guard is forwarding. */
  private readonly writes = new Map<string, number>();
  /** Whether a part whose MD5 file is older than its bytes still holds those bytes, by file identity and times. */
  private readonly verified = new Map<string, boolean>();

  constructor(private readonly directory: string) {}

  /** NoSuchBucket or NoSuchUpload as S3 answers them (an upload id only names an upload of its own key). */
  async findUpload(target: UploadTarget): Promise<S3ErrorAnswer | undefined> {
    const bucketDirectory = join(this.directory, target.bucket);
    if (!BUCKET_NAME.test(target.bucket) || !(await stat(bucketDirectory).catch(ifMissing))?.isDirectory()) {
      return {
        status: 404,
        code: 'NoSuchBucket',
        message: 'The specified bucket does not exist',
        details: { BucketName: target.bucket },
      };
    }
    const key = UPLOAD_ID.test(target.uploadId)
      ? await readFile(join(this.uploadDirectory(target), 'key'), 'utf8').catch(ifMissing)
      : undefined;
    return key === target.key ? undefined : noSuchUpload(target.uploadId);
  }

  async listParts(
    action: UploadTarget & { maxParts?: string; partNumberMarker?: string },
  ): Promise<{ xml: string } | S3ErrorAnswer> {
    const maxParts = action.maxParts === undefined ? MAX_PARTS_LISTED : nonNegativeInteger(action.maxParts);
    if (maxParts === undefined) {
      return invalidArgument('Provided max-parts not an integer or within integer range', 'max-parts', action.maxParts);
    }
    const marker = action.partNumberMarker === undefined ? 0 : nonNegativeInteger(action.partNumberMarker);
    if (marker === undefined) {
      return invalidArgument(
        'Provided part-number-marker not an integer or within integer range',
        'part-number-marker',
        action.partNumberMarker,
      );
    }
    const missing = await this.findUpload(action);
    if (missing) return missing;
    const following = (await this.storedParts(action)).filter((part) => part.partNumber > marker);
    const page = following.slice(0, Math.min(maxParts, MAX_PARTS_LISTED));
    const element = (name: string, value: string | number) => `<${name}>${xmlEscape(String(value))}</${name}>`;
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<ListPartsResult xmlns="${S3_XMLNS}">` +
      element('Bucket', action.bucket) +
      element('Key', action.key) +
      element('UploadId', action.uploadId) +
      `<Initiator>${S3RVER_OWNER}</Initiator><Owner>${S3RVER_OWNER}</Owner>` +
      element('StorageClass', 'STANDARD') +
      element('PartNumberMarker', marker) +
      // As S3: the last part listed, or 0 for an empty page (so a client must stop on IsTruncated, not on this).
      element('NextPartNumberMarker', page.at(-1)?.partNumber ?? 0) +
      element('MaxParts', Math.min(maxParts, MAX_PARTS_LISTED)) +
      element('IsTruncated', following.length > page.length ? 'true' : 'false') +
      page
        .map(
          (part) =>
            '<Part>' +
            element('PartNumber', part.partNumber) +
            element('LastModified', part.lastModified.toISOString()) +
            element('ETag', part.etag) +
            element('Size', part.size) +
            '</Part>',
        )
        .join('') +
      '</ListPartsResult>';
    return { xml };
  }

  /** What S3 would refuse in this CompleteMultipartUpload body, checked against the parts stored now. */
  async checkCompletion(target: UploadTarget, body: Buffer): Promise<S3ErrorAnswer | undefined> {
    const listed = parseCompleteMultipartUpload(body);
    if (!listed) {
      return {
        status: 400,
        code: 'MalformedXML',
        message: 'The XML you provided was not well-formed or did not validate against our published schema',
      };
    }
    const details = (part: CompletedPart) => ({
      UploadId: target.uploadId,
      PartNumber: String(part.partNumber),
      ETag: part.etag,
    });
    for (let i = 1; i < listed.length; i++) {
      if (listed[i].partNumber <= listed[i - 1].partNumber) {
        return {
          status: 400,
          code: 'InvalidPartOrder',
          message:
            'The list of parts was not in ascending order. The parts list must be specified in order by part number.',
          details: details(listed[i]),
        };
      }
    }
    const wanted = new Set(listed.map((part) => part.partNumber));
    const stored = new Map((await this.storedParts(target, wanted)).map((part) => [part.partNumber, part]));
    for (const part of listed) {
      const found = stored.get(part.partNumber);
      // S3 ignores every double quote when it compares ETags.
      const sameETag = found && found.etag.replace(/"/g, '') === part.etag.replace(/"/g, '');
      // A part still being written is not stored yet; completing it would take however much is on disk.
      if (!sameETag || this.writes.has(partId(target, part.partNumber))) {
        return {
          status: 400,
          code: 'InvalidPart',
          message:
            "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
          details: details(part),
        };
      }
    }
    for (const part of listed.slice(0, -1)) {
      const size = stored.get(part.partNumber)?.size ?? 0;
      if (size < MIN_PART_SIZE) {
        return {
          status: 400,
          code: 'EntityTooSmall',
          message: 'Your proposed upload is smaller than the minimum allowed object size.',
          details: {
            ProposedSize: String(size),
            MinSizeAllowed: String(MIN_PART_SIZE),
            PartNumber: String(part.partNumber),
            ETag: part.etag,
          },
        };
      }
    }
    return undefined;
  }

  /** Resolves once no completion of this upload is running. */
  async completion(target: UploadTarget): Promise<void> {
    await this.completing.get(uploadId(target));
  }

  /** Runs `work` once every earlier completion of the same upload has finished, and before any later one. */
  async exclusively(target: UploadTarget, work: () => Promise<void>): Promise<void> {
    const id = uploadId(target);
    const previous = this.completing.get(id);
    let release = () => {};
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    const current = (previous ?? Promise.resolve()).then(() => done);
    this.completing.set(id, current);
    try {
      await previous;
      await work();
    } finally {
      release();
      if (this.completing.get(id) === current) this.completing.delete(id);
    }
  }

  /** Records an UploadPart being forwarded; call the returned function once it is answered. */
  writing(target: UploadTarget, partNumber: number): () => void {
    const id = partId(target, partNumber);
    this.writes.set(id, (this.writes.get(id) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const remaining = (this.writes.get(id) ?? 1) - 1;
      if (remaining > 0) this.writes.set(id, remaining);
      else this.writes.delete(id);
    };
  }

  /**
   * The parts s3rver holds, in part-number order (only those in `only`, if given). A part counts once its MD5 file
   * exists; if that file is older than the bytes (s3rver truncates a part in place when it is uploaded again, and
   * leaves it truncated if that upload is aborted, but also writes the MD5 before the last chunk reaches the disk)
   * the bytes are hashed to tell which, once per state of the files.
   */
  private async storedParts(target: UploadTarget, only?: Set<number>): Promise<StoredPart[]> {
    const directory = this.uploadDirectory(target);
    const names = ((await readdir(directory).catch(ifMissing)) ?? []).filter(
      (name) => PART_FILE.test(name) && Number(name) <= MAX_PART_NUMBER && (!only || only.has(Number(name))),
    );
    const parts = await Promise.all(
      names.map(async (name): Promise<StoredPart | undefined> => {
        const bytesPath = join(directory, name);
        const [bytes, digest, md5] = await Promise.all([
          stat(bytesPath, { bigint: true }).catch(ifMissing),
          stat(`${bytesPath}.md5`, { bigint: true }).catch(ifMissing),
          readFile(`${bytesPath}.md5`, 'utf8').catch(ifMissing),
        ]);
        if (!bytes?.isFile() || !digest?.isFile() || md5 === undefined || !/^[0-9a-f]{32}$/.test(md5)) {
          return undefined;
        }
        if (digest.mtimeNs < bytes.mtimeNs) {
          const state = [bytesPath, bytes.ino, bytes.size, bytes.mtimeNs, digest.mtimeNs, md5].join(':');
          let intact = this.verified.get(state);
          if (intact === undefined) {
            intact = (await md5OfFile(bytesPath).catch(ifMissing)) === md5;
            if (this.verified.size >= 10_000) this.verified.clear();
            this.verified.set(state, intact);
          }
          if (!intact) return undefined;
        }
        return {
          partNumber: Number(name),
          size: Number(bytes.size),
          etag: `"${md5}"`,
          lastModified: new Date(Number(bytes.mtimeNs / 1_000_000n)),
        };
      }),
    );
    return parts.filter((part) => part !== undefined).sort((a, b) => a.partNumber - b.partNumber);
  }

  private uploadDirectory(target: UploadTarget): string {
    return join(this.directory, target.bucket, UPLOADS_DIRECTORY, target.uploadId);
  }
}

function uploadId(target: UploadTarget): string {
  return `${target.bucket}/${target.uploadId}`;
}

function partId(target: UploadTarget, partNumber: number): string {
  return `${target.bucket}/${target.uploadId}/${partNumber}`;
}

/** Undefined for a file or directory that does not exist; any other failure is rethrown. */
function ifMissing(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
  throw error;
}

function md5OfFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('md5');
    const stream = createReadStream(path);
    stream.on('data', (chunk) => hash.update(chunk));
    stream.on('error', reject);
    stream.on('end', () => resolve(hash.digest('hex')));
  });
}

function nonNegativeInteger(value: string): number | undefined {
  return /^[0-9]{1,10}$/.test(value) && Number(value) <= 2_147_483_647 ? Number(value) : undefined;
}

function partNumberProblem(partNumber: string): S3ErrorAnswer | undefined {
  if (PART_FILE.test(partNumber) && Number(partNumber) <= MAX_PART_NUMBER) return undefined;
  return invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', partNumber);
}

function invalidArgument(message: string, name: string, value: string | undefined): S3ErrorAnswer {
  return { status: 400, code: 'InvalidArgument', message, details: { ArgumentName: name, ArgumentValue: value ?? '' } };
}

function noSuchUpload(id: string): S3ErrorAnswer {
  return {
    status: 404,
    code: 'NoSuchUpload',
    message:
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    details: { UploadId: id },
  };
}

function bodyTooLarge(): S3ErrorAnswer {
  return { status: 400, code: 'MaxMessageLengthExceeded', message: 'Your request was too big.' };
}

/** Reads the whole body, or undefined (discarding the rest) once it exceeds `limit` bytes. */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const onData = (chunk: Buffer) => {
      length += chunk.length;
      if (length <= limit) {
        chunks.push(chunk);
        return;
      }
      request.off('data', onData);
      request.resume();
      resolve(undefined);
    };
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', reject);
    request.once('close', () => {
      if (!request.complete) reject(new Error('The client closed the connection before sending the whole body'));
    });
  });
}

/** Now that the body is in hand, the checks S3 makes of it: the declared SHA-256 (which the signature covers) and MD5. */
function bodyDigestProblem(request: IncomingMessage, body: Buffer): S3ErrorAnswer | undefined {
  const headers = headerValues(request.rawHeaders);
  const declared =
    headers.get('x-amz-content-sha256')?.join(',') ??
    parseTarget(request.url ?? '/')?.query.find(([name]) => name === 'X-Amz-Content-Sha256')?.[1];
  const computed = createHash('sha256').update(body).digest('hex');
  if (declared !== undefined && /^[0-9a-fA-F]{64}$/.test(declared) && declared.toLowerCase() !== computed) {
    return {
      status: 400,
      code: 'XAmzContentSHA256Mismatch',
      message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
      details: { ClientComputedContentSHA256: declared, S3ComputedContentSHA256: computed },
    };
  }
  const contentMd5 = headers.get('content-md5')?.join(',');
  if (contentMd5 === undefined) return undefined;
  const expected = /^[A-Za-z0-9+/]{22}==$/.test(contentMd5) ? Buffer.from(contentMd5, 'base64') : undefined;
  if (expected?.length !== 16) {
    return { status: 400, code: 'InvalidDigest', message: 'The Content-MD5 you specified was invalid.' };
  }
  const calculated = createHash('md5').update(body).digest();
  if (expected.equals(calculated)) return undefined;
  return {
    status: 400,
    code: 'BadDigest',
    message: 'The Content-MD5 you specified did not match what we received.',
    details: { ExpectedDigest: expected.toString('hex'), CalculatedDigest: calculated.toString('base64') },
  };
}

const XML_DECLARATION = /<\?xml(?:\s+[A-Za-z]+\s*=\s*(?:"[^"<>?]*"|'[^'<>?]*'))*\s*\?>/y;
const ROOT_START = /<CompleteMultipartUpload(?: xmlns="[^"<&]*"| xmlns='[^'<&]*')?>/y;
const ROOT_END = /<\/CompleteMultipartUpload>/y;
const PART_START = /<Part>/y;
const PART_END = /<\/Part>/y;
/** A child of Part: a name and plain text (no markup), closed by the same name. */
const PART_FIELD = /<([A-Za-z][A-Za-z0-9]*)>([^<]*)<\/\1>/y;
const PART_FIELD_NAMES = /^(?:ETag|PartNumber|Checksum[A-Za-z0-9]+)$/;
const WHITESPACE = /[ \t\r\n]*/y;

/**
 * The part list of a CompleteMultipartUpload body, or undefined if it is not well-formed. Only the subset of XML
 * that SDKs write is accepted: an optional declaration, the root with at most an `xmlns`, `Part` elements holding
 * `PartNumber`, `ETag` and checksum elements of plain text with XML's five named and numeric character references.
 * Comments, CDATA, processing instructions, DTDs, prefixes, other attributes and empty-element tags are refused, so
 * no document passes here that s3rver's parser (fast-xml-parser) could read as a different list of parts.
 */
function parseCompleteMultipartUpload(body: Buffer): CompletedPart[] | undefined {
  const xml = body.toString('utf8');
  if (xml.includes('\uFFFD')) return undefined;
  let at = 0;
  const take = (pattern: RegExp): RegExpExecArray | undefined => {
    pattern.lastIndex = at;
    const match = pattern.exec(xml);
    if (!match) return undefined;
    at = pattern.lastIndex;
    return match;
  };
  take(XML_DECLARATION);
  take(WHITESPACE);
  if (!take(ROOT_START)) return undefined;
  const parts: CompletedPart[] = [];
  for (;;) {
    take(WHITESPACE);
    if (take(ROOT_END)) break;
    if (!take(PART_START)) return undefined;
    const fields = new Map<string, string>();
    for (;;) {
      take(WHITESPACE);
      if (take(PART_END)) break;
      const field = take(PART_FIELD);
      if (!field || !PART_FIELD_NAMES.test(field[1]) || fields.has(field[1])) return undefined;
      const text = decodeXmlText(field[2]);
      if (text === undefined) return undefined;
      fields.set(field[1], text.trim());
    }
    const partNumber = fields.get('PartNumber');
    const etag = fields.get('ETag');
    if (partNumber === undefined || etag === undefined || !/^[0-9]{1,9}$/.test(partNumber)) return undefined;
    parts.push({ partNumber: Number(partNumber), etag });
  }
  take(WHITESPACE);
  return at === xml.length && parts.length > 0 ? parts : undefined;
}

const CHARACTER_REFERENCE = /&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));/g;
const NAMED_REFERENCES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Character data with its references resolved; undefined for a stray `&` or a reference XML does not allow. */
function decodeXmlText(raw: string): string | undefined {
  if (raw.replace(CHARACTER_REFERENCE, '').includes('&')) return undefined;
  let valid = true;
  const text = raw.replace(CHARACTER_REFERENCE, (_reference, name: string, decimal: string, hex: string) => {
    if (name) return NAMED_REFERENCES[name];
    const codePoint = decimal ? Number(decimal) : Number.parseInt(hex, 16);
    const allowed =
      codePoint === 0x9 ||
      codePoint === 0xa ||
      codePoint === 0xd ||
      (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
      (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
      (codePoint >= 0x10000 && codePoint <= 0x10ffff);
    if (!allowed) valid = false;
    return allowed ? String.fromCodePoint(codePoint) : '';
  });
  return valid ? text : undefined;
}

function writeXml(response: ServerResponse, status: number, xml: string): void {
  response.writeHead(status, {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(xml),
    'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase(),
  });
  response.end(xml);
}
