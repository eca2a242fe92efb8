import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import {
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListPartsCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { RunningService } from '../../local/embedded-services';
import type { RefusedRequest, RunningS3SignatureGuard } from '../../local/s3-signature-guard';
import { defined } from '../support/defined';
import { pollUntil } from '../support/poll';
import { type GuardedS3, s3ClientFor, startGuardedS3, uniqueKeys } from './support/guarded-s3';

/**
 * s3rver 3.7.1 has no ListParts, completes whatever part list it is given and crashes on a part it does not have.
 * With `s3rverDirectory` the guard answers ListParts from s3rver's part files and checks CompleteMultipartUpload
 * as S3 does. Everything goes through the SDK and the guard; "directly" means s3rver itself.
 */
const BUCKET = 'notice-multipart-test';
const MiB = 1024 * 1024;

let storage: GuardedS3;
let dataDir: string;
let s3rver: RunningService;
let guard: RunningS3SignatureGuard;
let refusals: RefusedRequest[] = [];
let client: S3Client;
let direct: S3Client;

function clientFor(endpoint: string): S3Client {
  // A refusal must surface as the first answer, not be retried into something else.
  return s3ClientFor(endpoint, { maxAttempts: 1 });
}

const uniqueKey = uniqueKeys('notices');

beforeAll(async () => {
  storage = await startGuardedS3({
    bucket: BUCKET,
    folderPrefix: 's3-multipart-fidelity-',
    multipart: true,
    // Parts without checksums, to test what s3rver gets wrong; the Object Lock rule has its own suite.
    guard: { onRefused: (info) => refusals.push(info), objectLockDefaultRetention: false },
  });
  ({ dataDir, s3rver, guard } = storage);
  client = clientFor(guard.endpoint);
  direct = clientFor(s3rver.endpoint);
});

afterEach(() => {
  refusals = [];
});

afterAll(async () => {
  for (const c of [client, direct]) c?.destroy();
  await storage?.stop();
});

/** Content that differs per part, so a part in the wrong place or a truncated one changes the object. */
function partBytes(partNumber: number, size: number): Buffer {
  return Buffer.alloc(size, `part ${partNumber}, `);
}

function md5Quoted(data: Buffer): string {
  return `"${createHash('md5').update(data).digest('hex')}"`;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function uploadDirectory(uploadId: string): string {
  return join(dataDir, 's3', BUCKET, '._S3rver_uploads', uploadId);
}

async function createUpload(key: string, via = client): Promise<string> {
  const { UploadId } = await via.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
  return UploadId!;
}

async function uploadPart(key: string, uploadId: string, partNumber: number, body: Buffer): Promise<CompletedPart> {
  const { ETag } = await client.send(
    new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, PartNumber: partNumber, Body: body }),
  );
  return { PartNumber: partNumber, ETag: ETag! };
}

/** An upload with parts of the given sizes, numbered from 1 unless `numbers` says otherwise. */
async function uploadWithParts(name: string, sizes: number[], numbers = sizes.map((_, index) => index + 1)) {
  const key = uniqueKey(name);
  const uploadId = await createUpload(key);
  const partNumber = (index: number) => defined(numbers[index], `the number of part ${index + 1}`);
  const bodies = sizes.map((size, index) => partBytes(partNumber(index), size));
  const parts: CompletedPart[] = [];
  for (const [index, body] of bodies.entries()) parts.push(await uploadPart(key, uploadId, partNumber(index), body));
  return { key, uploadId, bodies, parts };
}

/** The part that `uploadWithParts` uploaded `index`-th (from 0), whatever its part number. */
function partAt(parts: CompletedPart[], index: number): CompletedPart {
  return defined(parts[index], `uploaded part ${index}`);
}

function complete(key: string, uploadId: string, parts: CompletedPart[], via = client) {
  return via.send(
    new CompleteMultipartUploadCommand({
      Bucket: BUCKET,
      Key: key,
      UploadId: uploadId,
      MultipartUpload: { Parts: parts },
    }),
  );
}

function listParts(key: string, uploadId: string, page: { MaxParts?: number; PartNumberMarker?: string } = {}) {
  return client.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, ...page }));
}

async function getObjectBytes(key: string): Promise<Buffer> {
  const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(await object.Body!.transformToByteArray());
}

/** A client whose CompleteMultipartUpload body is replaced before signing, so the guard sees an honest signature. */
function clientSigning(body: string): S3Client {
  const custom = clientFor(guard.endpoint);
  custom.middlewareStack.addRelativeTo(
    (next: any) => async (args: any) => {
      args.request.body = body;
      args.request.headers['content-length'] = String(Buffer.byteLength(body));
      return next(args);
    },
    { name: 'replaceBodyBeforeSigning', relation: 'before', toMiddleware: 'httpSigningMiddleware' },
  );
  return custom;
}

const FIVE_MIB_AND_A_KIB = [5 * MiB, 5 * MiB, 1024];

describe('ListParts', () => {
  it('lists the parts with the ETags UploadPart returned, their sizes and dates', async () => {
    // Prepare
    const before = Date.now();
    const { key, uploadId, bodies, parts } = await uploadWithParts('statement.pdf', FIVE_MIB_AND_A_KIB);

    // Act
    const listed = await listParts(key, uploadId);

    // Assess
    expect(parts.map((part) => part.ETag)).toEqual(bodies.map(md5Quoted));
    expect(listed).toMatchObject({
      Bucket: BUCKET,
      Key: key,
      UploadId: uploadId,
      PartNumberMarker: '0',
      NextPartNumberMarker: '3',
      MaxParts: 1000,
      IsTruncated: false,
      StorageClass: 'STANDARD',
      Owner: { ID: '123456789000', DisplayName: 'S3rver' },
    });
    expect(listed.Parts?.map(({ PartNumber, ETag, Size }) => ({ PartNumber, ETag, Size }))).toEqual([
      { PartNumber: 1, ETag: partAt(parts, 0).ETag, Size: 5 * MiB },
      { PartNumber: 2, ETag: partAt(parts, 1).ETag, Size: 5 * MiB },
      { PartNumber: 3, ETag: partAt(parts, 2).ETag, Size: 1024 },
    ]);
    for (const part of listed.Parts ?? []) {
      expect(part.LastModified).toBeInstanceOf(Date);
      expect(part.LastModified!.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(part.LastModified!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    }
    expect(refusals).toEqual([]);
  });

  it('pages with max-parts and part-number-marker until IsTruncated is false', async () => {
    // Prepare
    const { key, uploadId, parts } = await uploadWithParts('evidence.zip', FIVE_MIB_AND_A_KIB);

    // Act
    const first = await listParts(key, uploadId, { MaxParts: 2 });
    const second = await listParts(key, uploadId, { MaxParts: 2, PartNumberMarker: first.NextPartNumberMarker });
    // One part per page, following the markers until IsTruncated is false, as the portal's storage adapter does.
    // (The SDK's paginateListParts stops only on an empty NextPartNumberMarker, which S3 never sends: it loops.)
    const paged: number[] = [];
    let marker: string | undefined;
    for (let page = 0; page < 10; page++) {
      const listed = await listParts(key, uploadId, { MaxParts: 1, PartNumberMarker: marker });
      paged.push(...(listed.Parts ?? []).map((part) => part.PartNumber!));
      if (!listed.IsTruncated) break;
      marker = listed.NextPartNumberMarker;
    }
    const pastTheEnd = await listParts(key, uploadId, { PartNumberMarker: '3' });

    // Assess
    expect(first).toMatchObject({ IsTruncated: true, MaxParts: 2, PartNumberMarker: '0', NextPartNumberMarker: '2' });
    expect(first.Parts?.map((part) => part.ETag)).toEqual([partAt(parts, 0).ETag, partAt(parts, 1).ETag]);
    expect(second).toMatchObject({ IsTruncated: false, PartNumberMarker: '2', NextPartNumberMarker: '3' });
    expect(second.Parts?.map((part) => [part.PartNumber, part.ETag])).toEqual([[3, partAt(parts, 2).ETag]]);
    expect(paged).toEqual([1, 2, 3]);
    expect(pastTheEnd).toMatchObject({ IsTruncated: false, PartNumberMarker: '3', NextPartNumberMarker: '0' });
    expect(pastTheEnd.Parts ?? []).toEqual([]);
  });

  it('shows exactly the parts that arrived, so an interrupted upload can resume', async () => {
    // Prepare: parts 1 and 3 made it, part 2 did not.
    const { key, uploadId, parts } = await uploadWithParts('large-evidence.zip', [5 * MiB, 1024], [1, 3]);

    // Act
    const listed = await listParts(key, uploadId);
    const missing = partBytes(2, 5 * MiB);
    const resumed = await uploadPart(key, uploadId, 2, missing);
    await complete(key, uploadId, [partAt(parts, 0), resumed, partAt(parts, 1)]);

    // Assess
    expect(listed.Parts?.map((part) => [part.PartNumber, part.ETag, part.Size])).toEqual([
      [1, partAt(parts, 0).ETag, 5 * MiB],
      [3, partAt(parts, 1).ETag, 1024],
    ]);
    expect(sha256(await getObjectBytes(key))).toBe(
      sha256(Buffer.concat([partBytes(1, 5 * MiB), missing, partBytes(3, 1024)])),
    );
  });

  it('answers an upload with no parts yet with an empty list', async () => {
    const key = uniqueKey('empty.pdf');
    const uploadId = await createUpload(key);

    const listed = await listParts(key, uploadId);

    expect(listed).toMatchObject({ IsTruncated: false, NextPartNumberMarker: '0' });
    expect(listed.Parts ?? []).toEqual([]);
  });

  it.each([
    ['an unknown upload id', (_key: string) => 'c0ffeec0ffeec0ffeec0ffeec0ffee00'],
    ['a path for an upload id', (_key: string) => '../../etc'],
  ])('answers NoSuchUpload for %s', async (_case, uploadIdFor) => {
    const key = uniqueKey('statement.pdf');

    const attempt = listParts(key, uploadIdFor(key));

    await expect(attempt).rejects.toMatchObject({ name: 'NoSuchUpload', $metadata: { httpStatusCode: 404 } });
  });

  it('answers NoSuchUpload for an upload id of another key', async () => {
    const { uploadId } = await uploadWithParts('statement.pdf', [1024]);

    const attempt = listParts(uniqueKey('other-statement.pdf'), uploadId);

    await expect(attempt).rejects.toMatchObject({ name: 'NoSuchUpload' });
  });

  it('refuses an unsigned ListParts like any other request', async () => {
    const { key, uploadId } = await uploadWithParts('statement.pdf', [1024]);

    const response = await fetch(`${guard.endpoint}/${BUCKET}/${key}?uploadId=${uploadId}`);

    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>AccessDenied</Code>');
  });

  it('leaves out a part whose re-upload was abandoned half-way (s3rver truncates it in place)', async () => {
    // Prepare
    const { key, uploadId, parts } = await uploadWithParts('statement.pdf', [5 * MiB, 1024]);
    const url = await getSignedUrl(
      client,
      new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, PartNumber: 1 }),
    );
    const partFile = join(uploadDirectory(uploadId), '1');

    // Act: send half of a new part 1, wait until s3rver has written some of it, then go away.
    const abandoned = httpRequest(url, { method: 'PUT', headers: { 'content-length': 5 * MiB } });
    abandoned.on('error', () => {});
    abandoned.write(partBytes(9, 2 * MiB));
    await pollUntil(
      () => statSync(partFile).size,
      (size) => size !== 5 * MiB,
    );
    abandoned.destroy();
    // Once the abandoned request has settled in s3rver, ListParts no longer offers the truncated part 1.
    const listed = await pollUntil(
      () => listParts(key, uploadId),
      (page) => page.Parts?.length === 1,
    );
    const completed = complete(key, uploadId, parts);

    // Assess
    expect(statSync(partFile).size).toBeLessThan(5 * MiB);
    expect(listed.Parts?.map((part) => part.PartNumber)).toEqual([2]);
    await expect(completed).rejects.toMatchObject({ name: 'InvalidPart' });
  });

  it('still lists a part whose MD5 file is older than its bytes when the bytes match (verified by hashing)', async () => {
    // s3rver writes the MD5 file before the last chunk of the part reaches the disk, so this happens by itself.
    const { key, uploadId, parts } = await uploadWithParts('statement.pdf', [5 * MiB, 1024]);
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(uploadDirectory(uploadId), '1'), later, later);

    const listed = await listParts(key, uploadId);

    expect(listed.Parts?.map((part) => [part.PartNumber, part.ETag])).toEqual([
      [1, partAt(parts, 0).ETag],
      [2, partAt(parts, 1).ETag],
    ]);
  });
});

describe('CompleteMultipartUpload', () => {
  it('completes a correct part list; GetObject returns the parts concatenated and the upload is gone', async () => {
    // Prepare
    const { key, uploadId, bodies, parts } = await uploadWithParts('statement.pdf', FIVE_MIB_AND_A_KIB);

    // Act
    const completed = await complete(key, uploadId, parts);
    const stored = await getObjectBytes(key);

    // Assess
    expect(completed.Key).toBe(key);
    expect(stored.length).toBe(10 * MiB + 1024);
    expect(sha256(stored)).toBe(sha256(Buffer.concat(bodies)));
    await expect(listParts(key, uploadId)).rejects.toMatchObject({ name: 'NoSuchUpload' });
    expect(refusals.map((refusal) => [refusal.method, refusal.code])).toEqual([['GET', 'NoSuchUpload']]);
  });

  it('refuses a part that was never uploaded with InvalidPart, and s3rver survives', async () => {
    // Without the guard s3rver dies of an uncaught ENOENT here, taking the whole local portal with it.
    // Prepare
    const { key, uploadId, parts } = await uploadWithParts('statement.pdf', [5 * MiB, 1024]);

    // Act
    const attempt = complete(key, uploadId, [
      partAt(parts, 0),
      { PartNumber: 2, ETag: partAt(parts, 1).ETag },
      { PartNumber: 3, ETag: partAt(parts, 1).ETag },
    ]);

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'InvalidPart', $metadata: { httpStatusCode: 400 } });
    expect(refusals).toEqual([expect.objectContaining({ method: 'POST', code: 'InvalidPart' })]);
    expect((await listParts(key, uploadId)).Parts?.map((part) => part.PartNumber)).toEqual([1, 2]);
    await expect(complete(key, uploadId, parts)).resolves.toMatchObject({ Key: key });
  });

  it('refuses a part whose ETag does not match with InvalidPart', async () => {
    const { key, uploadId, parts } = await uploadWithParts('statement.pdf', [5 * MiB, 1024]);

    const attempt = complete(key, uploadId, [
      partAt(parts, 0),
      { PartNumber: 2, ETag: md5Quoted(Buffer.from('other')) },
    ]);

    await expect(attempt).rejects.toMatchObject({ name: 'InvalidPart' });
    expect(existsSync(uploadDirectory(uploadId))).toBe(true);
  });

  it('refuses parts out of order with InvalidPartOrder', async () => {
    const { key, uploadId, parts } = await uploadWithParts('statement.pdf', [5 * MiB, 5 * MiB]);

    const attempt = complete(key, uploadId, [partAt(parts, 1), partAt(parts, 0)]);

    await expect(attempt).rejects.toMatchObject({ name: 'InvalidPartOrder', $metadata: { httpStatusCode: 400 } });
  });

  it('refuses a part listed twice with InvalidPartOrder', async () => {
    const { key, uploadId, parts } = await uploadWithParts('statement.pdf', [5 * MiB, 1024]);

    const attempt = complete(key, uploadId, [partAt(parts, 0), partAt(parts, 0), partAt(parts, 1)]);

    await expect(attempt).rejects.toMatchObject({ name: 'InvalidPartOrder' });
  });

  it('refuses a part under 5 MiB that is not the last with EntityTooSmall, which s3rver alone accepts', async () => {
    // Prepare
    const small = await uploadWithParts('statement.pdf', [1024, 5 * MiB]);
    const key = uniqueKey('statement.pdf');
    const uploadId = await createUpload(key, direct);
    const directParts: CompletedPart[] = [];
    for (const [index, size] of [1024, 1024].entries()) {
      const { ETag } = await direct.send(
        new UploadPartCommand({
          Bucket: BUCKET,
          Key: key,
          UploadId: uploadId,
          PartNumber: index + 1,
          Body: partBytes(index + 1, size),
        }),
      );
      directParts.push({ PartNumber: index + 1, ETag: ETag! });
    }

    // Act
    const guarded = await complete(small.key, small.uploadId, small.parts).catch((error: Error) => error);
    const directly = await complete(key, uploadId, directParts, direct);

    // Assess
    expect(guarded).toMatchObject({ name: 'EntityTooSmall', $metadata: { httpStatusCode: 400 } });
    expect(directly.Key).toBe(key);
  });

  it('accepts a last part under 5 MiB, and a single small part', async () => {
    const single = await uploadWithParts('note.txt', [10]);

    await expect(complete(single.key, single.uploadId, single.parts)).resolves.toMatchObject({ Key: single.key });
    expect(await getObjectBytes(single.key)).toEqual(single.bodies[0]);
  });

  it('answers NoSuchUpload for an unknown upload id instead of failing inside s3rver', async () => {
    const key = uniqueKey('statement.pdf');

    const attempt = complete(key, 'c0ffeec0ffeec0ffeec0ffeec0ffee00', [{ PartNumber: 1, ETag: '"x"' }]);

    await expect(attempt).rejects.toMatchObject({ name: 'NoSuchUpload', $metadata: { httpStatusCode: 404 } });
  });

  it('answers NoSuchUpload when the upload belongs to another key (s3rver would store it under the other key)', async () => {
    const { uploadId, parts } = await uploadWithParts('statement.pdf', [1024]);

    const attempt = complete(uniqueKey('elsewhere.pdf'), uploadId, parts);

    await expect(attempt).rejects.toMatchObject({ name: 'NoSuchUpload' });
  });

  it('lets one of two concurrent completions through and answers the other NoSuchUpload', async () => {
    // An SDK that times out on a long completion retries it while the first still runs; s3rver alone would read
    // part files the first completion is deleting.
    const { key, uploadId, bodies, parts } = await uploadWithParts('statement.pdf', FIVE_MIB_AND_A_KIB);

    const outcomes = await Promise.allSettled([complete(key, uploadId, parts), complete(key, uploadId, parts)]);

    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ name: 'NoSuchUpload' });
    expect(sha256(await getObjectBytes(key))).toBe(sha256(Buffer.concat(bodies)));
  });

  it('refuses a body changed after signing with XAmzContentSHA256Mismatch', async () => {
    // Prepare: swap part 2's ETag for another of the same length, so only the payload hash can tell.
    const { key, uploadId, parts } = await uploadWithParts('statement.pdf', [5 * MiB, 1024]);
    const forged = md5Quoted(Buffer.from('forged'));
    const tampering = clientFor(guard.endpoint);
    tampering.middlewareStack.addRelativeTo(
      (next: any) => async (args: any) => {
        args.request.body = String(args.request.body).replace(partAt(parts, 1).ETag!.slice(1, -1), forged.slice(1, -1));
        return next(args);
      },
      { name: 'tamperAfterSigning', relation: 'after', toMiddleware: 'httpSigningMiddleware' },
    );

    // Act
    const attempt = complete(key, uploadId, parts, tampering);

    // Assess
    await expect(attempt).rejects.toMatchObject({
      name: 'XAmzContentSHA256Mismatch',
      $metadata: { httpStatusCode: 400 },
    });
    expect(existsSync(uploadDirectory(uploadId))).toBe(true);
    tampering.destroy();
  });

  it.each([
    ['a comment', (etag: string) => `<Part><!-- --><ETag>${etag}</ETag><PartNumber>1</PartNumber></Part>`],
    ['a CDATA section', (etag: string) => `<Part><ETag><![CDATA[${etag}]]></ETag><PartNumber>1</PartNumber></Part>`],
    ['no parts', (_etag: string) => ''],
    [
      'a part number twice',
      (etag: string) => `<Part><ETag>${etag}</ETag><PartNumber>1</PartNumber><PartNumber>2</PartNumber></Part>`,
    ],
    ['a namespace prefix', (etag: string) => `<s3:Part><ETag>${etag}</ETag><PartNumber>1</PartNumber></s3:Part>`],
  ])('refuses a part list with %s as MalformedXML', async (_case, partsXml) => {
    // Prepare
    const { key, uploadId, parts } = await uploadWithParts('statement.pdf', [1024]);
    const body = `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${partsXml(partAt(parts, 0).ETag!)}</CompleteMultipartUpload>`;
    const custom = clientSigning(body);

    // Act
    const attempt = complete(key, uploadId, parts, custom);

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'MalformedXML', $metadata: { httpStatusCode: 400 } });
    custom.destroy();
  });

  it('reads character references in a hand-written part list as S3 does', async () => {
    const { key, uploadId, parts } = await uploadWithParts('statement.pdf', [1024]);
    const etag = partAt(parts, 0).ETag!.replace(/"/g, '&quot;');
    const body = `<CompleteMultipartUpload>\n  <Part>\n    <PartNumber> 1 </PartNumber>\n    <ETag>${etag}</ETag>\n  </Part>\n</CompleteMultipartUpload>\n`;
    const custom = clientSigning(body);

    await expect(complete(key, uploadId, parts, custom)).resolves.toMatchObject({ Key: key });
    custom.destroy();
  });
});

describe('UploadPart', () => {
  it('refuses a part for an unknown upload with NoSuchUpload, where s3rver would create the upload', async () => {
    const key = uniqueKey('statement.pdf');
    const uploadId = 'c0ffeec0ffeec0ffeec0ffeec0ffee01';

    const attempt = uploadPart(key, uploadId, 1, Buffer.from('part'));

    await expect(attempt).rejects.toMatchObject({ name: 'NoSuchUpload', $metadata: { httpStatusCode: 404 } });
    expect(existsSync(uploadDirectory(uploadId))).toBe(false);
  });

  it('refuses a part for an upload already completed with NoSuchUpload, and the object keeps its bytes', async () => {
    // A part URL stays valid for an hour: after the response is filed, it must not be able to change the file.
    // Prepare
    const { key, uploadId, bodies, parts } = await uploadWithParts('evidence.zip', [5 * MiB, 1024]);
    await complete(key, uploadId, parts);

    // Act
    const attempt = uploadPart(key, uploadId, 2, Buffer.from('a replacement last part'));

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'NoSuchUpload', $metadata: { httpStatusCode: 404 } });
    expect(existsSync(uploadDirectory(uploadId))).toBe(false);
    expect(sha256(await getObjectBytes(key))).toBe(sha256(Buffer.concat(bodies)));
  });

  it.each([0, 10_001])('refuses part number %d with InvalidArgument', async (partNumber) => {
    const key = uniqueKey('statement.pdf');
    const uploadId = await createUpload(key);

    const attempt = uploadPart(key, uploadId, partNumber, Buffer.from('part'));

    await expect(attempt).rejects.toMatchObject({ name: 'InvalidArgument', $metadata: { httpStatusCode: 400 } });
    expect(readdirSync(uploadDirectory(uploadId)).sort()).toEqual(['key', 'metadata']);
  });
});
