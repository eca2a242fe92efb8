import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline as pipelineAsync } from 'node:stream/promises';
import type { UpstreamProxy } from './proxy';
import { headerValues, parseTarget } from './request-target';
import type { RefuseWith, S3ErrorAnswer } from './s3-errors';
import { STREAMING_PAYLOADS } from './sigv4-verifier';

/** The digests S3 checks of a body: a PUT's `x-amz-checksum-sha256`, and a buffered body's SHA-256 and MD5. */

/**
 * Forwards a request to s3rver; a PUT whose body declares an `x-amz-checksum-sha256` is first spooled to disk while
 * it is hashed (memory stays flat whatever its size) and forwarded only when it matches, else refused as BadDigest.
 */
export async function forwardVerifyingSha256(
  proxy: UpstreamProxy,
  refuseWith: RefuseWith,
  request: IncomingMessage,
  response: ServerResponse,
  expectsContinue: boolean,
): Promise<void> {
  const checksum = declaredSha256(request);
  if (!checksum) return proxy.forward(request, response, expectsContinue);
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
    await proxy.forward(request, response, false, {
      stream: createReadStream(spooled.path),
      length: spooled.size,
    });
  } finally {
    await rm(spooled.directory, { recursive: true, force: true });
  }
}

/**
 * The SHA-256 a PUT declares for its body in `x-amz-checksum-sha256` (base64), if it declares one and sends the
 * body plainly; an aws-chunked body's checksum is a trailer, which is not verified here.
 */
export function declaredSha256(request: IncomingMessage): { value: string } | { problem: S3ErrorAnswer } | undefined {
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

export function md5OfFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('md5');
    const stream = createReadStream(path);
    stream.on('data', (chunk) => hash.update(chunk));
    stream.on('error', reject);
    stream.on('end', () => resolve(hash.digest('hex')));
  });
}

/** Now that the body is in hand, the checks S3 makes of it: the declared SHA-256 (which the signature covers) and MD5. */
export function bodyDigestProblem(request: IncomingMessage, body: Buffer): S3ErrorAnswer | undefined {
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
