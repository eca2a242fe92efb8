import { createHash } from 'node:crypto';
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { S3ResponseStorage } from '../../lambdas/adapters/s3-response-storage';
import { UploadGone } from '../../lambdas/domain/response-storage';
import { type GuardedS3, s3ClientFor, startGuardedS3, uniqueKeys } from './support/guarded-s3';

/**
 * The response bucket has Object Lock default retention on AWS, so S3 refuses every write without an integrity
 * check, and S3 verifies the SHA-256 each presigned URL binds. The local guard refuses the same requests with the
 * same status and S3 error code; these tests drive it with the portal's own adapter (`S3ResponseStorage`), as the
 * CLI and the browser use its URLs: plain `fetch` with the headers the portal hands out.
 */
const BUCKET = 'notice-object-lock-test';
const MiB = 1024 * 1024;
const OBJECT_LOCK_MESSAGE =
  'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters';

let storage: GuardedS3;
let client: S3Client;
let responses: S3ResponseStorage;
const uniqueKey = uniqueKeys('notices');

const sha256Hex = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  // The guard as the local portal runs it: multipart emulation on, Object Lock rule at its default (on).
  storage = await startGuardedS3({ bucket: BUCKET, folderPrefix: 's3-object-lock-', multipart: true });
  // A refusal must surface as the first answer, not be retried into something else.
  client = s3ClientFor(storage.guard.endpoint, { maxAttempts: 1 });
  responses = new S3ResponseStorage(client, BUCKET, client);
});

afterAll(async () => {
  client.destroy();
  await storage.stop();
});

/** S3's error code and message from an XML error body. */
async function s3Error(response: Response): Promise<{ status: number; code?: string; message?: string }> {
  const xml = await response.text();
  return {
    status: response.status,
    code: /<Code>([^<]*)<\/Code>/.exec(xml)?.[1],
    message: /<Message>([^<]*)<\/Message>/.exec(xml)?.[1],
  };
}

async function stored(key: string): Promise<Buffer | undefined> {
  try {
    const out = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return Buffer.from(await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

/** Asserts what real S3 needs of a checksum-bound presigned URL, in its query. */
function expectChecksumBoundUrl(url: string): void {
  const query = new URL(url).searchParams;
  expect(query.get('X-Amz-SignedHeaders')?.split(';')).toContain('x-amz-checksum-sha256');
  const names = [...query.keys()].map((name) => name.toLowerCase());
  // No checksum hoisted into the query, and none of the SDK's empty-body CRC32 (aws-sdk-js-v3#6994).
  expect(names.filter((name) => name.startsWith('x-amz-checksum-'))).toEqual([]);
  expect(names).not.toContain('x-amz-sdk-checksum-algorithm');
}

describe('single PUTs', () => {
  it('refuses a presigned PUT whose body is not the bound SHA-256 with BadDigest, as S3 does, and stores nothing', async () => {
    // Prepare
    const key = uniqueKey('response.pdf');
    const declared = Buffer.from('%PDF-1.7 the declared response');
    const { url, headers } = await responses.presignPut(
      key,
      { contentType: undefined, sha256: sha256Hex(declared) },
      300,
    );

    // Act
    const put = await fetch(url, { method: 'PUT', body: 'other bytes entirely', headers });

    // Assess
    expectChecksumBoundUrl(url);
    expect(await s3Error(put)).toEqual({
      status: 400,
      code: 'BadDigest',
      message: 'The SHA256 you specified did not match the calculated checksum.',
    });
    expect(await stored(key)).toBeUndefined();
    const accepted = await fetch(url, { method: 'PUT', body: declared, headers });
    expect(accepted.status).toBe(200);
    expect((await stored(key))?.equals(declared)).toBe(true);
  });

  it('refuses a PutObject without Content-MD5 or a checksum with InvalidRequest, as S3 under Object Lock does', async () => {
    // Prepare: a URL presigned with no checksum at all (what the portal must never hand out)
    const key = uniqueKey('unchecked.pdf');
    const url = await getSignedUrl(client, new PutObjectCommand({ Bucket: BUCKET, Key: key }), { expiresIn: 300 });

    // Act
    const put = await fetch(url, { method: 'PUT', body: 'bytes without an integrity check' });

    // Assess
    expect(await s3Error(put)).toEqual({ status: 400, code: 'InvalidRequest', message: OBJECT_LOCK_MESSAGE });
    expect(await stored(key)).toBeUndefined();
  });

  it("accepts a server-side PutObject with the SDK's default CRC32, and one with a Content-MD5 it verifies", async () => {
    // Prepare
    const defaultClient = s3ClientFor(storage.guard.endpoint, { requestChecksumCalculation: 'WHEN_SUPPORTED' });
    const withCrc32 = uniqueKey('crc32.json');
    const withMd5 = uniqueKey('md5.json');
    const md5 = (body: string) => createHash('md5').update(body).digest('base64');

    // Act
    await defaultClient.send(new PutObjectCommand({ Bucket: BUCKET, Key: withCrc32, Body: '{"a":1}' }));
    await client.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: withMd5, Body: '{"b":2}', ContentMD5: md5('{"b":2}') }),
    );
    const badMd5 = await client
      .send(
        new PutObjectCommand({ Bucket: BUCKET, Key: uniqueKey('bad-md5.json'), Body: '{"c":3}', ContentMD5: md5('x') }),
      )
      .catch((error: Error) => error);

    // Assess
    expect((await stored(withCrc32))?.toString()).toBe('{"a":1}');
    expect((await stored(withMd5))?.toString()).toBe('{"b":2}');
    expect(badMd5).toMatchObject({ name: 'BadDigest', $metadata: { httpStatusCode: 400 } });
    defaultClient.destroy();
  });
});

describe('multipart uploads with SHA-256 checksums', () => {
  const partOne = Buffer.alloc(5 * MiB, 'a');
  const partTwo = Buffer.from('the last, short part');

  async function presignedPart(key: string, uploadId: string, partNumber: number, body: Buffer) {
    return responses.presignUploadPart(key, uploadId, { partNumber, sha256: sha256Hex(body) }, 300);
  }

  async function putPart(request: { url: string; headers: Record<string, string> }, body: Buffer) {
    return fetch(request.url, { method: 'PUT', body, headers: request.headers });
  }

  it('refuses a presigned part whose body is not the bound SHA-256, and one without a checksum', async () => {
    // Prepare
    const key = uniqueKey('archive.zip');
    const uploadId = await responses.createMultipartUpload(key, 'application/zip');
    const bound = await presignedPart(key, uploadId, 1, partOne);
    const unbound = await responses.presignUploadPart(key, uploadId, { partNumber: 1 }, 300);

    // Act
    const wrongBody = await putPart(bound, Buffer.alloc(5 * MiB, 'b'));
    const noChecksum = await putPart(unbound, partOne);

    // Assess
    expectChecksumBoundUrl(bound.url);
    expect(await s3Error(wrongBody)).toMatchObject({ status: 400, code: 'BadDigest' });
    expect(await s3Error(noChecksum)).toEqual({ status: 400, code: 'InvalidRequest', message: OBJECT_LOCK_MESSAGE });
    expect(await responses.listParts(key, uploadId)).toEqual([]);
  });

  it('refuses a part carrying another algorithm’s checksum, as S3 does for an upload created with SHA256', async () => {
    // Prepare
    const key = uniqueKey('archive.zip');
    const uploadId = await responses.createMultipartUpload(key, undefined);
    const url = await getSignedUrl(
      client,
      new UploadPartCommand({
        Bucket: BUCKET,
        Key: key,
        UploadId: uploadId,
        PartNumber: 1,
        ChecksumCRC32: 'AAAAAA==',
      }),
      { expiresIn: 300, unhoistableHeaders: new Set(['x-amz-checksum-crc32']) },
    );

    // Act
    const put = await fetch(url, { method: 'PUT', body: partTwo, headers: { 'x-amz-checksum-crc32': 'AAAAAA==' } });

    // Assess
    expect(await s3Error(put)).toEqual({
      status: 400,
      code: 'InvalidRequest',
      message: 'Checksum Type mismatch occurred, expected checksum Type: sha256, actual checksum Type: crc32',
    });
  });

  it('reports an upload storage no longer holds (aborted by the lifecycle rule, or never started) as UploadGone', async () => {
    // Prepare: a real upload of another key, whose id therefore names no upload of this one (S3's NoSuchUpload)
    const key = uniqueKey('archive.zip');
    const otherUpload = await responses.createMultipartUpload(uniqueKey('other.zip'), 'application/zip');

    // Act
    const listed = await responses.listParts(key, otherUpload).catch((error: unknown) => error);
    const completed = await responses
      .completeMultipartUpload(key, otherUpload, [{ partNumber: 1, etag: '"x"', sha256: sha256Hex(partTwo) }])
      .catch((error: unknown) => error);

    // Assess
    expect(listed).toBeInstanceOf(UploadGone);
    expect(completed).toBeInstanceOf(UploadGone);
  });

  it('lists each stored part with its SHA-256, and completes only with every part’s checksum right', async () => {
    // Prepare
    const key = uniqueKey('archive.zip');
    const uploadId = await responses.createMultipartUpload(key, 'application/zip');
    for (const [i, body] of [partOne, partTwo].entries()) {
      expect((await putPart(await presignedPart(key, uploadId, i + 1, body), body)).status).toBe(200);
    }

    // Act
    const listed = await responses.listParts(key, uploadId);
    const parts = listed.map(({ partNumber, etag, sha256 }) => ({ partNumber, etag, sha256 }));
    const wrongChecksum = responses.completeMultipartUpload(key, uploadId, [
      { ...(parts[0] as (typeof parts)[number]), sha256: sha256Hex('not part one') },
      parts[1] as (typeof parts)[number],
    ]);
    const noChecksum = responses.completeMultipartUpload(
      key,
      uploadId,
      parts.map(({ partNumber, etag }) => ({ partNumber, etag })),
    );

    // Assess
    expect(listed).toEqual([
      { partNumber: 1, etag: expect.any(String), size: partOne.length, sha256: sha256Hex(partOne) },
      { partNumber: 2, etag: expect.any(String), size: partTwo.length, sha256: sha256Hex(partTwo) },
    ]);
    // S3's refusals of the parts, as the port's UploadRefused (the client's mistake), with S3's own error as cause.
    await expect(wrongChecksum).rejects.toMatchObject({
      name: 'UploadRefused',
      reason: expect.stringMatching(/^InvalidPart: /),
      cause: { name: 'InvalidPart', $metadata: { httpStatusCode: 400 } },
    });
    await expect(noChecksum).rejects.toMatchObject({
      name: 'UploadRefused',
      reason: expect.stringContaining('The upload was created using a sha256 checksum.'),
      cause: { name: 'InvalidRequest', $metadata: { httpStatusCode: 400 } },
    });
    expect(await stored(key)).toBeUndefined();
    await responses.completeMultipartUpload(key, uploadId, parts);
    expect((await stored(key))?.equals(Buffer.concat([partOne, partTwo]))).toBe(true);
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(head.ContentLength).toBe(partOne.length + partTwo.length);
  });
});
