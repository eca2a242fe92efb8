import { createHash } from 'node:crypto';
import { canonicalJson } from '../../lambdas/domain/canonical-json';
import type { ReceiptClaims, ReceiptSigner } from '../../lambdas/domain/submission';
import type { ResponseStorage } from '../../lambdas/domain/submission-service';

interface StoredObject {
  bytes: Buffer;
  etag: string;
  lastModified: Date;
}

interface MultipartUpload {
  key: string;
  parts: Map<number, Buffer>;
}

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

/**
 * The response bucket in memory, behaving as S3 does where the service can tell: ETags are the MD5 of the bytes
 * (`"<md5>-<n>"` for a completed multipart upload), so storing other bytes under a key changes its ETag; objects
 * carry the time they were stored; a multipart upload is only an object once completed with the parts' ETags.
 * Presigned URLs are inert strings, recorded so tests can count them; `put` and `uploadPart` stand for what a client
 * does with them.
 */
export class InMemoryResponseStorage implements ResponseStorage {
  private readonly objects = new Map<string, StoredObject>();
  private readonly uploads = new Map<string, MultipartUpload>();
  private uploadCount = 0;
  readonly presigned: { method: 'PUT' | 'UploadPart' | 'GET'; key: string; partNumber?: number }[] = [];

  constructor(private readonly clock: () => Date = () => new Date()) {}

  objectKey(noticeId: string, submissionId: string, index: number): string {
    return `notices/${noticeId}/submissions/${submissionId}/${index}`;
  }

  async presignPut(key: string, _contentType: string | undefined, expiresInSeconds: number): Promise<string> {
    this.presigned.push({ method: 'PUT', key });
    return `https://responses.test/${key}?X-Amz-Expires=${expiresInSeconds}`;
  }

  async createMultipartUpload(key: string, _contentType: string | undefined): Promise<string> {
    this.uploadCount += 1;
    const uploadId = `upload-${this.uploadCount}`;
    this.uploads.set(uploadId, { key, parts: new Map() });
    return uploadId;
  }

  async presignUploadPart(key: string, uploadId: string, partNumber: number, expiresInSeconds: number) {
    this.presigned.push({ method: 'UploadPart', key, partNumber });
    const query = `uploadId=${uploadId}&partNumber=${partNumber}&X-Amz-Expires=${expiresInSeconds}`;
    return `https://responses.test/${key}?${query}`;
  }

  async listParts(key: string, uploadId: string) {
    return [...this.upload(key, uploadId).parts.entries()]
      .sort(([a], [b]) => a - b)
      .map(([partNumber, bytes]) => ({ partNumber, etag: `"${md5(bytes)}"`, size: bytes.length }));
  }

  async completeMultipartUpload(key: string, uploadId: string, parts: { partNumber: number; etag: string }[]) {
    const upload = this.upload(key, uploadId);
    const chosen = parts.map(({ partNumber, etag }) => {
      const bytes = upload.parts.get(partNumber);
      if (!bytes || `"${md5(bytes)}"` !== etag) throw new Error(`InvalidPart: part ${partNumber}`);
      return bytes;
    });
    const etag = `"${md5(Buffer.concat(chosen.map((b) => Buffer.from(md5(b), 'hex'))))}-${chosen.length}"`;
    this.objects.set(key, { bytes: Buffer.concat(chosen), etag, lastModified: this.clock() });
    this.uploads.delete(uploadId);
  }

  async head(key: string) {
    const object = this.objects.get(key);
    return object && { size: object.bytes.length, etag: object.etag, lastModified: object.lastModified };
  }

  async hash(key: string) {
    const object = this.objects.get(key);
    if (!object) throw Object.assign(new Error(`NoSuchKey: ${key}`), { name: 'NoSuchKey' });
    return {
      sha256: createHash('sha256').update(object.bytes).digest('hex'),
      size: object.bytes.length,
      etag: object.etag,
    };
  }

  async presignGet(key: string, fileName: string, expiresInSeconds: number): Promise<string> {
    this.presigned.push({ method: 'GET', key });
    return `https://responses.test/${key}?filename=${encodeURIComponent(fileName)}&X-Amz-Expires=${expiresInSeconds}`;
  }

  // ---- what a client does with the presigned URLs ----------------------------------------------------------

  /** A PUT to a presigned URL: stores (or replaces) the object. */
  put(key: string, bytes: Buffer): void {
    this.objects.set(key, { bytes: Buffer.from(bytes), etag: `"${md5(bytes)}"`, lastModified: this.clock() });
  }

  /** An UploadPart to a presigned part URL; returns the part's ETag, as S3 does. */
  uploadPart(uploadId: string, partNumber: number, bytes: Buffer): string {
    const upload = this.uploads.get(uploadId);
    if (!upload) throw new Error(`NoSuchUpload: ${uploadId}`);
    upload.parts.set(partNumber, Buffer.from(bytes));
    return `"${md5(bytes)}"`;
  }

  private upload(key: string, uploadId: string): MultipartUpload {
    const upload = this.uploads.get(uploadId);
    if (!upload || upload.key !== key) throw new Error(`NoSuchUpload: ${uploadId}`);
    return upload;
  }
}

/**
 * A receipt signer that records what it was asked to sign and returns a recognisable stand-in for a JWS
 * (`fake.<canonical claims, base64url>.sig`); the real signers are tested on their own in receipt-signers.test.ts.
 */
export class RecordingReceiptSigner implements ReceiptSigner {
  readonly signed: ReceiptClaims[] = [];

  /** `latency` stands for the round trip to KMS: while it runs, other requests move on. */
  constructor(private readonly latency: () => Promise<void> = async () => {}) {}

  async sign(claims: ReceiptClaims): Promise<string> {
    this.signed.push(JSON.parse(JSON.stringify(claims)) as ReceiptClaims);
    await this.latency();
    return `fake.${Buffer.from(canonicalJson(claims)).toString('base64url')}.sig`;
  }

  async publicJwks() {
    return { keys: [] };
  }

  /** The claims inside a receipt this signer made. */
  static claimsOf(jws: string): ReceiptClaims {
    return JSON.parse(Buffer.from(jws.split('.')[1], 'base64url').toString('utf8')) as ReceiptClaims;
  }
}
