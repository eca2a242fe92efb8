import type { IncomingMessage, ServerResponse } from 'node:http';
import { bodyDigestProblem, forwardVerifyingSha256 } from './checksum';
import type { MultipartAction } from './multipart-action';
import type { UpstreamProxy } from './proxy';
import { headerValues } from './request-target';
import { bodyTooLarge, type RefuseWith, type S3ErrorAnswer } from './s3-errors';
import { partNumberProblem, type S3rverUploads } from './s3rver-uploads';
import { writeXml } from './xml';

/**
 * The multipart requests s3rver gets wrong, answered or checked from its files before it sees them.
 *
 * Multipart fidelity, only when `s3rverDirectory` is given and only once the signature checks out. s3rver 3.7.1 has
 * no ListParts, completes whatever part list it is sent (ignoring ETags, sizes and order) and crashes the process with
 * an uncaught ENOENT completing a part it does not have. The guard reads the files s3rver keeps for each upload,
 * `<directory>/<bucket>/._S3rver_uploads/<uploadId>/`: `key` (the object key), `metadata` (the initiating request's
 * headers), each part's bytes as `<n>` and the hex MD5 s3rver returned as its ETag as `<n>.md5`. With them it
 * - answers ListParts (`GET /<bucket>/<key>?uploadId=`) itself with S3's ListPartsResult: parts in order with
 *   PartNumber, LastModified, the quoted MD5 ETag and Size; `max-parts` (default and cap 1000) and
 *   `part-number-marker` paging; NoSuchUpload for an unknown upload or one started for another key;
 * - checks CompleteMultipartUpload before s3rver sees it, as S3 does: NoSuchUpload, MalformedXML, InvalidPartOrder
 *   (part numbers not strictly ascending), InvalidPart (a part not stored, or its ETag differs) and EntityTooSmall
 *   (a part other than the last under 5 MiB). The body (at most 4 MiB, which 10,000 parts fit) is buffered, checked
 *   against a hex `x-amz-content-sha256` and any `Content-MD5`, and forwarded byte for byte. Only a strict subset
 *   of XML is read (no comments, CDATA, DTD, prefixes or attributes below the root), so s3rver's parser cannot see
 *   a different part list than the one checked; anything else is MalformedXML. For an upload created with
 *   `x-amz-checksum-algorithm: SHA256` (s3rver keeps the initiating headers in `metadata`) the parts must be numbered
 *   1..n without gaps (InvalidPartOrder) and each must name its `ChecksumSHA256` (InvalidRequest, S3's message) and
 *   it must be the stored part's, hashed from s3rver's part file (InvalidPart); ListParts of such an upload names
 *   `ChecksumAlgorithm`, `ChecksumType` and each part's `ChecksumSHA256`; and an UploadPart carrying another
 *   algorithm's checksum is refused (InvalidRequest "Checksum Type mismatch");
 * - refuses UploadPart to an unknown upload (s3rver would create one) or with a part number outside 1..10000
 *   (s3rver writes the file `partNumber` names, wherever that is).
 * A part counts as stored once it has an MD5 file. s3rver truncates a part in place when it is uploaded again and
 * leaves it truncated if that upload is aborted, keeping the old MD5; so when the MD5 file is older than the bytes
 * (which can also happen to an intact part: s3rver may write the MD5 before the part's last chunk reaches the disk)
 * the bytes are hashed once to tell, and a part being (or abandoned while being) overwritten is neither listed nor
 * completed. Completions of one upload run one at a time, and an UploadPart arriving meanwhile waits for the outcome
 * (NoSuchUpload once completed); a completion naming a part that an UploadPart through the guard is still writing is
 * refused as InvalidPart. Unlike S3 none of this is atomic against writers that bypass the guard.
 * NextPartNumberMarker is 0 on an empty page, as on S3, so clients must stop on IsTruncated (the SDK's
 * `paginateListParts` does not, and loops on S3 too). AbortMultipartUpload and ListMultipartUploads remain
 * unimplemented (s3rver answers MethodNotAllowed / NotImplemented), and a completed object's ETag is still s3rver's
 * plain MD5, without S3's `-<parts>` suffix.
 */

/** 10,000 parts with ETag and a SHA-256 checksum each take about 1.6 MB of XML. */
const MAX_COMPLETE_BODY = 4 * 1024 * 1024;

/** What a multipart request needs from the guard: where to forward it, and how to refuse it. */
export interface MultipartExchange {
  request: IncomingMessage;
  response: ServerResponse;
  expectsContinue: boolean;
  proxy: UpstreamProxy;
  refuseWith: RefuseWith;
}

/** Answers ListParts, or checks UploadPart / CompleteMultipartUpload and forwards it if S3 would accept it. */
export async function handleMultipart(
  uploads: S3rverUploads,
  action: MultipartAction,
  exchange: MultipartExchange,
): Promise<void> {
  if (action.kind === 'ListParts') return listParts(uploads, action, exchange);
  if (action.kind === 'UploadPart') return uploadPart(uploads, action, exchange);
  return completeUpload(uploads, action, exchange);
}

/** Refuses before the body is read, discarding it unless the client still waits for 100-continue. */
function refuseUnread(exchange: MultipartExchange, error: S3ErrorAnswer): void {
  exchange.refuseWith(exchange.request, exchange.response, error);
  if (!exchange.expectsContinue) exchange.request.resume();
}

async function listParts(
  uploads: S3rverUploads,
  action: Extract<MultipartAction, { kind: 'ListParts' }>,
  exchange: MultipartExchange,
): Promise<void> {
  const answer = await uploads.listParts(action);
  if ('code' in answer) return refuseUnread(exchange, answer);
  writeXml(exchange.response, 200, answer.xml);
}

async function uploadPart(
  uploads: S3rverUploads,
  action: Extract<MultipartAction, { kind: 'UploadPart' }>,
  exchange: MultipartExchange,
): Promise<void> {
  // An upload being completed may be gone once that finishes; S3 then answers NoSuchUpload.
  await uploads.completion(action);
  const problem =
    (await uploads.findUpload(action)) ??
    partNumberProblem(action.partNumber) ??
    checksumTypeProblem(exchange.request, await uploads.checksumAlgorithm(action));
  if (problem) return refuseUnread(exchange, problem);
  const release = uploads.writing(action, Number(action.partNumber));
  const { request, response, expectsContinue, proxy, refuseWith } = exchange;
  // The part is stored once s3rver has answered and the answer is out; the client may complete the upload at once,
  // while the guard is still removing the body it spooled to verify a checksum.
  response.once('finish', release);
  response.once('close', release);
  await forwardVerifyingSha256(proxy, refuseWith, request, response, expectsContinue).finally(release);
}

async function completeUpload(
  uploads: S3rverUploads,
  action: MultipartAction,
  exchange: MultipartExchange,
): Promise<void> {
  const { request, response, refuseWith } = exchange;
  await uploads.exclusively(action, async () => {
    const missing = await uploads.findUpload(action);
    if (missing) return refuseUnread(exchange, missing);
    const declaredLength = Number(headerValues(request.rawHeaders).get('content-length')?.[0] ?? 0);
    if (declaredLength > MAX_COMPLETE_BODY) return refuseUnread(exchange, bodyTooLarge());
    if (exchange.expectsContinue) response.writeContinue();
    const body = await readBody(request, MAX_COMPLETE_BODY);
    if (!body) {
      refuseWith(request, response, bodyTooLarge());
      return;
    }
    const problem = bodyDigestProblem(request, body) ?? (await uploads.checkCompletion(action, body));
    if (problem) {
      refuseWith(request, response, problem);
      return;
    }
    await exchange.proxy.forward(request, response, false, body);
  });
}

/**
 * A part of an upload created with a checksum algorithm may carry only that algorithm's checksum (as a header or a
 * trailer); S3 refuses another. A part without any is S3's to checksum itself (the Object Lock rule, checked
 * before, is what refuses it on the response bucket).
 */
function checksumTypeProblem(request: IncomingMessage, algorithm: string | undefined): S3ErrorAnswer | undefined {
  if (algorithm === undefined) return undefined;
  const headers = headerValues(request.rawHeaders);
  const trailers = (headers.get('x-amz-trailer') ?? []).flatMap((value) => value.split(',').map((t) => t.trim()));
  const sent = [...headers.keys(), ...trailers.map((t) => t.toLowerCase())]
    .map((name) => /^x-amz-checksum-(crc32|crc32c|crc64nvme|sha1|sha256)$/.exec(name)?.[1])
    .filter((name) => name !== undefined);
  const other = sent.find((name) => name !== algorithm.toLowerCase());
  if (other === undefined) return undefined;
  return {
    status: 400,
    code: 'InvalidRequest',
    message: `Checksum Type mismatch occurred, expected checksum Type: ${algorithm.toLowerCase()}, actual checksum Type: ${other}`,
  };
}

/** Reads the whole body, or undefined (discarding the rest) once it exceeds `limit` bytes. */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const onData = (chunk: Buffer) => {
      length += chunk.length;
      if (length <= limit) {
        chunks.push(chunk);
        return;
      }
      request.off('data', onData);
      request.resume();
      resolve(undefined);
    };
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', reject);
    request.once('close', () => {
      if (!request.complete) reject(new Error('The client closed the connection before sending the whole body'));
    });
  });
}
