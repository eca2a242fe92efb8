import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';

/** S3's minimum part size (except the last) is 5 MiB; 8 MiB keeps a 1 GiB bundle near 128 parts. */
export const BUNDLE_PART_SIZE = 8 * 1024 * 1024;

/**
 * A Writable that stores what is written to it as one S3 object through a multipart upload of fixed-size parts,
 * one part in flight at a time: memory holds at most one part whatever the object's size, and a slow S3 slows the
 * writer (backpressure) instead of filling memory. The part is one buffer, allocated once and refilled for every
 * part: a new part-sized buffer per part (Buffer.concat of the queued chunks) made a 1 GiB bundle allocate ~1 GiB of
 * short-lived Buffers that V8 frees late, so the process's peak grew with the bundle (docs/PERFORMANCE.md).
 * `stored` gives the object's size and SHA-256 once completed.
 * The upload uses S3's SHA-256 checksums: each part carries its own SHA-256 and the completion lists them, so S3
 * stores exactly the bytes written, and the Object Lock bucket (which refuses parts without a checksum) takes them.
 * Any failure, or destroying the stream, aborts the upload so no parts are left behind (the bucket's lifecycle
 * rule is the backstop for a process that dies).
 */
export class S3MultipartWriter extends Writable {
  private uploadId: Promise<string> | undefined;
  private readonly parts: { PartNumber: number; ETag: string; ChecksumSHA256: string }[] = [];
  /** The part being filled, reused for every part once the previous one is stored. */
  private part: Buffer | undefined;
  private filled = 0;
  private storedBytes = 0;
  private readonly digest = createHash('sha256');
  private size = 0;
  private result: { size: number; sha256: string } | undefined;

  constructor(
    private readonly s3: S3Client,
    private readonly target: { bucket: string; key: string; contentType: string },
    private readonly onPart: (bytesStored: number) => void = () => {},
    private readonly partSize = BUNDLE_PART_SIZE,
  ) {
    // Chunks queue here only while a part uploads: a small queue keeps backpressure close to the one part buffer.
    super({ highWaterMark: 64 * 1024 });
  }

  /** Size and SHA-256 of the stored object; set once the stream has finished. */
  get stored(): { size: number; sha256: string } {
    if (!this.result) throw new Error('invariant: the upload is complete before its result is read');
    return this.result;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.digest.update(chunk);
    this.size += chunk.length;
    this.fill(chunk).then(() => callback(), callback);
  }

  /** Copies `chunk` into the part buffer, uploading each part as it becomes full. */
  private async fill(chunk: Buffer): Promise<void> {
    this.part ??= Buffer.allocUnsafe(this.partSize);
    let offset = 0;
    while (offset < chunk.length) {
      const copied = chunk.copy(this.part, this.filled, offset);
      this.filled += copied;
      offset += copied;
      if (this.filled === this.partSize) await this.uploadFilled();
    }
  }

  /** Uploads what the part buffer holds; once S3 has answered the buffer is free to be refilled. */
  private async uploadFilled(): Promise<void> {
    const body = (this.part ?? Buffer.alloc(0)).subarray(0, this.filled);
    await this.uploadPart(body);
    this.filled = 0;
  }

  override _final(callback: (error?: Error | null) => void): void {
    (async () => {
      // The last part may be short; an object of no bytes still needs one (empty) part.
      if (this.filled > 0 || this.parts.length === 0) await this.uploadFilled();
      await this.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.target.bucket,
          Key: this.target.key,
          UploadId: await this.start(),
          MultipartUpload: { Parts: this.parts },
        }),
      );
      this.result = { size: this.size, sha256: this.digest.digest('hex') };
    })().then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!error || !this.uploadId || this.result) {
      callback(error);
      return;
    }
    this.uploadId
      .then((UploadId) =>
        this.s3.send(new AbortMultipartUploadCommand({ Bucket: this.target.bucket, Key: this.target.key, UploadId })),
      )
      .catch(() => {
        // Best effort: the lifecycle rule removes parts of uploads that were never completed.
      })
      .finally(() => callback(error));
  }

  private start(): Promise<string> {
    this.uploadId ??= this.s3
      .send(
        new CreateMultipartUploadCommand({
          Bucket: this.target.bucket,
          Key: this.target.key,
          ContentType: this.target.contentType,
          ChecksumAlgorithm: 'SHA256',
        }),
      )
      .then((out) => {
        if (!out.UploadId) throw new Error('S3 returned no UploadId');
        return out.UploadId;
      });
    return this.uploadId;
  }

  private async uploadPart(body: Buffer): Promise<void> {
    const UploadId = await this.start();
    const PartNumber = this.parts.length + 1;
    const ChecksumSHA256 = createHash('sha256').update(body).digest('base64');
    const out = await this.s3.send(
      new UploadPartCommand({
        Bucket: this.target.bucket,
        Key: this.target.key,
        UploadId,
        PartNumber,
        Body: body,
        ContentLength: body.length,
        ChecksumSHA256,
      }),
    );
    if (!out.ETag) throw new Error(`S3 returned no ETag for part ${PartNumber}`);
    this.parts.push({ PartNumber, ETag: out.ETag, ChecksumSHA256 });
    this.storedBytes += body.length;
    this.onPart(this.storedBytes);
  }
}
