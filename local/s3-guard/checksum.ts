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

/** The digests S3 checks of a body: a PUT's `x-amz-checksum-sha256` and `Content-MD5`, and a buffered body's SHA-256 and MD5. */

/**
 * Forwards a request to s3rver; a PUT whose body declares an `x-amz-checksum-sha256` or a `Content-MD5` is first
 * spooled to disk while it is hashed (memory stays flat whatever its size) and forwarded only when it matches, else
 * refused as BadDigest, as S3 refuses it.
 */
export async function forwardVerifyingSha256(
  proxy: UpstreamProxy,
  refuseWith: RefuseWith,
  request: IncomingMessage,
  response: ServerResponse,
  expectsContinue: boolean,
): Promise<void> {
  const declared = declaredDigests(request);
  if ('problem' in declared) {
    refuseWith(request, response, declared.problem);
    if (!expectsContinue) request.resume();
    return;
  }
  if (declared.sha256 === undefined && declared.md5 === undefined) {
    return proxy.forward(request, response, expectsContinue);
  }
  if (expectsContinue) response.writeContinue();
  const spooled = await spoolAndHash(request);
  if (!spooled) {
    // The client went away before its body was complete: nothing to store, no one to answer.
    response.destroy();
    return;
  }
  try {
    const mismatch = digestMismatch(declared, spooled);
    if (mismatch) {
      refuseWith(request, response, mismatch);
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

function digestMismatch(
  declared: { sha256?: string; md5?: string },
  spooled: { sha256: string; md5: string },
): S3ErrorAnswer | undefined {
  if (declared.sha256 !== undefined && spooled.sha256 !== declared.sha256) {
    return {
      status: 400,
      code: 'BadDigest',
      message: 'The SHA256 you specified did not match the calculated checksum.',
    };
  }
  if (declared.md5 !== undefined && spooled.md5 !== declared.md5) {
    return {
      status: 400,
      code: 'BadDigest',
      message: 'The Content-MD5 you specified did not match what we received.',
      details: { ExpectedDigest: Buffer.from(declared.md5, 'base64').toString('hex'), CalculatedDigest: spooled.md5 },
    };
  }
  return undefined;
}

/**
 * The digests a PUT declares for its body, base64: `x-amz-checksum-sha256` and `Content-MD5`, if it sends the body
 * plainly (an aws-chunked body's checksum is a trailer, which is not verified here).
 */
function declaredDigests(request: IncomingMessage): { sha256?: string; md5?: string } | { problem: S3ErrorAnswer } {
  if (request.method !== 'PUT') return {};
  const headers = headerValues(request.rawHeaders);
  const payload = headers.get('x-amz-content-sha256')?.[0] ?? '';
  if (STREAMING_PAYLOADS.has(payload) || /aws-chunked/i.test(headers.get('content-encoding')?.join(',') ?? '')) {
    return {};
  }
  const sha256 = declaredSha256(headers);
  if (sha256 && 'problem' in sha256) return sha256;
  const md5 = headers.get('content-md5')?.join(',');
  if (md5 !== undefined && !(/^[A-Za-z0-9+/]{22}==$/.test(md5) && Buffer.from(md5, 'base64').length === 16)) {
    return { problem: { status: 400, code: 'InvalidDigest', message: 'The Content-MD5 you specified was invalid.' } };
  }
  return { sha256: sha256?.value, md5 };
}

/** A request's `x-amz-checksum-sha256` (base64), if it has one, or why S3 would refuse it. */
export function declaredSha256(
  headers: Map<string, string[]>,
): { value: string } | { problem: S3ErrorAnswer } | undefined {
  const values = headers.get('x-amz-checksum-sha256');
  if (!values) return undefined;
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
): Promise<{ directory: string; path: string; size: number; sha256: string; md5: string } | undefined> {
  const directory = await mkdtemp(join(tmpdir(), 's3-guard-'));
  const path = join(directory, 'body');
  const digest = createHash('sha256');
  const md5 = createHash('md5');
  let size = 0;
  const hasher = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      digest.update(chunk);
      md5.update(chunk);
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
  return { directory, path, size, sha256: digest.digest('base64'), md5: md5.digest('base64') };
}

export function md5OfFile(path: string): Promise<string> {
  return digestOfFile(path, 'md5', 'hex');
}

/** The SHA-256 of a stored file, base64 as S3 lists a part's `ChecksumSHA256`. */
export function sha256OfFile(path: string): Promise<string> {
  return digestOfFile(path, 'sha256', 'base64');
}

function digestOfFile(path: string, algorithm: 'md5' | 'sha256', encoding: 'hex' | 'base64'): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash(algorithm);
    const stream = createReadStream(path);
    stream.on('data', (chunk) => hash.update(chunk));
    stream.on('error', reject);
    stream.on('end', () => resolve(hash.digest(encoding)));
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
