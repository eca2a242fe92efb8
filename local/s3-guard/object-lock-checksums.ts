import type { IncomingMessage } from 'node:http';
import { OTHER_ACTIONS } from './multipart-action';
import { headerValues, parseTarget } from './request-target';
import type { S3ErrorAnswer } from './s3-errors';

/**
 * What a bucket with Object Lock default retention (the deployed response bucket) demands of every write: S3 refuses
 * a PutObject or UploadPart that carries neither `Content-MD5` nor an `x-amz-checksum-*` header (a checksum sent as
 * an aws-chunked trailer, named in `x-amz-trailer`, counts, as it does on S3), so no object version is locked without
 * an integrity check. CopyObject and UploadPartCopy (`x-amz-copy-source`) copy stored bytes and need neither.
 *
 * Unlike S3, a checksum hoisted into a presigned URL's query does not count: the portal never hoists one (S3 would
 * check it against the body, which the guard does not), so such a URL is refused here rather than half-checked.
 */

/** The algorithms S3 takes an `x-amz-checksum-<algorithm>` header for. */
const CHECKSUM_HEADER = /^x-amz-checksum-(?:crc32|crc32c|crc64nvme|sha1|sha256)$/;

export function objectLockChecksumProblem(request: IncomingMessage): S3ErrorAnswer | undefined {
  if (request.method !== 'PUT' || !isObjectWrite(request.url ?? '/')) return undefined;
  const headers = headerValues(request.rawHeaders);
  if (headers.has('x-amz-copy-source') || headers.has('content-md5')) return undefined;
  if ([...headers.keys()].some((name) => CHECKSUM_HEADER.test(name))) return undefined;
  const trailers = (headers.get('x-amz-trailer') ?? []).flatMap((value) => value.split(','));
  if (trailers.some((name) => CHECKSUM_HEADER.test(name.trim().toLowerCase()))) return undefined;
  return {
    status: 400,
    code: 'InvalidRequest',
    message:
      'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters',
  };
}

/** A PUT of an object's bytes (PutObject, or UploadPart with `partNumber` and `uploadId`): a key, no sub-resource. */
function isObjectWrite(url: string): boolean {
  const target = parseTarget(url);
  if (!target) return false;
  const [, bucket, ...key] = target.canonicalUri.split('/');
  if (!bucket || key.join('/') === '') return false;
  return !target.query.some(([name]) => OTHER_ACTIONS.has(name));
}
