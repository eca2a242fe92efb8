import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { ManifestSchema } from '../lambdas/domain/submission';
import { CliError } from './errors';
import type { LocalFile } from './folder';

/**
 * What `submit` remembers between runs, in `<dir>/.notice-portal-upload.json`: which submission the folder is being
 * filed as, each file's hash (so a 5 GiB file is not hashed twice) and how far its upload got. Upload URLs are not
 * kept: they expire, and fresh ones are asked for on resume.
 */
const CompletedPartSchema = z.object({ partNumber: z.number().int().min(1), etag: z.string().min(1) });
export type CompletedPart = z.infer<typeof CompletedPartSchema>;

const StateFileSchema = z.object({
  name: z.string(),
  size: z.number().int(),
  mtimeMs: z.number(),
  contentType: z.string().optional(),
  sha256: z.string().optional(),
  /** The portal's index for the file, once the submission is open. */
  index: z.number().int().optional(),
  multipart: z.object({ partSize: z.number().int().min(1), partCount: z.number().int().min(1) }).optional(),
  parts: z.array(CompletedPartSchema),
  /** The bytes are stored (single PUT succeeded, or the multipart upload was completed). */
  done: z.boolean(),
});
export type StateFile = z.infer<typeof StateFileSchema>;

export const UploadStateSchema = z.object({
  version: z.literal(1),
  api: z.string(),
  noticeId: z.string(),
  /** Sent with the open request, so a retry after a lost answer gets the same submission, not a second one. */
  openIdempotencyKey: z.string(),
  submissionId: z.string().optional(),
  files: z.array(StateFileSchema),
  finalize: z
    .object({ requestedAt: z.string(), idempotencyKey: z.string(), manifest: ManifestSchema, signature: z.string() })
    .optional(),
  receipt: z.object({ number: z.string(), filedAt: z.string(), onTime: z.boolean(), path: z.string() }).optional(),
});
export type UploadState = z.infer<typeof UploadStateSchema>;

export function loadState(path: string): UploadState | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError(`The upload state ${path} cannot be read: ${(error as Error).message}`);
  }
  try {
    return UploadStateSchema.parse(JSON.parse(text));
  } catch {
    throw new CliError(
      `The upload state ${path} is damaged. Rerun with --restart to open a new submission (uploads start over).`,
    );
  }
}

/** Written whole to a temporary file and renamed, so an interruption never leaves half a state file. */
export function saveState(path: string, state: UploadState): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temporary, path);
}

export function newStateFile(file: LocalFile): StateFile {
  return {
    name: file.name,
    size: file.size,
    mtimeMs: file.mtimeMs,
    contentType: file.contentType,
    parts: [],
    done: false,
  };
}

/** Bytes `[start, end]` (inclusive, as `createReadStream` takes them) of part `partNumber` (1-based). */
export function partRange(
  fileSize: number,
  partSize: number,
  partNumber: number,
): { start: number; end: number; length: number } {
  const start = (partNumber - 1) * partSize;
  const end = Math.min(fileSize, start + partSize) - 1;
  return { start, end, length: end - start + 1 };
}

export interface PartPlan {
  /** Parts already stored, with the ETags the completion needs. */
  stored: CompletedPart[];
  /** Parts still to upload, in order. */
  missing: number[];
}

/**
 * Which parts of a multipart upload still need to be sent. The portal's list of stored parts is the truth: a part
 * recorded locally but not stored (the upload was aborted and restarted, or the record outran the store) is sent
 * again, and a stored part whose size is not the expected one (cut short) is replaced. Without the portal's list
 * (`stored` undefined) the local record is all there is.
 */
export function planParts(input: {
  fileSize: number;
  partSize: number;
  partCount: number;
  recorded: readonly CompletedPart[];
  stored?: readonly { partNumber: number; etag: string; size: number }[];
}): PartPlan {
  const { partCount } = input;
  const have = input.stored ? usableStoredParts(input, input.stored) : recordedParts(input.recorded, partCount);
  const stored: CompletedPart[] = [];
  const missing: number[] = [];
  for (let n = 1; n <= partCount; n++) {
    const etag = have.get(n);
    if (etag) stored.push({ partNumber: n, etag });
    else missing.push(n);
  }
  return { stored, missing };
}

/** The stored parts that can go into the completion: in range, of the expected size, with an ETag. */
function usableStoredParts(
  plan: { fileSize: number; partSize: number; partCount: number },
  stored: readonly { partNumber: number; etag: string; size: number }[],
): Map<number, string> {
  const have = new Map<number, string>();
  for (const part of stored) {
    const inRange = Number.isInteger(part.partNumber) && part.partNumber >= 1 && part.partNumber <= plan.partCount;
    if (inRange && part.size === partRange(plan.fileSize, plan.partSize, part.partNumber).length && part.etag) {
      have.set(part.partNumber, part.etag);
    }
  }
  return have;
}

function recordedParts(recorded: readonly CompletedPart[], partCount: number): Map<number, string> {
  const have = new Map<number, string>();
  for (const part of recorded)
    if (part.partNumber >= 1 && part.partNumber <= partCount) have.set(part.partNumber, part.etag);
  return have;
}

/** How the folder differs from what the open submission declared; any difference means it cannot be resumed. */
export function folderChanges(declared: readonly StateFile[], files: readonly LocalFile[]): string[] {
  const changes: string[] = [];
  const now = new Map(files.map((f) => [f.name, f]));
  for (const d of declared) {
    const f = now.get(d.name);
    if (!f) changes.push(`${d.name} was removed`);
    else if (f.size !== d.size) changes.push(`${d.name} changed size (${d.size} → ${f.size} bytes)`);
    else if (f.mtimeMs !== d.mtimeMs) changes.push(`${d.name} was modified`);
  }
  const before = new Set(declared.map((d) => d.name));
  for (const f of files) if (!before.has(f.name)) changes.push(`${f.name} was added`);
  return changes;
}
