/** A presigned request and the headers the client must send with it (they are signed into the URL). */
export interface PresignedRequest {
  url: string;
  headers: Record<string, string>;
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
  createMultipartUpload(key: string, contentType: string | undefined): Promise<string>;
  presignUploadPart(key: string, uploadId: string, partNumber: number, expiresInSeconds: number): Promise<string>;
  listParts(key: string, uploadId: string): Promise<{ partNumber: number; etag: string; size: number }[]>;
  completeMultipartUpload(key: string, uploadId: string, parts: { partNumber: number; etag: string }[]): Promise<void>;
  head(key: string): Promise<{ size: number; etag: string; lastModified?: Date; versionId?: string } | undefined>;
  /** SHA-256 of the stored bytes, streamed (memory does not grow with the object), and the version it read. */
  hash(key: string): Promise<{ sha256: string; size: number; etag: string; versionId?: string }>;
  /** A GET of `versionId` when given, else of the newest version. */
  presignGet(key: string, fileName: string, expiresInSeconds: number, versionId?: string): Promise<string>;
}
