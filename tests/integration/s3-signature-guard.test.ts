import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutBucketCorsCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { RunningService } from '../../local/embedded-services';
import type { RefusedRequest, RunningS3SignatureGuard } from '../../local/s3-signature-guard';
import { CREDENTIALS, type GuardedS3, s3ClientFor, startGuardedS3, uniqueKeys } from './support/guarded-s3';

/**
 * s3rver accepts tampered and unsigned requests; the guard in front of it must refuse them as S3 does while letting
 * ordinary SDK traffic and honest presigned URLs through untouched. "Directly" below means s3rver itself, bypassing
 * the guard, to see what was (not) written.
 */
const run = promisify(execFile);
const BUCKET = 'notice-guard-test';
const MiB = 1024 * 1024;

let storage: GuardedS3;
let dataDir: string;
let s3rver: RunningService;
let guard: RunningS3SignatureGuard;
let refusals: RefusedRequest[] = [];
/** How far the guard's clock runs ahead of real time. */
let guardClockAheadMs = 0;
let client: S3Client;
let presigner: S3Client;
let direct: S3Client;

const clientFor = s3ClientFor;
const uniqueKey = uniqueKeys('responses');

beforeAll(async () => {
  storage = await startGuardedS3({
    bucket: BUCKET,
    folderPrefix: 's3-signature-guard-',
    guard: {
      now: () => new Date(Date.now() + guardClockAheadMs),
      onRefused: (info) => refusals.push(info),
      // These tests write without checksums to test signatures; the Object Lock rule has its own suite.
      objectLockDefaultRetention: false,
    },
  });
  ({ dataDir, s3rver, guard } = storage);
  client = clientFor(guard.endpoint);
  presigner = clientFor(guard.endpoint);
  direct = clientFor(s3rver.endpoint);
});

afterEach(() => {
  guardClockAheadMs = 0;
  refusals = [];
});

afterAll(async () => {
  for (const c of [client, presigner, direct]) c?.destroy();
  await storage?.stop();
});

async function existsDirectly(key: string): Promise<boolean> {
  try {
    await direct.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'NotFound') return false;
    throw error;
  }
}

async function readDirectly(key: string): Promise<string> {
  const object = await direct.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return object.Body!.transformToString();
}

async function presignPut(key: string, expiresIn = 300): Promise<string> {
  return getSignedUrl(presigner, new PutObjectCommand({ Bucket: BUCKET, Key: key }), { expiresIn });
}

async function errorOf(response: Response): Promise<{ status: number; code?: string; message?: string }> {
  const body = await response.text();
  return {
    status: response.status,
    code: /<Code>([^<]*)<\/Code>/.exec(body)?.[1],
    message: /<Message>([^<]*)<\/Message>/.exec(body)?.[1],
  };
}

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

describe('ordinary SDK traffic', () => {
  it('passes PutObject, GetObject and ListObjectsV2 with a body of a few MiB', async () => {
    // Prepare
    const key = uniqueKey('transparency-report.pdf');
    const body = Buffer.alloc(3 * MiB + 17, 'notice-response ');

    // Act
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentType: 'application/pdf' }));
    const fetched = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    const fetchedBytes = Buffer.from(await fetched.Body!.transformToByteArray());
    const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: key }));

    // Assess
    expect(sha256(fetchedBytes)).toBe(sha256(body));
    expect(fetched.ContentType).toBe('application/pdf');
    expect(listed.Contents?.map((o) => o.Key)).toEqual([key]);
    expect(refusals).toEqual([]);
  });

  it('passes a multipart upload', async () => {
    // Prepare
    const key = uniqueKey('large-evidence.zip');
    const parts = [Buffer.alloc(5 * MiB, 'a'), Buffer.alloc(1024, 'b')];

    // Act
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
    const etags: string[] = [];
    for (const [index, part] of parts.entries()) {
      const uploaded = await client.send(
        new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: index + 1, Body: part }),
      );
      etags.push(uploaded.ETag!);
    }
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: key,
        UploadId,
        MultipartUpload: { Parts: etags.map((ETag, index) => ({ ETag, PartNumber: index + 1 })) },
      }),
    );

    // Assess
    const stored = await direct.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(stored.ContentLength).toBe(5 * MiB + 1024);
    expect(refusals).toEqual([]);
  });

  it('passes ListParts through to s3rver, which has none, when not given the s3rver directory', async () => {
    // With `s3rverDirectory` the guard answers ListParts itself: see s3-multipart-fidelity.test.ts.
    const key = uniqueKey('large-evidence.zip');
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));

    const attempt = client.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId }));

    await expect(attempt).rejects.toMatchObject({ name: 'MethodNotAllowed', $metadata: { httpStatusCode: 405 } });
    expect(refusals).toEqual([]);
  });

  it('passes an aws-chunked streaming upload on its seed signature and refuses one with a forged seed', async () => {
    // A client left at the default checksum setting sends a stream of unknown hash as aws-chunked with
    // x-amz-content-sha256 STREAMING-UNSIGNED-PAYLOAD-TRAILER. The guard checks the seed signature only; s3rver
    // does not decode aws-chunked, so what it stores is not the point here.
    const streaming = (secretAccessKey: string) =>
      clientFor(guard.endpoint, {
        credentials: { accessKeyId: CREDENTIALS.accessKeyId, secretAccessKey },
        requestChecksumCalculation: 'WHEN_SUPPORTED',
      });
    const put = (c: S3Client, key: string) =>
      c.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: key,
          Body: Readable.from([Buffer.alloc(1000, 'x')]),
          ContentLength: 1000,
        }),
      );
    const honest = streaming(CREDENTIALS.secretAccessKey);
    const forger = streaming('not-the-secret');
    const forgedKey = uniqueKey('forged-stream.bin');

    await expect(put(honest, uniqueKey('stream.bin'))).resolves.toBeDefined();
    await expect(put(forger, forgedKey)).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
    expect(await existsDirectly(forgedKey)).toBe(false);
    honest.destroy();
    forger.destroy();
  });

  it('refuses a client that signs with the wrong secret key, with the error name S3 uses', async () => {
    // Prepare
    const key = uniqueKey('forged.pdf');
    const forger = clientFor(guard.endpoint, {
      credentials: { accessKeyId: CREDENTIALS.accessKeyId, secretAccessKey: 'not-the-secret' },
    });

    // Act
    const attempt = forger.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'forged' }));

    // Assess
    await expect(attempt).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
      $metadata: { httpStatusCode: 403 },
    });
    expect(await existsDirectly(key)).toBe(false);
    forger.destroy();
  });

  /** A client that changes its request after signing it, as a man in the middle would. */
  function tamperingClient(tamper: (request: { path: string; headers: Record<string, string> }) => void): S3Client {
    const tampering = clientFor(guard.endpoint);
    tampering.middlewareStack.addRelativeTo(
      (next: any) => async (args: any) => {
        tamper(args.request);
        return next(args);
      },
      { name: 'tamperAfterSigning', relation: 'after', toMiddleware: 'httpSigningMiddleware' },
    );
    return tampering;
  }

  it.each([
    [
      'the key changed',
      (r: { path: string }) => {
        r.path = r.path.replace('original.pdf', 'replaced.pdf');
      },
      'SignatureDoesNotMatch',
    ],
    [
      'a signed header changed',
      (r: { headers: Record<string, string> }) => {
        r.headers['content-type'] = 'text/html';
      },
      'SignatureDoesNotMatch',
    ],
    [
      'an unsigned x-amz-* header added',
      (r: { headers: Record<string, string> }) => {
        r.headers['x-amz-meta-approved'] = 'yes';
      },
      'AccessDenied',
    ],
  ])('refuses an SDK request with %s after signing', async (_change, tamper, code) => {
    // Prepare
    const key = uniqueKey('original.pdf');
    const tampering = tamperingClient(tamper as (request: { path: string; headers: Record<string, string> }) => void);

    // Act
    const attempt = tampering.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'statement', ContentType: 'application/pdf' }),
    );

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: code, $metadata: { httpStatusCode: 403 } });
    expect(await existsDirectly(key)).toBe(false);
    expect(await existsDirectly(key.replace('original.pdf', 'replaced.pdf'))).toBe(false);
    tampering.destroy();
  });

  it('refuses a credential scoped to another region', async () => {
    const elsewhere = clientFor(guard.endpoint, { region: 'us-east-1' });

    await expect(elsewhere.send(new ListObjectsV2Command({ Bucket: BUCKET }))).rejects.toMatchObject({
      name: 'AuthorizationHeaderMalformed',
      $metadata: { httpStatusCode: 400 },
    });
    elsewhere.destroy();
  });

  it('refuses an unknown access key', async () => {
    const stranger = clientFor(guard.endpoint, {
      credentials: { accessKeyId: 'AKIASTRANGER', secretAccessKey: CREDENTIALS.secretAccessKey },
    });

    await expect(stranger.send(new ListObjectsV2Command({ Bucket: BUCKET }))).rejects.toMatchObject({
      name: 'InvalidAccessKeyId',
    });
    stranger.destroy();
  });
});

describe('presigned URLs', () => {
  it('lets an honest presigned PUT and GET through', async () => {
    // Prepare
    const key = uniqueKey('signed statement ü.pdf');
    const putUrl = await presignPut(key);

    // Act
    const put = await fetch(putUrl, { method: 'PUT', body: 'the platform response' });
    const getUrl = await getSignedUrl(presigner, new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    const get = await fetch(getUrl);

    // Assess
    expect(put.status).toBe(200);
    expect(get.status).toBe(200);
    expect(await get.text()).toBe('the platform response');
    expect(await readDirectly(key)).toBe('the platform response');
  });

  it('refuses a URL whose signature was altered, and writes nothing', async () => {
    // Prepare
    const key = uniqueKey('statement.pdf');
    const url = new URL(await presignPut(key));
    const signature = url.searchParams.get('X-Amz-Signature')!;
    url.searchParams.set('X-Amz-Signature', `${signature[0] === '0' ? '1' : '0'}${signature.slice(1)}`);

    // Act
    const response = await fetch(url, { method: 'PUT', body: 'tampered' });

    // Assess
    expect(await errorOf(response)).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    expect(response.headers.get('content-type')).toBe('application/xml');
    expect(await existsDirectly(key)).toBe(false);
    expect(refusals).toEqual([
      expect.objectContaining({ method: 'PUT', code: 'SignatureDoesNotMatch', path: url.pathname }),
    ]);
  });

  it('refuses a URL whose key was altered, and writes neither key', async () => {
    // Prepare
    const key = uniqueKey('statement.pdf');
    const url = new URL(await presignPut(key));
    url.pathname = url.pathname.replace('statement.pdf', 'other-platform.pdf');

    // Act
    const response = await fetch(url, { method: 'PUT', body: 'wrong place' });

    // Assess
    expect(await errorOf(response)).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    expect(await existsDirectly(key)).toBe(false);
    expect(await existsDirectly(key.replace('statement.pdf', 'other-platform.pdf'))).toBe(false);
  });

  it.each([
    ['partNumber', '2'],
    ['uploadId', 'someone-elses-upload'],
    ['x-amz-checksum-crc32', 'AAAAAA=='],
  ])('refuses a URL with the query parameter %s added after signing', async (name, value) => {
    // Prepare
    const key = uniqueKey('statement.pdf');
    const url = new URL(await presignPut(key));
    url.searchParams.append(name, value);

    // Act
    const response = await fetch(url, { method: 'PUT', body: 'with extras' });

    // Assess
    expect(await errorOf(response)).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    expect(await existsDirectly(key)).toBe(false);
  });

  it('refuses an x-amz-* header the URL did not sign (it could turn the upload into a copy)', async () => {
    // Prepare
    const key = uniqueKey('statement.pdf');
    const url = await presignPut(key);

    // Act
    const response = await fetch(url, {
      method: 'PUT',
      body: '',
      headers: { 'x-amz-copy-source': `/${BUCKET}/anything`, 'x-amz-meta-approved': 'yes' },
    });

    // Assess
    expect(await errorOf(response)).toEqual({
      status: 403,
      code: 'AccessDenied',
      message: 'There were headers present in the request which were not signed',
    });
    expect(await existsDirectly(key)).toBe(false);
  });

  it('refuses an expired URL with "Request has expired"', async () => {
    // Prepare
    const key = uniqueKey('late-statement.pdf');
    const url = await presignPut(key, 1);
    guardClockAheadMs = 10_000;

    // Act
    const response = await fetch(url, { method: 'PUT', body: 'too late' });

    // Assess
    expect(await errorOf(response)).toEqual({ status: 403, code: 'AccessDenied', message: 'Request has expired' });
    expect(await existsDirectly(key)).toBe(false);
  });

  it('refuses a URL dated more than 15 minutes in the future', async () => {
    const url = await presignPut(uniqueKey('early.pdf'), 3600);
    guardClockAheadMs = -16 * 60_000;

    const response = await fetch(url, { method: 'PUT', body: 'early' });

    expect(await errorOf(response)).toMatchObject({ status: 403, code: 'AccessDenied' });
  });

  it('refuses a URL presigned with the wrong secret key', async () => {
    // Prepare
    const key = uniqueKey('forged.pdf');
    const forger = clientFor(guard.endpoint, {
      credentials: { accessKeyId: CREDENTIALS.accessKeyId, secretAccessKey: 'not-the-secret' },
    });
    const url = await getSignedUrl(forger, new PutObjectCommand({ Bucket: BUCKET, Key: key }));
    forger.destroy();

    // Act
    const response = await fetch(url, { method: 'PUT', body: 'forged' });

    // Assess
    expect(await errorOf(response)).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    expect(await existsDirectly(key)).toBe(false);
  });

  it('lets a presigned UploadPart through and refuses the same URL with another partNumber', async () => {
    // Prepare
    const key = uniqueKey('evidence.zip');
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
    const partUrl = await getSignedUrl(
      presigner,
      new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 1 }),
    );
    const otherPart = new URL(partUrl);
    otherPart.searchParams.set('partNumber', '2');

    // Act
    const honest = await fetch(partUrl, { method: 'PUT', body: 'part one' });
    const moved = await fetch(otherPart, { method: 'PUT', body: 'part two' });

    // Assess
    expect(honest.status).toBe(200);
    expect(honest.headers.get('etag')).toBeTruthy();
    expect(await errorOf(moved)).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    // s3rver has no ListParts (and crashes completing a missing part), so look where it keeps parts on disk.
    const stored = readdirSync(join(dataDir, 's3', BUCKET, '._S3rver_uploads', UploadId!));
    expect(stored.filter((name) => /^\d+$/.test(name))).toEqual(['1']);
  });

  it('bakes no checksum of an empty body into a PUT URL from the presigning client', async () => {
    // A client left at the default (requestChecksumCalculation 'WHEN_SUPPORTED') currently adds
    // `x-amz-checksum-crc32=AAAAAA%3D%3D&x-amz-sdk-checksum-algorithm=CRC32` to presigned PutObject and UploadPart
    // URLs: the CRC32 of an empty body, which real S3 enforces, so every non-empty upload fails (aws-sdk-js-v3#6994)
    // while s3rver, which ignores checksums, accepts it.
    const url = new URL(await presignPut(uniqueKey('statement.pdf')));

    const names = [...url.searchParams.keys()].map((name) => name.toLowerCase());

    expect(names.filter((name) => name.startsWith('x-amz-checksum-'))).toEqual([]);
    expect(names).not.toContain('x-amz-sdk-checksum-algorithm');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
  });
});

describe('bound SHA-256 checksums', () => {
  /** A PUT URL with the body's SHA-256 bound as a signed header, as the portal presigns every single upload. */
  async function presignBoundPut(key: string, body: Buffer | string): Promise<{ url: string; checksum: string }> {
    const checksum = createHash('sha256').update(body).digest('base64');
    const url = await getSignedUrl(
      presigner,
      new PutObjectCommand({ Bucket: BUCKET, Key: key, ChecksumSHA256: checksum }),
      { expiresIn: 300, unhoistableHeaders: new Set(['x-amz-checksum-sha256']) },
    );
    return { url, checksum };
  }

  it('stores a body that matches the SHA-256 the URL bound', async () => {
    // Prepare
    const key = uniqueKey('response.pdf');
    const { url, checksum } = await presignBoundPut(key, 'the filed response');

    // Act
    const put = await fetch(url, {
      method: 'PUT',
      body: 'the filed response',
      headers: { 'x-amz-checksum-sha256': checksum },
    });

    // Assess
    expect(put.status).toBe(200);
    expect(await readDirectly(key)).toBe('the filed response');
  });

  it('refuses other bytes with BadDigest, and s3rver stores nothing (nor keeps what was there)', async () => {
    // Prepare: the honest upload first, then the same URL with other bytes, as after filing
    const key = uniqueKey('response.pdf');
    const { url, checksum } = await presignBoundPut(key, 'the filed response');
    await fetch(url, { method: 'PUT', body: 'the filed response', headers: { 'x-amz-checksum-sha256': checksum } });

    // Act
    const fresh = uniqueKey('response.pdf');
    const other = await presignBoundPut(fresh, 'the filed response');
    const refusedFresh = await fetch(other.url, {
      method: 'PUT',
      body: 'a replacement',
      headers: { 'x-amz-checksum-sha256': other.checksum },
    });
    const refusedOverwrite = await fetch(url, {
      method: 'PUT',
      body: 'a replacement',
      headers: { 'x-amz-checksum-sha256': checksum },
    });

    // Assess
    const badDigest = {
      status: 400,
      code: 'BadDigest',
      message: 'The SHA256 you specified did not match the calculated checksum.',
    };
    expect(await errorOf(refusedFresh)).toEqual(badDigest);
    expect(await errorOf(refusedOverwrite)).toEqual(badDigest);
    expect(await existsDirectly(fresh)).toBe(false);
    expect(await readDirectly(key)).toBe('the filed response');
  });

  it('refuses the URL without its signed checksum header', async () => {
    // Prepare
    const key = uniqueKey('response.pdf');
    const { url } = await presignBoundPut(key, 'the filed response');

    // Act
    const response = await fetch(url, { method: 'PUT', body: 'a replacement' });

    // Assess
    expect(await errorOf(response)).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    expect(await existsDirectly(key)).toBe(false);
  });

  it('refuses a checksum header that is not the base64 of 32 bytes', async () => {
    // Prepare
    const key = uniqueKey('response.pdf');

    // Act
    const error = await client
      .send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'bytes', ChecksumSHA256: 'bm90IGEgZGlnZXN0' }))
      .catch((e: Error & { $metadata?: { httpStatusCode?: number } }) => e);

    // Assess
    expect(error).toMatchObject({ name: 'InvalidRequest', $metadata: { httpStatusCode: 400 } });
    expect(await existsDirectly(key)).toBe(false);
  });

  it('verifies a large body without holding it in memory, after 100-continue', async () => {
    // Prepare
    const key = uniqueKey('evidence.bin');
    const body = Buffer.alloc(20 * MiB, 'evidence ');
    const { url, checksum } = await presignBoundPut(key, body);

    // Act
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        url,
        {
          method: 'PUT',
          headers: { 'content-length': body.length, expect: '100-continue', 'x-amz-checksum-sha256': checksum },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        },
      );
      request.on('continue', () => request.end(body));
      request.on('error', reject);
      request.flushHeaders();
    });

    // Assess
    expect(status).toBe(200);
    const stored = await direct.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(stored.ContentLength).toBe(body.length);
  });
});

describe('100-continue', () => {
  /** A PUT that sends its body only once the server says 100 Continue, as the SDK does for large bodies. */
  function putAfterContinue(url: string, body: Buffer): Promise<{ continued: boolean; status: number; text: string }> {
    let continued = false;
    return new Promise((resolve, reject) => {
      const request = httpRequest(
        url,
        { method: 'PUT', headers: { 'content-length': body.length, expect: '100-continue' } },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk) => {
            text += chunk;
          });
          response.on('end', () => {
            resolve({ continued, status: response.statusCode ?? 0, text });
            request.destroy();
          });
        },
      );
      request.on('continue', () => {
        continued = true;
        request.end(body);
      });
      request.on('error', reject);
      request.flushHeaders();
    });
  }

  it('asks for the body only once the signature checks out', async () => {
    // Prepare
    const key = uniqueKey('statement.pdf');
    const honestUrl = await presignPut(key);
    const tampered = new URL(honestUrl);
    tampered.searchParams.set('X-Amz-Signature', '0'.repeat(64));
    const body = Buffer.alloc(2 * MiB, 'evidence ');

    // Act
    const refused = await putAfterContinue(tampered.toString(), body);
    const accepted = await putAfterContinue(honestUrl, body);

    // Assess
    expect(refused).toMatchObject({ continued: false, status: 403 });
    expect(refused.text).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(accepted).toMatchObject({ continued: true, status: 200 });
    const stored = await direct.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(stored.ContentLength).toBe(body.length);
  });
});

describe('CORS preflight', () => {
  it('lets a browser preflight through without credentials, as S3 does', async () => {
    // Prepare
    await client.send(
      new PutBucketCorsCommand({
        Bucket: BUCKET,
        CORSConfiguration: {
          CORSRules: [{ AllowedOrigins: ['http://portal.example'], AllowedMethods: ['PUT'], AllowedHeaders: ['*'] }],
        },
      }),
    );

    // Act
    const preflight = await fetch(`${guard.endpoint}/${BUCKET}/${uniqueKey('statement.pdf')}`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://portal.example',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'content-type',
      },
    });

    // Assess
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(refusals).toEqual([]);
  });

  it('lets the preflight of a presigned PUT through: its signature is for the PUT, not for the OPTIONS', async () => {
    // Prepare: what a browser does before a single PUT with the signed checksum header (the web app's upload).
    await client.send(
      new PutBucketCorsCommand({
        Bucket: BUCKET,
        CORSConfiguration: {
          CORSRules: [
            {
              AllowedOrigins: ['http://portal.example'],
              AllowedMethods: ['PUT'],
              AllowedHeaders: ['content-type', 'x-amz-checksum-sha256'],
            },
          ],
        },
      }),
    );
    const body = Buffer.from('bound bytes');
    const sha256 = createHash('sha256').update(body).digest('base64');
    const url = await getSignedUrl(
      presigner,
      new PutObjectCommand({ Bucket: BUCKET, Key: uniqueKey('bound.pdf'), ChecksumSHA256: sha256 }),
      { expiresIn: 300, unhoistableHeaders: new Set(['x-amz-checksum-sha256']) },
    );
    expect(new URL(url).searchParams.get('X-Amz-SignedHeaders')).toContain('x-amz-checksum-sha256');

    // Act
    const preflight = await fetch(url, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://portal.example',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'content-type,x-amz-checksum-sha256',
      },
    });

    // Assess
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-amz-checksum-sha256');
    expect(refusals).toEqual([]);
  });
});

describe('requests without credentials', () => {
  it('refuses an unsigned PUT and GET that s3rver alone would accept', async () => {
    // Prepare
    const key = uniqueKey('anonymous.pdf');
    const viaS3rver = await fetch(`${s3rver.endpoint}/${BUCKET}/${key}-direct`, { method: 'PUT', body: 'anon' });

    // Act
    const put = await fetch(`${guard.endpoint}/${BUCKET}/${key}`, { method: 'PUT', body: 'anonymous' });
    const get = await fetch(`${guard.endpoint}/${BUCKET}/${key}-direct`);

    // Assess
    expect(viaS3rver.status).toBe(200);
    expect(await errorOf(put)).toEqual({ status: 403, code: 'AccessDenied', message: 'Access Denied' });
    expect(await errorOf(get)).toMatchObject({ status: 403, code: 'AccessDenied' });
    expect(await existsDirectly(key)).toBe(false);
  });
});

describe('streaming', () => {
  it('streams a 64 MiB presigned upload without holding it in memory', async () => {
    // Act: measured in a fresh process (see the probe), so other test files' heaps neither stall nor blur it
    const { stdout } = await run(
      process.execPath,
      ['--expose-gc', '-r', 'tsx/cjs', join(__dirname, 'support', 'guard-streaming-probe.ts')],
      { env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }, timeout: 60_000 },
    );
    const result = JSON.parse(stdout.trim());

    // Assess
    expect(result).toMatchObject({ warmUp: 200, status: 200, storedBytes: 64 * MiB });
    if (process.env.REPORT_MEMORY) process.stderr.write(`s3-signature-guard memory: ${JSON.stringify(result)}\n`);
    // A proxy that buffered the body would hold at least 64 MiB live (measured: 77 MiB live, 76 MiB RSS).
    expect(result.growthMiB.peakLiveArrayBuffers).toBeLessThan(32);
    expect(result.growthMiB.peakRss).toBeLessThan(32);
    expect(result.growthMiB.retainedArrayBuffers).toBeLessThan(8);
  }, 90_000);
});
