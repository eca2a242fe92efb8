import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListPartsCommand,
  type Part,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ResponseStorage } from '../domain/submission-service';

/**
 * The response bucket. Object keys carry only ids (`notices/<notice>/submissions/<submission>/<index>`): file
 * names are user input and stay in the submission record, so no key ever needs escaping.
 *
 * Presigning uses `requestChecksumCalculation: 'WHEN_REQUIRED'`: by default the SDK bakes the CRC32 of an *empty*
 * body into presigned PUT URLs, which real S3 then enforces against the upload (aws-sdk-js-v3#6994).
 */
export class S3ResponseStorage implements ResponseStorage {
  private readonly presigner: S3Client;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    presigner?: S3Client,
  ) {
    this.presigner =
      presigner ?? new S3Client({ requestChecksumCalculation: 'WHEN_REQUIRED', forcePathStyle: isLocal() });
  }

  objectKey(noticeId: string, submissionId: string, index: number): string {
    return `notices/${noticeId}/submissions/${submissionId}/${index}`;
  }

  presignPut(key: string, contentType: string | undefined, expiresIn: number): Promise<string> {
    return getSignedUrl(
      this.presigner,
      new PutObjectCommand({ Bucket: this.bucket, Key: key, ContentType: contentType }),
      {
        expiresIn,
      },
    );
  }

  async createMultipartUpload(key: string, contentType: string | undefined): Promise<string> {
    const out = await this.s3.send(
      new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ContentType: contentType }),
    );
    if (!out.UploadId) throw new Error('S3 returned no UploadId');
    return out.UploadId;
  }

  presignUploadPart(key: string, uploadId: string, partNumber: number, expiresIn: number): Promise<string> {
    return getSignedUrl(
      this.presigner,
      new UploadPartCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, PartNumber: partNumber }),
      { expiresIn },
    );
  }

  async listParts(key: string, uploadId: string) {
    const parts: Part[] = [];
    let marker: string | undefined;
    do {
      const out = await this.s3.send(
        new ListPartsCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, PartNumberMarker: marker }),
      );
      parts.push(...(out.Parts ?? []));
      marker = out.IsTruncated ? out.NextPartNumberMarker : undefined;
    } while (marker);
    return parts.map((p) => ({ partNumber: p.PartNumber ?? 0, etag: p.ETag ?? '', size: p.Size ?? 0 }));
  }

  async completeMultipartUpload(key: string, uploadId: string, parts: { partNumber: number; etag: string }[]) {
    await this.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: this.bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) },
      }),
    );
  }

  async head(key: string) {
    try {
      const out = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: out.ContentLength ?? 0, etag: out.ETag ?? '', lastModified: out.LastModified };
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'NotFound' || name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async hash(key: string) {
    const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    const digest = createHash('sha256');
    let size = 0;
    for await (const chunk of out.Body as Readable) {
      digest.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    return { sha256: digest.digest('hex'), size, etag: out.ETag ?? '' };
  }

  presignGet(key: string, fileName: string, expiresIn: number): Promise<string> {
    const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/"/g, "'");
    return getSignedUrl(
      this.presigner,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ResponseContentDisposition: `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      }),
      { expiresIn },
    );
  }
}

/** Local S3 servers are addressed path-style (`127.0.0.1:4569/bucket/key`); AWS virtual-host style. */
function isLocal(): boolean {
  return Boolean(process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL);
}
