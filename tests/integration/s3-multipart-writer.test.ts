import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { BUNDLE_PART_SIZE, S3MultipartWriter } from '../../lambdas/adapters/s3-multipart-writer';
import { type GuardedS3, s3ClientFor, startGuardedS3 } from './support/guarded-s3';

/**
 * The multipart writer against s3rver behind the signature guard: what it stores is exactly what was written, and
 * its memory is one part buffer reused for every part. A fresh part-sized buffer per part (as an earlier version
 * made with Buffer.concat) is garbage V8 collects late, so the exporter's peak RSS grew with the bundle's size
 * (docs/PERFORMANCE.md, "Evidence bundles").
 */
const BUCKET = 'multipart-writer-test';
const MIB = 1024 * 1024;

let s3: GuardedS3;
beforeAll(async () => {
  s3 = await startGuardedS3({ bucket: BUCKET, folderPrefix: 'multipart-writer-', multipart: true });
});
afterAll(async () => {
  await s3?.stop();
});

it('stores the bytes written in 64 KiB chunks as parts that all reuse one part buffer', async () => {
  // Prepare: 3.5 parts of random bytes, and a real client that notes the buffer behind each UploadPart body
  const bytes = randomBytes(Math.floor(3.5 * BUNDLE_PART_SIZE));
  const client = s3ClientFor(s3.guard.endpoint);
  const partBodies: Buffer[] = [];
  // Bytes waiting in front of the writer when each part's upload is answered: by then the source has filled it.
  const queued: number[] = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { Body?: unknown; PartNumber?: number };
      if (input.PartNumber === undefined || !(input.Body instanceof Buffer)) return next(args);
      partBodies.push(input.Body);
      const out = await next(args);
      queued.push(writer.writableLength);
      return out;
    },
    { step: 'initialize', name: 'notePartBodies' },
  );
  const writer = new S3MultipartWriter(client, {
    bucket: BUCKET,
    key: 'evidence-bundles/writer.zip',
    contentType: 'application/zip',
  });
  const chunks = function* () {
    for (let offset = 0; offset < bytes.length; offset += 64 * 1024) yield bytes.subarray(offset, offset + 64 * 1024);
  };

  // Act
  await pipeline(Readable.from(chunks()), writer);

  // Assess: the object is the bytes, in four parts, all views of one buffer; nothing piled up in front of it
  const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'evidence-bundles/writer.zip' }));
  const stored = Buffer.from(
    await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
  expect(stored.equals(bytes)).toBe(true);
  expect(writer.stored).toEqual({ size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  expect(partBodies.map((b) => b.length)).toEqual([
    BUNDLE_PART_SIZE,
    BUNDLE_PART_SIZE,
    BUNDLE_PART_SIZE,
    bytes.length - 3 * BUNDLE_PART_SIZE,
  ]);
  expect(new Set(partBodies.map((b) => b.buffer)).size).toBe(1);
  expect(queued).toHaveLength(4);
  expect(Math.max(...queued)).toBeLessThanOrEqual(MIB);
});

it("uploads with SHA-256 checksums through the SDK's default client, as the Lambda builds it, under Object Lock", async () => {
  // Prepare: the bundle function's client (default checksum settings); the guard refuses writes without checksums
  const client = s3ClientFor(s3.guard.endpoint, { requestChecksumCalculation: 'WHEN_SUPPORTED', maxAttempts: 1 });
  const sent: { checksum?: string }[] = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { PartNumber?: number; ChecksumSHA256?: string };
      if (input.PartNumber !== undefined) sent.push({ checksum: input.ChecksumSHA256 });
      return next(args);
    },
    { step: 'initialize', name: 'notePartChecksums' },
  );
  const bytes = randomBytes(BUNDLE_PART_SIZE + 1000);
  const writer = new S3MultipartWriter(client, {
    bucket: BUCKET,
    key: 'evidence-bundles/default-client.zip',
    contentType: 'application/zip',
  });

  // Act: the completion follows the last part's answer at once
  await pipeline(Readable.from([bytes]), writer);

  // Assess
  const partSha256 = (from: number, to: number) =>
    createHash('sha256').update(bytes.subarray(from, to)).digest('base64');
  expect(sent).toEqual([
    { checksum: partSha256(0, BUNDLE_PART_SIZE) },
    { checksum: partSha256(BUNDLE_PART_SIZE, bytes.length) },
  ]);
  expect(writer.stored.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  client.destroy();
});
