import { createHash } from 'node:crypto';
import { canonicalJson } from '../../lambdas/domain/canonical-json';
import {
  type PresignedRequest,
  type ResponseStorage,
  UploadGone,
  UploadRefused,
} from '../../lambdas/domain/response-storage';
import type { ReceiptClaims, ReceiptSigner } from '../../lambdas/domain/submission';
import { defined } from './defined';

interface StoredObject {
  bytes: Buffer;
  etag: string;
  lastModified: Date;
  /** Only in a versioned store. */
  versionId?: string;
}

interface MultipartUpload {
  key: string;
  parts: Map<number, Buffer>;
  /** The SHA-256 (base64) each part URL bound, by part number. */
  bound: Map<number, string>;
}

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');
const sha256Base64 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('base64');

/**
 * The response bucket in memory, behaving as S3 does where the service can tell: ETags are the MD5 of the bytes
 * (`"<md5>-<n>"` for a completed multipart upload), so storing other bytes under a key changes its ETag; objects
 * carry the time they were stored; a multipart upload is only an object once completed with the parts' ETags.
 * Presigned URLs are inert strings, recorded so tests can count them; `put` and `uploadPart` stand for what a client
 * does with them. A presigned PUT binds its SHA-256 as S3 does: from then on `put` stores only bytes with that hash
 * under the key and refuses others (BadDigest). With `versioned`, every write is a new version, as in the versioned
 * AWS bucket, and a GET may name one. Multipart uploads check parts as S3 does with `ChecksumAlgorithm: SHA256`:
 * `uploadPart` refuses a part without the SHA-256 its URL bound (InvalidRequest) or with other bytes (BadDigest), and
 * a completion naming a SHA-256 that is not the stored part's is refused (InvalidPart).
 */
export class InMemoryResponseStorage implements ResponseStorage {
  private readonly objects = new Map<string, StoredObject>();
  private readonly versions = new Map<string, StoredObject>();
  private readonly boundChecksums = new Map<string, string>();
  private readonly uploads = new Map<string, MultipartUpload>();
  private uploadCount = 0;
  private versionCount = 0;
  readonly presigned: {
    method: 'PUT' | 'UploadPart' | 'GET';
    key: string;
    partNumber?: number;
    versionId?: string;
    headers?: Record<string, string>;
  }[] = [];

  constructor(
    private readonly clock: () => Date = () => new Date(),
    private readonly options: { versioned?: boolean } = {},
  ) {}

  objectKey(noticeId: string, submissionId: string, index: number): string {
    return `notices/${noticeId}/submissions/${submissionId}/${index}`;
  }

  async presignPut(
    key: string,
    object: { contentType: string | undefined; sha256: string },
    expiresInSeconds: number,
  ): Promise<PresignedRequest> {
    const headers = { 'x-amz-checksum-sha256': Buffer.from(object.sha256, 'hex').toString('base64') };
    this.boundChecksums.set(key, headers['x-amz-checksum-sha256']);
    this.presigned.push({ method: 'PUT', key, headers });
    return { url: `https://responses.test/${key}?X-Amz-Expires=${expiresInSeconds}`, headers };
  }

  async createMultipartUpload(key: string, _contentType: string | undefined): Promise<string> {
    this.uploadCount += 1;
    const uploadId = `upload-${this.uploadCount}`;
    this.uploads.set(uploadId, { key, parts: new Map(), bound: new Map() });
    return uploadId;
  }

  async presignUploadPart(
    key: string,
    uploadId: string,
    part: { partNumber: number; sha256?: string },
    expiresInSeconds: number,
  ): Promise<PresignedRequest> {
    const headers: Record<string, string> =
      part.sha256 === undefined ? {} : { 'x-amz-checksum-sha256': Buffer.from(part.sha256, 'hex').toString('base64') };
    const checksum = headers['x-amz-checksum-sha256'];
    if (checksum !== undefined) this.upload(key, uploadId).bound.set(part.partNumber, checksum);
    this.presigned.push({ method: 'UploadPart', key, partNumber: part.partNumber, headers });
    const query = `uploadId=${uploadId}&partNumber=${part.partNumber}&X-Amz-Expires=${expiresInSeconds}`;
    return { url: `https://responses.test/${key}?${query}`, headers };
  }

  async listParts(key: string, uploadId: string) {
    return [...this.upload(key, uploadId).parts.entries()]
      .sort(([a], [b]) => a - b)
      .map(([partNumber, bytes]) => ({
        partNumber,
        etag: `"${md5(bytes)}"`,
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      }));
  }

  async completeMultipartUpload(
    key: string,
    uploadId: string,
    parts: { partNumber: number; etag: string; sha256?: string }[],
  ) {
    const upload = this.upload(key, uploadId);
    const chosen = parts.map(({ partNumber, etag, sha256 }) => {
      const bytes = upload.parts.get(partNumber);
      if (!bytes || `"${md5(bytes)}"` !== etag) throw new UploadRefused(key, `InvalidPart: part ${partNumber}`);
      if (sha256 === undefined)
        throw new UploadRefused(key, `InvalidRequest: the checksum of part ${partNumber} is missing`);
      if (sha256 !== createHash('sha256').update(bytes).digest('hex')) {
        throw new UploadRefused(key, `InvalidPart: the checksum of part ${partNumber} does not match`);
      }
      return bytes;
    });
    const etag = `"${md5(Buffer.concat(chosen.map((b) => Buffer.from(md5(b), 'hex'))))}-${chosen.length}"`;
    this.store(key, Buffer.concat(chosen), etag);
    this.uploads.delete(uploadId);
  }

  async head(key: string) {
    const object = this.objects.get(key);
    return (
      object && {
        size: object.bytes.length,
        etag: object.etag,
        lastModified: object.lastModified,
        versionId: object.versionId,
      }
    );
  }

  async hash(key: string) {
    const object = this.objects.get(key);
    if (!object) throw Object.assign(new Error(`NoSuchKey: ${key}`), { name: 'NoSuchKey' });
    return {
      sha256: createHash('sha256').update(object.bytes).digest('hex'),
      size: object.bytes.length,
      etag: object.etag,
      versionId: object.versionId,
    };
  }

  async presignGet(key: string, fileName: string, expiresInSeconds: number, versionId?: string): Promise<string> {
    this.presigned.push({ method: 'GET', key, versionId });
    const version = versionId === undefined ? '' : `&versionId=${encodeURIComponent(versionId)}`;
    return `https://responses.test/${key}?filename=${encodeURIComponent(fileName)}${version}&X-Amz-Expires=${expiresInSeconds}`;
  }

  // ---- what a client does with the presigned URLs ----------------------------------------------------------

  /**
   * A PUT to the key's presigned URL, with the checksum header it was given: stores (or replaces) the object, unless
   * the bytes do not hash to the bound checksum, which S3 refuses with BadDigest and stores nothing.
   */
  put(key: string, bytes: Buffer): void {
    const bound = this.boundChecksums.get(key);
    if (bound !== undefined && bound !== sha256Base64(bytes)) {
      throw Object.assign(new Error(`BadDigest: the body of ${key} does not match its x-amz-checksum-sha256`), {
        name: 'BadDigest',
      });
    }
    this.store(key, bytes, `"${md5(bytes)}"`);
  }

  /** A write no presigned URL binds (someone holding the bucket's own credentials): stores whatever it is given. */
  putUnbound(key: string, bytes: Buffer): void {
    this.store(key, bytes, `"${md5(bytes)}"`);
  }

  /** What a GET of the key (of `versionId`, if given) returns. */
  bytesOf(key: string, versionId?: string): Buffer | undefined {
    return (versionId === undefined ? this.objects.get(key) : this.versions.get(`${key}#${versionId}`))?.bytes;
  }

  private store(key: string, bytes: Buffer, etag: string): void {
    const versionId = this.options.versioned ? `v${++this.versionCount}` : undefined;
    const object = { bytes: Buffer.from(bytes), etag, lastModified: this.clock(), versionId };
    this.objects.set(key, object);
    if (versionId !== undefined) this.versions.set(`${key}#${versionId}`, object);
  }

  /**
   * An UploadPart to a presigned part URL, with the checksum header it was given; returns the part's ETag, as S3
   * does. Refused as S3 refuses it when no URL bound a SHA-256 for the part, or the bytes do not hash to it.
   */
  uploadPart(uploadId: string, partNumber: number, bytes: Buffer): string {
    const upload = this.uploads.get(uploadId);
    if (!upload) throw new Error(`NoSuchUpload: ${uploadId}`);
    const bound = upload.bound.get(partNumber);
    if (bound === undefined) throw new Error(`InvalidRequest: part ${partNumber} carries no x-amz-checksum-sha256`);
    if (bound !== sha256Base64(bytes)) {
      throw Object.assign(new Error(`BadDigest: part ${partNumber} does not match its x-amz-checksum-sha256`), {
        name: 'BadDigest',
      });
    }
    upload.parts.set(partNumber, Buffer.from(bytes));
    return `"${md5(bytes)}"`;
  }

  private upload(key: string, uploadId: string): MultipartUpload {
    const upload = this.uploads.get(uploadId);
    if (!upload || upload.key !== key) throw new UploadGone(key);
    return upload;
  }

  /** What S3's lifecycle rule does to a multipart upload not completed in time: its parts are deleted. */
  abortUpload(uploadId: string): void {
    this.uploads.delete(uploadId);
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
    return JSON.parse(
      Buffer.from(defined(jws.split('.')[1], 'the receipt payload'), 'base64url').toString('utf8'),
    ) as ReceiptClaims;
  }
}
