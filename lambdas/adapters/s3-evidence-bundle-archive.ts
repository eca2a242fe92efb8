import { createHash } from 'node:crypto';
import { PassThrough, Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { ZipFile } from 'yazl';
import type { BundleProgress } from '../domain/evidence-bundle';
import { type BundleEntry, MANIFEST_PATH, type WrittenEntry } from '../domain/evidence-bundle-layout';
import type { BundleArchive } from '../domain/evidence-bundle-service';
import { S3MultipartWriter } from './s3-multipart-writer';

/**
 * Bundles live in the response bucket under `evidence-bundles/`, a prefix the upload-hashing trigger does not
 * watch (it watches `notices/`), so storing a bundle never looks like a platform's upload.
 */
export const EVIDENCE_BUNDLE_PREFIX = 'evidence-bundles/';

/**
 * The ZIP, streamed end to end: each entry is read only when yazl reaches it (a stored file straight from S3
 * GetObject), hashed as it passes, and the ZIP's bytes go to S3 as a multipart upload of fixed-size parts. Memory
 * stays at about one part whatever the bundle's size. The manifest is added last, from what was actually written.
 */
export class S3EvidenceBundleArchive implements BundleArchive {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly presigner: S3Client,
  ) {}

  /** `evidence-bundles/<notice>/<bundle>.zip` for the first run; a restarted build's run N adds `-N`. */
  objectKey(noticeId: string, bundleId: string, attempt: number): string {
    return `${EVIDENCE_BUNDLE_PREFIX}${noticeId}/${bundleId}${attempt > 1 ? `-${attempt}` : ''}.zip`;
  }

  async write(
    key: string,
    entries: readonly BundleEntry[],
    manifest: (written: readonly WrittenEntry[]) => Uint8Array,
    options: { onProgress: (progress: BundleProgress) => void; signal?: AbortSignal },
  ): Promise<{ size: number; sha256: string }> {
    const progress: BundleProgress = { entriesWritten: 0, bytesWritten: 0 };
    const zip = new ZipFile();
    const sink = new S3MultipartWriter(
      this.s3,
      { bucket: this.bucket, key, contentType: 'application/zip' },
      (bytesStored) => {
        progress.bytesWritten = bytesStored;
        options.onProgress({ ...progress });
      },
    );
    // yazl reports an entry it could not read on the ZipFile itself; the upload is then aborted, not completed.
    zip.on('error', (error: Error) => sink.destroy(error));
    const written: Promise<WrittenEntry>[] = entries.map(
      (entry) =>
        new Promise<WrittenEntry>((resolve, reject) => {
          // JSON compresses well; submitted files are mostly compressed already, and stored as they are.
          const compress = entry.source === 'bytes';
          zip.addReadStreamLazy(entry.path, { compress }, (callback) => {
            this.open(entry)
              .then((stream) => callback(null, hashing(entry.path, stream, resolve, reject, progress, options)))
              .catch((error) => {
                reject(error);
                callback(error, new PassThrough());
              });
          });
        }),
    );
    const zipped = pipeline(zip.outputStream as NodeJS.ReadableStream & Readable, sink, { signal: options.signal });
    // A failed entry leaves yazl waiting for bytes that never come: fail the whole pipeline with it.
    const all = Promise.all(written).catch((error) => {
      sink.destroy(error);
      throw error;
    });
    try {
      const done = await all;
      zip.addBuffer(Buffer.from(manifest(done)), MANIFEST_PATH);
      zip.end();
      await zipped;
    } catch (error) {
      sink.destroy(error as Error);
      await zipped.catch(() => {});
      throw error;
    }
    progress.entriesWritten += 1;
    options.onProgress({ entriesWritten: progress.entriesWritten, bytesWritten: sink.stored.size });
    return sink.stored;
  }

  presignGet(key: string, fileName: string, expiresIn: number): Promise<string> {
    return getSignedUrl(
      this.presigner,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ResponseContentDisposition: `attachment; filename="${fileName}"`,
        ResponseContentType: 'application/zip',
      }),
      { expiresIn },
    );
  }

  private async open(entry: BundleEntry): Promise<Readable> {
    if (entry.source === 'bytes') return Readable.from([Buffer.from(entry.bytes)]);
    const out = await this.s3.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: entry.key, VersionId: entry.versionId }),
    );
    if (!out.Body) throw new Error(`S3 returned no body for ${entry.key}`);
    return out.Body as Readable;
  }
}

/** Passes `source` through, resolving with its size and SHA-256 when it ends. */
function hashing(
  path: string,
  source: Readable,
  resolve: (entry: WrittenEntry) => void,
  reject: (error: unknown) => void,
  progress: BundleProgress,
  options: { onProgress: (progress: BundleProgress) => void },
): Readable {
  const digest = createHash('sha256');
  let size = 0;
  const through = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      digest.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
    flush(callback) {
      progress.entriesWritten += 1;
      options.onProgress({ ...progress });
      resolve({ path, size, sha256: digest.digest('hex') });
      callback();
    },
  });
  source.on('error', (error) => {
    reject(error);
    through.destroy(error);
  });
  return source.pipe(through);
}
