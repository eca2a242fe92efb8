import { ValidationFailed } from './errors';
import type { StoredUploadPart } from './response-storage';
import type { SubmissionFile } from './submission';

/**
 * Which part URLs may be issued, and which checksums a completion sends, for a multipart upload. An upload created
 * with S3's SHA-256 checksums (`checksumAlgorithm: 'SHA256'`, every upload opened since) only gets part URLs that
 * bind the part's SHA-256, which the client states when it asks for them: S3 (an Object Lock bucket refuses parts
 * without a checksum) then stores that part's bytes or nothing. Uploads opened before keep their unbound URLs.
 */

type MultipartUpload = Extract<SubmissionFile['upload'], { kind: 'multipart' }>;

/** A part asked for: its number alone (only for uploads without checksums), or with its SHA-256 in hex. */
export type PartRequest = number | { partNumber: number; sha256: string };

/** Upload URLs handed out in one response, at most. */
export const MAX_PART_URLS = 100;

/** The parts to presign, each with the SHA-256 its URL binds (none for an upload without checksums). */
export function partsToPresign(
  upload: MultipartUpload,
  asked: readonly PartRequest[] | undefined,
): { partNumber: number; sha256?: string }[] {
  const sha256 = upload.checksumAlgorithm === 'SHA256';
  if (asked === undefined) {
    if (sha256) {
      throw new ValidationFailed([
        {
          path: 'parts',
          message:
            'required: this upload checks each part, so list the parts to upload as {partNumber, sha256} ' +
            '(the lower-case hex SHA-256 of that part)',
        },
      ]);
    }
    return Array.from({ length: Math.min(upload.partCount, MAX_PART_URLS) }, (_, i) => ({ partNumber: i + 1 }));
  }
  // At most MAX_PART_URLS URLs per response keeps it far below Lambda's 6 MB limit; ask for more by number.
  if (asked.length > MAX_PART_URLS) {
    throw new ValidationFailed([{ path: 'parts', message: `ask for at most ${MAX_PART_URLS} parts at a time` }]);
  }
  const issues: { path: string; message: string }[] = [];
  const parts = asked.map((part, i) => {
    const partNumber = typeof part === 'number' ? part : part.partNumber;
    if (partNumber < 1 || partNumber > upload.partCount) {
      issues.push({ path: `parts.${i}`, message: `part ${partNumber} is outside 1..${upload.partCount}` });
    }
    if (!sha256) return { partNumber };
    if (typeof part === 'number') {
      issues.push({
        path: `parts.${i}`,
        message: `must be {partNumber, sha256}: this upload checks each part's SHA-256 (part ${partNumber})`,
      });
      return { partNumber };
    }
    return { partNumber, sha256: part.sha256 };
  });
  if (issues.length > 0) throw new ValidationFailed(issues);
  return parts;
}

/**
 * The parts a completion lists, with the SHA-256 of each for an upload with checksums: the client's figure where it
 * gave one (S3 refuses the completion if it differs from the part stored), else the one S3 verified when it stored
 * the part (`stored`, read only when needed).
 */
export async function partsToComplete(
  upload: MultipartUpload,
  given: readonly { partNumber: number; etag: string; sha256?: string }[],
  stored: () => Promise<StoredUploadPart[]>,
): Promise<{ partNumber: number; etag: string; sha256?: string }[]> {
  if (upload.checksumAlgorithm !== 'SHA256') return given.map(({ partNumber, etag }) => ({ partNumber, etag }));
  const known = given.every((p) => p.sha256 !== undefined)
    ? new Map<number, string>()
    : new Map((await stored()).flatMap((p) => (p.sha256 ? [[p.partNumber, p.sha256] as const] : [])));
  const issues: { path: string; message: string }[] = [];
  const parts = given.map((part, i) => {
    const sha256 = part.sha256 ?? known.get(part.partNumber);
    if (sha256 === undefined) {
      issues.push({
        path: `parts.${i}.sha256`,
        message: `required: storage holds no SHA-256 for part ${part.partNumber}; upload it again`,
      });
    }
    return { partNumber: part.partNumber, etag: part.etag, sha256 };
  });
  if (issues.length > 0) throw new ValidationFailed(issues);
  return parts;
}
