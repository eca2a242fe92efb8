import { createHash } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ResponseStorage } from '../../lambdas/adapters/s3-response-storage';
import { UploadGone, UploadRefused } from '../../lambdas/domain/response-storage';

/**
 * What the presigned URLs bind. Neither embedded server would notice a mistake here (s3rver ignores checksums and
 * a missing VersionId serves the newest version everywhere), so the URLs themselves are checked.
 */
const BUCKET = 'notice-responses-test';
const KEY = 'notices/ntc_01JD0000000000000000000000/submissions/sub_01JD0000000000000000000000/0';
const bytes = Buffer.from('%PDF-1.7 the filed response');
const sha256Hex = createHash('sha256').update(bytes).digest('hex');
const sha256Base64 = createHash('sha256').update(bytes).digest('base64');

function storage(): S3ResponseStorage {
  const client = new S3Client({
    region: 'ap-southeast-2',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  return new S3ResponseStorage(client, BUCKET, client);
}

describe('S3ResponseStorage presigning', () => {
  it('binds the declared SHA-256 into a presigned PUT as a signed header the client must send', async () => {
    // Act
    const { url, headers } = await storage().presignPut(
      KEY,
      { contentType: 'application/pdf', sha256: sha256Hex },
      3600,
    );

    // Assess
    const query = new URL(url).searchParams;
    expect(query.get('X-Amz-SignedHeaders')?.split(';')).toEqual(['host', 'x-amz-checksum-sha256']);
    // Hoisted into the query it would be a mere parameter, not the checksum S3 verifies the body against.
    expect([...query.keys()].filter((k) => /checksum/i.test(k))).toEqual([]);
    expect(query.get('X-Amz-Expires')).toBe('3600');
    expect(headers).toEqual({ 'x-amz-checksum-sha256': sha256Base64 });
  });

  it("binds a part's SHA-256 into its presigned UploadPart as a signed header, with no SDK checksum in the query", async () => {
    // Act
    const { url, headers } = await storage().presignUploadPart(
      KEY,
      'upload-1',
      { partNumber: 3, sha256: sha256Hex },
      3600,
    );

    // Assess
    const query = new URL(url).searchParams;
    expect(query.get('X-Amz-SignedHeaders')?.split(';')).toEqual(['host', 'x-amz-checksum-sha256']);
    expect([...query.keys()].filter((k) => /checksum/i.test(k))).toEqual([]);
    expect(query.get('partNumber')).toBe('3');
    expect(query.get('uploadId')).toBe('upload-1');
    expect(headers).toEqual({ 'x-amz-checksum-sha256': sha256Base64 });
  });

  it('presigns a GET of the named version, and of the newest without one', async () => {
    // Act
    const pinned = new URL(await storage().presignGet(KEY, 'response.pdf', 300, 'v3.L4kqtJlcpXroDTDmpUMLUo'));
    const newest = new URL(await storage().presignGet(KEY, 'response.pdf', 300));

    // Assess
    expect(pinned.searchParams.get('versionId')).toBe('v3.L4kqtJlcpXroDTDmpUMLUo');
    expect(newest.searchParams.has('versionId')).toBe(false);
    expect(pinned.searchParams.get('response-content-disposition')).toMatch(/filename="response\.pdf"/);
  });
});

describe('S3ResponseStorage completing a multipart upload', () => {
  /** Storage over a client whose every call fails with `error`, as S3 (or the network) answered. */
  function failingWith(error: Error): S3ResponseStorage {
    const client = new S3Client({
      region: 'ap-southeast-2',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });
    client.send = async () => {
      throw error;
    };
    return new S3ResponseStorage(client, BUCKET, client);
  }
  const s3Error = (name: string, status: number | undefined) =>
    Object.assign(new Error(`${name} answered`), { name, $metadata: { httpStatusCode: status } });
  const complete = (error: Error) =>
    failingWith(error)
      .completeMultipartUpload(KEY, 'upload-1', [{ partNumber: 1, etag: '"etag"' }])
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );

  it.each([
    ['InvalidPart', 400],
    ['InvalidPartOrder', 400],
    ['EntityTooSmall', 400],
    ['BadDigest', 400],
  ])('reports S3’s refusal of the parts (%s, %i) as UploadRefused, the client’s mistake', async (name, status) => {
    const error = s3Error(name, status);
    const thrown = await complete(error);
    expect(thrown).toBeInstanceOf(UploadRefused);
    expect(thrown).toMatchObject({ key: KEY, reason: `${name}: ${name} answered`, cause: error });
  });

  it('reports a completed or aborted upload (NoSuchUpload) as UploadGone', async () => {
    expect(await complete(s3Error('NoSuchUpload', 404))).toBeInstanceOf(UploadGone);
  });

  it.each([
    ['AccessDenied', 403],
    ['SlowDown', 503],
    ['InternalError', 500],
    ['TimeoutError', undefined],
  ])('passes %s (%s) on unchanged: a fault of the store or the function, not a refusal', async (name, status) => {
    const error = s3Error(name, status);
    expect(await complete(error)).toBe(error);
  });
});
