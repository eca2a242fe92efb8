import { createHash, type Hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  ListPartsCommand,
  type Part,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { SDK_CLIENT_SETTINGS, sdkClientConfig } from '../config/sdk-clients';
import {
  type PresignedRequest,
  type ResponseStorage,
  type StoredUploadPart,
  UploadGone,
  UploadRefused,
} from '../domain/response-storage';

const CHECKSUM_HEADER = 'x-amz-checksum-sha256';

/** Reads of one object's body that `hash` makes at most: the S3 client's own attempts per request. */
const HASH_READ_ATTEMPTS = SDK_CLIENT_SETTINGS.s3.maxAttempts;

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
      presigner ??
      new S3Client({
        ...sdkClientConfig('s3'),
        requestChecksumCalculation: 'WHEN_REQUIRED',
        forcePathStyle: isLocal(),
      });
  }

  objectKey(noticeId: string, submissionId: string, index: number): string {
    return `notices/${noticeId}/submissions/${submissionId}/${index}`;
  }

  /**
   * The SHA-256 is bound as a signed `x-amz-checksum-sha256` header (not hoisted into the query, where S3 would not
   * treat it as the object's checksum): S3 then refuses the PUT unless the header is sent, and refuses a body that
   * does not hash to it (BadDigest). So the URL stores the declared bytes or nothing.
   */
  async presignPut(
    key: string,
    object: { contentType: string | undefined; sha256: string },
    expiresIn: number,
  ): Promise<PresignedRequest> {
    const checksum = base64OfHex(object.sha256);
    const url = await getSignedUrl(
      this.presigner,
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ContentType: object.contentType,
        ChecksumSHA256: checksum,
      }),
      { expiresIn, unhoistableHeaders: new Set([CHECKSUM_HEADER]) },
    );
    return { url, headers: { [CHECKSUM_HEADER]: checksum } };
  }

  /** With `ChecksumAlgorithm: SHA256`, S3 requires each part's SHA-256 and checks the completion's list of them. */
  async createMultipartUpload(key: string, contentType: string | undefined): Promise<string> {
    const out = await this.s3.send(
      new CreateMultipartUploadCommand({
        Bucket: this.bucket,
        Key: key,
        ContentType: contentType,
        ChecksumAlgorithm: 'SHA256',
      }),
    );
    if (!out.UploadId) throw new Error('S3 returned no UploadId');
    return out.UploadId;
  }

  /** As `presignPut`: the part's SHA-256 is a signed header, so S3 stores that part's bytes or nothing. */
  async presignUploadPart(
    key: string,
    uploadId: string,
    part: { partNumber: number; sha256?: string },
    expiresIn: number,
  ): Promise<PresignedRequest> {
    const checksum = part.sha256 === undefined ? undefined : base64OfHex(part.sha256);
    const url = await getSignedUrl(
      this.presigner,
      new UploadPartCommand({
        Bucket: this.bucket,
        Key: key,
        UploadId: uploadId,
        PartNumber: part.partNumber,
        ChecksumSHA256: checksum,
      }),
      { expiresIn, unhoistableHeaders: new Set([CHECKSUM_HEADER]) },
    );
    return { url, headers: checksum === undefined ? {} : { [CHECKSUM_HEADER]: checksum } };
  }

  async listParts(key: string, uploadId: string): Promise<StoredUploadPart[]> {
    const parts: Part[] = [];
    let marker: string | undefined;
    do {
      const out = await this.s3
        .send(new ListPartsCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, PartNumberMarker: marker }))
        .catch(uploadGoneFor(key));
      parts.push(...(out.Parts ?? []));
      marker = out.IsTruncated ? out.NextPartNumberMarker : undefined;
    } while (marker);
    return parts.map((p) => ({
      partNumber: p.PartNumber ?? 0,
      etag: p.ETag ?? '',
      size: p.Size ?? 0,
      ...(p.ChecksumSHA256 ? { sha256: Buffer.from(p.ChecksumSHA256, 'base64').toString('hex') } : {}),
    }));
  }

  async completeMultipartUpload(
    key: string,
    uploadId: string,
    parts: { partNumber: number; etag: string; sha256?: string }[],
  ) {
    await this.s3
      .send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: {
            Parts: parts.map((p) => ({
              PartNumber: p.partNumber,
              ETag: p.etag,
              ChecksumSHA256: p.sha256 === undefined ? undefined : base64OfHex(p.sha256),
            })),
          },
        }),
      )
      .catch(uploadGoneFor(key))
      .catch((error: unknown) => {
        if (!refusal(error)) throw error;
        throw new UploadRefused(key, `${(error as Error).name}: ${(error as Error).message}`, { cause: error });
      });
  }

  async head(key: string) {
    try {
      const out = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return {
        size: out.ContentLength ?? 0,
        etag: out.ETag ?? '',
        lastModified: out.LastModified,
        versionId: out.VersionId,
      };
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'NotFound' || name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  /**
   * The SDK retries a GetObject that fails before its answer's headers, but not a body cut off after them (a reset
   * connection, a socket timeout mid-stream): that surfaced as a failed hash, so a finalize answered 500 for one
   * broken connection. A cut-off read resumes where it stopped (a Range from the bytes hashed so far) from the same
   * object (its version, else `If-Match` its ETag, checked on the answer too), up to the client's attempts.
   */
  async hash(key: string) {
    const digest = createHash('sha256');
    const hashed = { size: 0 };
    let first: GetObjectCommandOutput | undefined;
    for (let attempt = 1; ; attempt++) {
      if (first && hashed.size >= (first.ContentLength ?? Number.POSITIVE_INFINITY)) break;
      const out = await this.readFrom(key, hashed.size, first);
      first ??= out;
      try {
        await hashBody(out.Body as Readable, digest, hashed);
        // A body that ended early without an error is cut off all the same.
        const expected = first.ContentLength ?? hashed.size;
        if (hashed.size < expected) throw new Error(`Read ${hashed.size} of ${expected} bytes.`);
        break;
      } catch (error) {
        if (attempt >= HASH_READ_ATTEMPTS) throw error;
      }
    }
    // The version read is the version hashed: a versioned bucket names it, and downloads are pinned to it.
    return { sha256: digest.digest('hex'), size: hashed.size, etag: first.ETag ?? '', versionId: first.VersionId };
  }

  /** The object's bytes from `offset` on: of the version `first` read, if this continues a read. */
  private async readFrom(key: string, offset: number, first: GetObjectCommandOutput | undefined) {
    const out = await this.s3.send(
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ...(first && { VersionId: first.VersionId, IfMatch: first.ETag, Range: `bytes=${offset}-` }),
      }),
    );
    if (first && out.ETag !== first.ETag) {
      throw new Error(`Object ${key} changed while it was being hashed (ETag ${first.ETag}, now ${out.ETag}).`);
    }
    return out;
  }

  /** Without `versionId` a versioned bucket serves the newest version, which is why filed files name theirs. */
  presignGet(key: string, fileName: string, expiresIn: number, versionId?: string): Promise<string> {
    const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/"/g, "'");
    return getSignedUrl(
      this.presigner,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        VersionId: versionId,
        ResponseContentDisposition: `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      }),
      { expiresIn },
    );
  }
}

/** Feeds `body` to `digest`, counting in `hashed.size` every byte the digest has taken, also when the body fails. */
async function hashBody(body: Readable, digest: Hash, hashed: { size: number }): Promise<void> {
  for await (const chunk of body) {
    digest.update(chunk as Buffer);
    hashed.size += (chunk as Buffer).length;
  }
}

/** Local S3 servers are addressed path-style (`127.0.0.1:4569/bucket/key`); AWS virtual-host style. */
function isLocal(): boolean {
  return Boolean(process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL);
}

/** S3 names checksums in base64; the portal's API and records in lower-case hex. */
function base64OfHex(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

/**
 * S3's own refusal of a completion's parts: an answer from S3 with status 400 (InvalidPart, InvalidPartOrder,
 * EntityTooSmall, BadDigest, InvalidRequest). A 403 is the function's own permissions, throttling a 503, and a
 * timeout or a dropped connection has no answer at all: none of them is the client's mistake.
 */
function refusal(error: unknown): boolean {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 400;
}

/** S3's `NoSuchUpload` as the port's {@link UploadGone}; every other failure unchanged. */
function uploadGoneFor(key: string) {
  return (error: unknown): never => {
    if ((error as Error).name === 'NoSuchUpload') throw new UploadGone(key);
    throw error;
  };
}
