/** A presigned request and the headers the client must send with it (they are signed into the URL). */
export interface PresignedRequest {
  url: string;
  headers: Record<string, string>;
}

/**
 * Storage holds no multipart upload with that id for that key any more: it was completed or aborted (S3 aborts
 * uploads not completed within the bucket's lifecycle rule's days). Adapters throw this for S3's `NoSuchUpload`.
 */
export class UploadGone extends Error {
  constructor(readonly key: string) {
    super(`No multipart upload is held for ${key}`);
    this.name = 'UploadGone';
  }
}

/**
 * Storage refused to complete a multipart upload with the parts it was given (a part it does not hold, an ETag or
 * checksum that does not match, a part below the minimum size): the client's parts are wrong. Adapters throw this
 * for the store's own refusal of the request, never for a store that could not be reached or failed: that is a
 * fault, and a client told its request was invalid would not retry it.
 */
export class UploadRefused extends Error {
  constructor(
    readonly key: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`Storage refused to complete the upload of ${key}: ${reason}`, options);
    this.name = 'UploadRefused';
  }
}

export interface StoredUploadPart {
  partNumber: number;
  etag: string;
  size: number;
  /** Hex; present when the part was stored with a SHA-256 checksum. */
  sha256?: string;
}

/**
 * The response bucket, as the service needs it: presigned transfers and what is stored. `versionId` is the stored
 * object's version where the store keeps versions (a versioned S3 bucket), undefined where it has none (s3rver).
 */
export interface ResponseStorage {
  objectKey(noticeId: string, submissionId: string, index: number): string;
  /**
   * A single PUT that storage accepts only with a body hashing to `sha256` (hex): the checksum is bound into the
   * signature, so the URL cannot store other bytes, before or after the response is filed.
   */
  presignPut(
    key: string,
    object: { contentType: string | undefined; sha256: string },
    expiresInSeconds: number,
  ): Promise<PresignedRequest>;
  /** A multipart upload with S3's SHA-256 checksums: every part must carry its SHA-256, and the completion too. */
  createMultipartUpload(key: string, contentType: string | undefined): Promise<string>;
  /**
   * A part URL; with `sha256` (hex) storage accepts only a body hashing to it (the checksum is signed into the URL,
   * as for `presignPut`). Without it (only for uploads created before checksums) the URL binds no checksum.
   */
  presignUploadPart(
    key: string,
    uploadId: string,
    part: { partNumber: number; sha256?: string },
    expiresInSeconds: number,
  ): Promise<PresignedRequest>;
  /** The stored parts, each with the SHA-256 (hex) storage verified when it took the part, if it had one. */
  listParts(key: string, uploadId: string): Promise<StoredUploadPart[]>;
  /** Each part's `sha256` (hex), when given, is sent for storage to check against the part it holds. */
  completeMultipartUpload(
    key: string,
    uploadId: string,
    parts: { partNumber: number; etag: string; sha256?: string }[],
  ): Promise<void>;
  head(key: string): Promise<{ size: number; etag: string; lastModified?: Date; versionId?: string } | undefined>;
  /** SHA-256 of the stored bytes, streamed (memory does not grow with the object), and the version it read. */
  hash(key: string): Promise<{ sha256: string; size: number; etag: string; versionId?: string }>;
  /** A GET of `versionId` when given, else of the newest version. */
  presignGet(key: string, fileName: string, expiresInSeconds: number, versionId?: string): Promise<string>;
}
