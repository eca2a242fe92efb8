import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { md5OfFile, sha256OfFile } from './checksum';
import type { UploadTarget } from './multipart-action';
import { invalidArgument, noSuchUpload, type S3ErrorAnswer } from './s3-errors';
import { type CompletedPart, parseCompleteMultipartUpload, xmlEscape } from './xml';

/**
 * The multipart uploads s3rver keeps on disk, `<directory>/<bucket>/._S3rver_uploads/<uploadId>/`, read as S3
 * would answer for them, and the completions and part writes the guard has in flight.
 */

interface StoredPart {
  partNumber: number;
  size: number;
  /** Quoted, as UploadPart returned it. */
  etag: string;
  lastModified: Date;
  /** Where s3rver keeps the part's bytes. */
  path: string;
}

const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PART_NUMBER = 10_000;
const MAX_PARTS_LISTED = 1000;
const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
/** s3rver's built-in account, the owner of everything it stores. */
const S3RVER_OWNER = '<ID>123456789000</ID><DisplayName>S3rver</DisplayName>';
/** s3rver's name for the per-bucket directory of multipart uploads (its `%s._S3rver_%s` suffix with no key). */
const UPLOADS_DIRECTORY = '._S3rver_uploads';

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** s3rver's upload ids are 32 hex digits; anything path-like can never name one. */
const UPLOAD_ID = /^[A-Za-z0-9_-]{1,256}$/;
/** Part files are named by the decimal part number (s3rver would also write `01`, which no ListParts shows). */
const PART_FILE = /^[1-9][0-9]{0,4}$/;

/** The uploads in progress in s3rver's directory, and what the guard itself has in flight for them. */
export class S3rverUploads {
  /** Per upload, the completion running now (completions of one upload run one after another). */
  private readonly completing = new Map<string, Promise<void>>();
  /** Per upload and part, how many UploadParts the guard is forwarding. */
  private readonly writes = new Map<string, number>();
  /** Whether a part whose MD5 file is older than its bytes still holds those bytes, by file identity and times. */
  private readonly verified = new Map<string, boolean>();
  /** The SHA-256 (base64) of a stored part, by file identity and times, so each state of a part is hashed once. */
  private readonly sha256s = new Map<string, string>();

  constructor(private readonly directory: string) {}

  /** NoSuchBucket or NoSuchUpload as S3 answers them (an upload id only names an upload of its own key). */
  async findUpload(target: UploadTarget): Promise<S3ErrorAnswer | undefined> {
    const bucketDirectory = join(this.directory, target.bucket);
    if (!BUCKET_NAME.test(target.bucket) || !(await stat(bucketDirectory).catch(ifMissing))?.isDirectory()) {
      return {
        status: 404,
        code: 'NoSuchBucket',
        message: 'The specified bucket does not exist',
        details: { BucketName: target.bucket },
      };
    }
    const key = UPLOAD_ID.test(target.uploadId)
      ? await readFile(join(this.uploadDirectory(target), 'key'), 'utf8').catch(ifMissing)
      : undefined;
    return key === target.key ? undefined : noSuchUpload(target.uploadId);
  }

  async listParts(
    action: UploadTarget & { maxParts?: string; partNumberMarker?: string },
  ): Promise<{ xml: string } | S3ErrorAnswer> {
    const maxParts = action.maxParts === undefined ? MAX_PARTS_LISTED : nonNegativeInteger(action.maxParts);
    if (maxParts === undefined) {
      return invalidArgument('Provided max-parts not an integer or within integer range', 'max-parts', action.maxParts);
    }
    const marker = action.partNumberMarker === undefined ? 0 : nonNegativeInteger(action.partNumberMarker);
    if (marker === undefined) {
      return invalidArgument(
        'Provided part-number-marker not an integer or within integer range',
        'part-number-marker',
        action.partNumberMarker,
      );
    }
    const missing = await this.findUpload(action);
    if (missing) return missing;
    const following = (await this.storedParts(action)).filter((part) => part.partNumber > marker);
    const page = following.slice(0, Math.min(maxParts, MAX_PARTS_LISTED));
    // An upload with SHA-256 checksums lists each part's, as S3 does (the algorithm, the type and per part).
    const sha256 = (await this.checksumAlgorithm(action)) === 'SHA256';
    const checksums = sha256 ? await Promise.all(page.map((part) => this.sha256Of(part))) : [];
    const element = (name: string, value: string | number) => `<${name}>${xmlEscape(String(value))}</${name}>`;
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<ListPartsResult xmlns="${S3_XMLNS}">` +
      element('Bucket', action.bucket) +
      element('Key', action.key) +
      element('UploadId', action.uploadId) +
      `<Initiator>${S3RVER_OWNER}</Initiator><Owner>${S3RVER_OWNER}</Owner>` +
      element('StorageClass', 'STANDARD') +
      (sha256 ? element('ChecksumAlgorithm', 'SHA256') + element('ChecksumType', 'COMPOSITE') : '') +
      element('PartNumberMarker', marker) +
      // As S3: the last part listed, or 0 for an empty page (so a client must stop on IsTruncated, not on this).
      element('NextPartNumberMarker', page.at(-1)?.partNumber ?? 0) +
      element('MaxParts', Math.min(maxParts, MAX_PARTS_LISTED)) +
      element('IsTruncated', following.length > page.length ? 'true' : 'false') +
      page
        .map(
          (part, i) =>
            '<Part>' +
            element('PartNumber', part.partNumber) +
            element('LastModified', part.lastModified.toISOString()) +
            element('ETag', part.etag) +
            element('Size', part.size) +
            (sha256 ? element('ChecksumSHA256', checksums[i] ?? '') : '') +
            '</Part>',
        )
        .join('') +
      '</ListPartsResult>';
    return { xml };
  }

  /** What S3 would refuse in this CompleteMultipartUpload body, checked against the parts stored now. */
  async checkCompletion(target: UploadTarget, body: Buffer): Promise<S3ErrorAnswer | undefined> {
    const listed = parseCompleteMultipartUpload(body);
    if (!listed) {
      return {
        status: 400,
        code: 'MalformedXML',
        message: 'The XML you provided was not well-formed or did not validate against our published schema',
      };
    }
    const details = (part: CompletedPart) => ({
      UploadId: target.uploadId,
      PartNumber: String(part.partNumber),
      ETag: part.etag,
    });
    let previous: CompletedPart | undefined;
    for (const part of listed) {
      if (previous && part.partNumber <= previous.partNumber) {
        return {
          status: 400,
          code: 'InvalidPartOrder',
          message:
            'The list of parts was not in ascending order. The parts list must be specified in order by part number.',
          details: details(part),
        };
      }
      previous = part;
    }
    const wanted = new Set(listed.map((part) => part.partNumber));
    const stored = new Map((await this.storedParts(target, wanted)).map((part) => [part.partNumber, part]));
    for (const part of listed) {
      const found = stored.get(part.partNumber);
      // S3 ignores every double quote when it compares ETags.
      const sameETag = found && found.etag.replace(/"/g, '') === part.etag.replace(/"/g, '');
      // A part still being written is not stored yet; completing it would take however much is on disk.
      if (!sameETag || this.writes.has(partId(target, part.partNumber))) {
        return {
          status: 400,
          code: 'InvalidPart',
          message:
            "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
          details: details(part),
        };
      }
    }
    if ((await this.checksumAlgorithm(target)) === 'SHA256') {
      const problem = await this.checksumProblem(target, listed, stored);
      if (problem) return problem;
    }
    return tooSmall(listed, stored);
  }

  /**
   * The checksum algorithm the upload was created with (`x-amz-checksum-algorithm` of CreateMultipartUpload, which
   * s3rver keeps among the initiating request's headers), upper-case; undefined for an upload without one.
   */
  async checksumAlgorithm(target: UploadTarget): Promise<string | undefined> {
    if (!UPLOAD_ID.test(target.uploadId)) return undefined;
    const metadata = await readFile(join(this.uploadDirectory(target), 'metadata'), 'utf8').catch(ifMissing);
    if (metadata === undefined) return undefined;
    const headers = JSON.parse(metadata) as Record<string, unknown>;
    const algorithm = headers['x-amz-checksum-algorithm'];
    return typeof algorithm === 'string' ? algorithm.toUpperCase() : undefined;
  }

  /**
   * What S3 refuses in the part checksums of a completion of a SHA-256 upload: with a checksum algorithm the parts
   * are numbered from 1 without gaps (InvalidPartOrder), each must name its SHA-256 (InvalidRequest), and that must
   * be the stored part's (InvalidPart, also for a checksum of another algorithm).
   */
  private async checksumProblem(
    target: UploadTarget,
    listed: CompletedPart[],
    stored: Map<number, StoredPart>,
  ): Promise<S3ErrorAnswer | undefined> {
    const gap = listed.find((part, i) => part.partNumber !== i + 1);
    if (gap) {
      return {
        status: 400,
        code: 'InvalidPartOrder',
        message: 'The list of parts was not in ascending order. Parts must be ordered by part number.',
        details: { UploadId: target.uploadId },
      };
    }
    for (const part of listed) {
      const found = stored.get(part.partNumber);
      const named = part.checksums.get('ChecksumSHA256');
      if (named === undefined && part.checksums.size === 0) {
        return {
          status: 400,
          code: 'InvalidRequest',
          message:
            'The upload was created using a sha256 checksum. The complete request must include the checksum for ' +
            `each part. It was missing for part ${part.partNumber} in the request.`,
        };
      }
      if (!found || named === undefined || named !== (await this.sha256Of(found))) {
        return {
          status: 400,
          code: 'InvalidPart',
          message:
            "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
          details: { UploadId: target.uploadId, PartNumber: String(part.partNumber), ETag: part.etag },
        };
      }
    }
    return undefined;
  }

  /** A stored part's SHA-256 (base64), hashed once per state of its file. */
  private async sha256Of(part: StoredPart): Promise<string> {
    const state = [part.path, part.size, part.lastModified.getTime(), part.etag].join(':');
    let digest = this.sha256s.get(state);
    if (digest === undefined) {
      digest = await sha256OfFile(part.path);
      if (this.sha256s.size >= 10_000) this.sha256s.clear();
      this.sha256s.set(state, digest);
    }
    return digest;
  }

  /** Resolves once no completion of this upload is running. */
  async completion(target: UploadTarget): Promise<void> {
    await this.completing.get(uploadId(target));
  }

  /** Runs `work` once every earlier completion of the same upload has finished, and before any later one. */
  async exclusively(target: UploadTarget, work: () => Promise<void>): Promise<void> {
    const id = uploadId(target);
    const previous = this.completing.get(id);
    let release = () => {};
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    const current = (previous ?? Promise.resolve()).then(() => done);
    this.completing.set(id, current);
    try {
      await previous;
      await work();
    } finally {
      release();
      if (this.completing.get(id) === current) this.completing.delete(id);
    }
  }

  /** Records an UploadPart being forwarded; call the returned function once it is answered. */
  writing(target: UploadTarget, partNumber: number): () => void {
    const id = partId(target, partNumber);
    this.writes.set(id, (this.writes.get(id) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const remaining = (this.writes.get(id) ?? 1) - 1;
      if (remaining > 0) this.writes.set(id, remaining);
      else this.writes.delete(id);
    };
  }

  /**
   * The parts s3rver holds, in part-number order (only those in `only`, if given). A part counts once its MD5 file
   * exists; if that file is older than the bytes (s3rver truncates a part in place when it is uploaded again, and
   * leaves it truncated if that upload is aborted, but also writes the MD5 before the last chunk reaches the disk)
   * the bytes are hashed to tell which, once per state of the files.
   */
  private async storedParts(target: UploadTarget, only?: Set<number>): Promise<StoredPart[]> {
    const directory = this.uploadDirectory(target);
    const names = ((await readdir(directory).catch(ifMissing)) ?? []).filter(
      (name) => PART_FILE.test(name) && Number(name) <= MAX_PART_NUMBER && (!only || only.has(Number(name))),
    );
    const parts = await Promise.all(
      names.map(async (name): Promise<StoredPart | undefined> => {
        const bytesPath = join(directory, name);
        const [bytes, digest, md5] = await Promise.all([
          stat(bytesPath, { bigint: true }).catch(ifMissing),
          stat(`${bytesPath}.md5`, { bigint: true }).catch(ifMissing),
          readFile(`${bytesPath}.md5`, 'utf8').catch(ifMissing),
        ]);
        if (!bytes?.isFile() || !digest?.isFile() || md5 === undefined || !/^[0-9a-f]{32}$/.test(md5)) {
          return undefined;
        }
        if (digest.mtimeNs < bytes.mtimeNs) {
          const state = [bytesPath, bytes.ino, bytes.size, bytes.mtimeNs, digest.mtimeNs, md5].join(':');
          let intact = this.verified.get(state);
          if (intact === undefined) {
            intact = (await md5OfFile(bytesPath).catch(ifMissing)) === md5;
            if (this.verified.size >= 10_000) this.verified.clear();
            this.verified.set(state, intact);
          }
          if (!intact) return undefined;
        }
        return {
          partNumber: Number(name),
          size: Number(bytes.size),
          etag: `"${md5}"`,
          lastModified: new Date(Number(bytes.mtimeNs / 1_000_000n)),
          path: bytesPath,
        };
      }),
    );
    return parts.filter((part) => part !== undefined).sort((a, b) => a.partNumber - b.partNumber);
  }

  private uploadDirectory(target: UploadTarget): string {
    return join(this.directory, target.bucket, UPLOADS_DIRECTORY, target.uploadId);
  }
}

/** EntityTooSmall for a part other than the last under S3's 5 MiB minimum. */
function tooSmall(listed: CompletedPart[], stored: Map<number, StoredPart>): S3ErrorAnswer | undefined {
  for (const part of listed.slice(0, -1)) {
    const size = stored.get(part.partNumber)?.size ?? 0;
    if (size < MIN_PART_SIZE) {
      return {
        status: 400,
        code: 'EntityTooSmall',
        message: 'Your proposed upload is smaller than the minimum allowed object size.',
        details: {
          ProposedSize: String(size),
          MinSizeAllowed: String(MIN_PART_SIZE),
          PartNumber: String(part.partNumber),
          ETag: part.etag,
        },
      };
    }
  }
  return undefined;
}

function uploadId(target: UploadTarget): string {
  return `${target.bucket}/${target.uploadId}`;
}

function partId(target: UploadTarget, partNumber: number): string {
  return `${target.bucket}/${target.uploadId}/${partNumber}`;
}

/** Undefined for a file or directory that does not exist; any other failure is rethrown. */
function ifMissing(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
  throw error;
}

function nonNegativeInteger(value: string): number | undefined {
  return /^[0-9]{1,10}$/.test(value) && Number(value) <= 2_147_483_647 ? Number(value) : undefined;
}

export function partNumberProblem(partNumber: string): S3ErrorAnswer | undefined {
  if (PART_FILE.test(partNumber) && Number(partNumber) <= MAX_PART_NUMBER) return undefined;
  return invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', partNumber);
}
