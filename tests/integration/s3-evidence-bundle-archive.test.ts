import { createHash, randomBytes } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { S3EvidenceBundleArchive } from '../../lambdas/adapters/s3-evidence-bundle-archive';
import type { BundleProgress } from '../../lambdas/domain/evidence-bundle';
import type { BundleEntry, WrittenEntry } from '../../lambdas/domain/evidence-bundle-layout';
import { readZip } from '../support/read-zip';
import { type GuardedS3, s3ClientFor, startGuardedS3 } from './support/guarded-s3';

/**
 * The bundle's ZIP writer against s3rver behind the signature guard: a stored file larger than two upload parts is
 * streamed from GetObject into the ZIP and the ZIP into a multipart upload of 8 MiB parts; the manifest comes
 * last from the hashes taken on the way; a file that cannot be read fails the write and stores nothing.
 */
const BUCKET = 'bundle-archive-test';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let s3: GuardedS3;
beforeAll(async () => {
  s3 = await startGuardedS3({ bucket: BUCKET, folderPrefix: 'bundle-archive-', multipart: true });
});
afterAll(async () => {
  await s3?.stop();
});

const client = () => s3ClientFor(s3.guard.endpoint);

it('streams a file of several parts into the ZIP and the ZIP into a multipart upload, manifest last', async () => {
  // Prepare: a stored file of 20 MiB (random, so the ZIP cannot shrink it below three 8 MiB parts)
  const file = randomBytes(20 * 1024 * 1024);
  await client().send(
    new PutObjectCommand({ Bucket: BUCKET, Key: 'notices/n/submissions/s/0', Body: file, ChecksumAlgorithm: 'SHA256' }),
  );
  const archive = new S3EvidenceBundleArchive(client(), BUCKET, client());
  const json = Buffer.from('{"hello": "world"}\n');
  const entries: BundleEntry[] = [
    { path: 'notice/notice.json', source: 'bytes', bytes: json },
    { path: 'submissions/s/files/big.bin', source: 'object', key: 'notices/n/submissions/s/0', size: file.length },
  ];
  const progress: BundleProgress[] = [];
  let written: readonly WrittenEntry[] = [];
  const key = archive.objectKey('ntc_x', 'bdl_y', 1);

  // Act
  const stored = await archive.write(
    key,
    entries,
    (done) => {
      written = done;
      return Buffer.from(JSON.stringify({ entries: done }));
    },
    { onProgress: (p) => progress.push(p) },
  );

  // Assess
  expect(key).toBe('evidence-bundles/ntc_x/bdl_y.zip');
  const object = await client().send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  const zip = Buffer.from(
    await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
  expect(stored).toEqual({ size: zip.length, sha256: sha256(zip) });
  expect(zip.length).toBeGreaterThan(16 * 1024 * 1024);
  const read = await readZip(zip);
  expect(read.map((e) => e.path)).toEqual(['notice/notice.json', 'submissions/s/files/big.bin', 'manifest.json']);
  expect(read[1]?.bytes.equals(file)).toBe(true);
  expect(written).toEqual([
    { path: 'notice/notice.json', size: json.length, sha256: sha256(json) },
    { path: 'submissions/s/files/big.bin', size: file.length, sha256: sha256(file) },
  ]);
  expect(JSON.parse(String(read[2]?.bytes))).toEqual({ entries: written });
  // Progress: every 8 MiB part stored, and every entry, reported as it happened; it never goes back.
  const bytes = progress.map((p) => p.bytesWritten);
  expect(bytes.filter((b, i) => b !== bytes[i - 1]).length).toBeGreaterThanOrEqual(3);
  expect([...bytes].sort((a, b) => a - b)).toEqual(bytes);
  expect(progress.at(-1)).toEqual({ entriesWritten: 3, bytesWritten: zip.length });
});

it('fails the write and stores no bundle when a file cannot be read', async () => {
  const archive = new S3EvidenceBundleArchive(client(), BUCKET, client());
  const key = archive.objectKey('ntc_x', 'bdl_missing', 2);
  const entries: BundleEntry[] = [
    { path: 'notice/notice.json', source: 'bytes', bytes: Buffer.from('{}') },
    { path: 'submissions/s/files/gone.pdf', source: 'object', key: 'notices/n/submissions/s/gone', size: 10 },
  ];
  await expect(archive.write(key, entries, () => Buffer.from('{}'), { onProgress: () => {} })).rejects.toThrow(
    /does not exist/,
  );
  await expect(client().send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).rejects.toMatchObject({
    name: 'NotFound',
  });
});
