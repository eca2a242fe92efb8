import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forwardVerifyingSha256 } from './s3-guard/checksum';
import { setCorsHeaders } from './s3-guard/cors';
import { multipartAction } from './s3-guard/multipart-action';
import { handleMultipart } from './s3-guard/multipart-emulation';
import { objectLockChecksumProblem } from './s3-guard/object-lock-checksums';
import { UpstreamProxy } from './s3-guard/proxy';
import { type RefuseWith, writeS3Error } from './s3-guard/s3-errors';
import { S3rverUploads } from './s3-guard/s3rver-uploads';
import { verifyS3Signature } from './s3-guard/sigv4-verifier';

export {
  type ReceivedRequest,
  type Verdict,
  type VerificationContext,
  verifyS3Signature,
} from './s3-guard/sigv4-verifier';

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
 * without it fails its signature (the signed value is part of the canonical request), as on S3. A `Content-MD5` is
 * verified the same way (BadDigest), as S3 verifies it.
 *
 * Object Lock default retention (on unless `objectLockDefaultRetention: false`), as the deployed response bucket
 * has it: a PutObject or UploadPart without `Content-MD5` or an `x-amz-checksum-*` header is refused with S3's
 * 400 InvalidRequest (`s3-guard/object-lock-checksums.ts`).
 *
 * Not verified, unlike S3:
 * - The body against a hex `x-amz-content-sha256`: the declared hash is signed (so it cannot be swapped) but the
 *   bytes are streamed, not hashed; `XAmzContentSHA256Mismatch` never occurs (except for CompleteMultipartUpload
 *   with `s3rverDirectory`, whose small body is buffered and checked, see `s3-guard/multipart-emulation.ts`). Nor
 *   are the other `x-amz-checksum-*` algorithms checked (s3rver ignores them too), nor a checksum sent as an
 *   aws-chunked trailer, so the portal still hashes stored bytes itself.
 * - Chunk signatures of `aws-chunked` uploads (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`): only the seed
 *   signature in the Authorization header is checked; chunks and trailers pass through as sent.
 * - Signature Version 2, SigV4a and browser POST-policy uploads are refused rather than verified; so is a request
 *   dated only by a `Date` header (every SDK sends `x-amz-date`).
 * - CORS preflights (`OPTIONS` without credentials) pass unauthenticated, as they do on S3, to s3rver, which answers
 *   them (and adds CORS headers to real requests) from the bucket's CORS rule. The guard's own refusals carry the
 *   CORS headers for `corsOrigins`, so a browser can read why S3 refused it. s3rver answers an allowed preflight
 *   with `Access-Control-Allow-Origin: *` where S3 names the origin; browsers accept either for uploads without
 *   credentials, and a preflight from an origin no rule names is refused (403, no allow-origin) as on S3.
 * - Atomicity: when a client aborts mid-upload the guard aborts the upstream request too, but s3rver writes in
 *   place and keeps the truncated object (S3 would store nothing); no proxy can undo that.
 *
 * Multipart fidelity, only when `s3rverDirectory` is given: ListParts answered and UploadPart and
 * CompleteMultipartUpload checked from s3rver's part files, as S3 would, including the part checksums of an upload
 * created with `x-amz-checksum-algorithm: SHA256` (see `s3-guard/multipart-emulation.ts`).
 *
 * The pieces, one concern each, are in `local/s3-guard/`: `sigv4-verifier.ts`, `checksum.ts`,
 * `object-lock-checksums.ts`, `proxy.ts`,
 * `multipart-action.ts`, `multipart-emulation.ts`, `s3rver-uploads.ts`, `xml.ts` and `s3-errors.ts`.
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
   * checks UploadPart and CompleteMultipartUpload against the part files s3rver keeps there (see `s3-guard/multipart-emulation.ts`); when
   * absent those requests pass through to s3rver unchanged.
   */
  s3rverDirectory?: string;
  /** Origins the bucket's CORS rule allows: the guard's own error answers carry CORS headers for them. */
  corsOrigins?: readonly string[];
  /**
   * Refuse what S3 refuses in a bucket with Object Lock default retention, as the deployed response bucket has: a
   * PutObject or UploadPart without `Content-MD5` or an `x-amz-checksum-*` header (see
   * `s3-guard/object-lock-checksums.ts`). Off only for tests of the guard's other checks that write without one.
   * @default true
   */
  objectLockDefaultRetention?: boolean;
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

export async function startS3SignatureGuard(options: S3SignatureGuardOptions): Promise<RunningS3SignatureGuard> {
  const upstream = new URL(options.upstream);
  if (upstream.protocol !== 'http:')
    throw new Error(`The S3 signature guard proxies to http only: ${options.upstream}`);
  const proxy = new UpstreamProxy(upstream);
  const handle = guardedHandler(options, proxy);
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
      proxy.close();
    },
  };
}

/** Verifies each request, then forwards it, or answers or checks it first when it is a multipart request. */
function guardedHandler(
  options: S3SignatureGuardOptions,
  proxy: UpstreamProxy,
): (request: IncomingMessage, response: ServerResponse, expectsContinue: boolean) => void {
  const now = options.now ?? (() => new Date());
  const multipart = options.s3rverDirectory === undefined ? undefined : new S3rverUploads(options.s3rverDirectory);
  const refuseWith: RefuseWith = (request, response, error) => {
    options.onRefused?.({
      method: request.method ?? 'GET',
      path: (request.url ?? '/').split('?')[0] ?? '/', // split yields at least one piece: never the default
      code: error.code,
      message: error.message,
    });
    setCorsHeaders(request, response, options.corsOrigins ?? []);
    writeS3Error(response, error);
  };
  return (request, response, expectsContinue) => {
    const verdict = verifyS3Signature(
      { method: request.method ?? 'GET', url: request.url ?? '/', rawHeaders: request.rawHeaders },
      { credentials: options.credentials, region: options.region, now: now() },
    );
    const refused = verdict.ok
      ? options.objectLockDefaultRetention !== false && objectLockChecksumProblem(request)
      : verdict;
    if (refused) {
      refuseWith(request, response, refused);
      // Read and discard whatever body follows so the client gets the error rather than a reset connection. A
      // client that asked for 100-continue is never told to send it; Node then closes the connection.
      if (!expectsContinue) request.resume();
      return;
    }
    const action = multipart && multipartAction(request);
    if (!multipart || !action) {
      forwardVerifyingSha256(proxy, refuseWith, request, response, expectsContinue).catch((error: Error) =>
        failed(request, response, error),
      );
      return;
    }
    handleMultipart(multipart, action, { request, response, expectsContinue, proxy, refuseWith }).catch(
      (error: Error) => failed(request, response, error, expectsContinue),
    );
  };
}

/** An unexpected failure: a 500 if nothing was answered yet, else the connection is cut. */
function failed(request: IncomingMessage, response: ServerResponse, error: Error, expectsContinue = false): void {
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
}
