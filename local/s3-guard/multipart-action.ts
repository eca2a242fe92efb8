import type { IncomingMessage } from 'node:http';
import { headerValues, parseTarget } from './request-target';

/** Which multipart request a request is, as s3rver's router would read it. */

export interface UploadTarget {
  bucket: string;
  key: string;
  uploadId: string;
}

export type MultipartAction = UploadTarget &
  (
    | { kind: 'ListParts'; maxParts?: string; partNumberMarker?: string }
    | { kind: 'UploadPart'; partNumber: string }
    | { kind: 'CompleteMultipartUpload' }
  );

/** The query parameters that make s3rver route an object request to another action than the upload's. */
export const OTHER_ACTIONS = new Set([
  'acl',
  'analytics',
  'cors',
  'delete',
  'encryption',
  'inventory',
  'legal-hold',
  'lifecycle',
  'location',
  'metrics',
  'notification',
  'object-lock',
  'policy',
  'policyStatus',
  'publicAccessBlock',
  'replication',
  'requestPayment',
  'retention',
  'select',
  'tagging',
  'torrent',
  'uploads',
  'versions',
  'website',
]);

/** Which multipart request this is, from its method, path and query; undefined for every other request. */
export function multipartAction(request: IncomingMessage): MultipartAction | undefined {
  const url = request.url ?? '/';
  const target = parseTarget(url);
  if (!target) return undefined;
  const { query } = target;
  if (query.some(([name]) => OTHER_ACTIONS.has(name))) return undefined;
  const values = (name: string) => query.filter(([key]) => key === name).map(([, value]) => value);
  const [uploadId, ...otherUploadIds] = values('uploadId');
  if (uploadId === undefined || otherUploadIds.length > 0) return undefined;
  const question = url.indexOf('?');
  let segments: string[];
  try {
    segments = (question < 0 ? url : url.slice(0, question)).split('/').slice(1).map(decodeURIComponent);
  } catch {
    return undefined;
  }
  const [bucket, ...rest] = segments;
  // As s3rver's router reads it: the key is everything after the bucket, a trailing slash included.
  const key = rest.join('/');
  if (!bucket || key === '') return undefined;
  const upload = { bucket, key, uploadId };
  switch (request.method) {
    case 'GET':
      return {
        ...upload,
        kind: 'ListParts',
        maxParts: values('max-parts')[0],
        partNumberMarker: values('part-number-marker')[0],
      };
    case 'PUT':
      // UploadPartCopy, which s3rver answers NotImplemented.
      if (headerValues(request.rawHeaders).has('x-amz-copy-source')) return undefined;
      return { ...upload, kind: 'UploadPart', partNumber: values('partNumber').join(',') };
    case 'POST':
      return { ...upload, kind: 'CompleteMultipartUpload' };
    default:
      return undefined;
  }
}
