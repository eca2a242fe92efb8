import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { ManifestSchema } from '../lambdas/domain/submission';
import { partRange as halfOpenPartRange, planParts } from '../lambdas/domain/upload-parts';
import { CliError } from './errors';
import type { LocalFile } from './folder';

/**
 * What `submit` remembers between runs, in `<dir>/.notice-portal-upload.json`: which submission the folder is being
 * filed as, each file's hash (so a 5 GiB file is not hashed twice) and how far its upload got. Upload URLs are not
 * kept: they expire, and fresh ones are asked for on resume.
 */
const CompletedPartSchema = z.object({
  partNumber: z.number().int().min(1),
  etag: z.string().min(1),
  /** The part's SHA-256 (hex), named in the completion; a state file written before part checksums has none. */
  sha256: z.string().optional(),
});
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

/**
 * Bytes `[start, end]` of part `partNumber` (1-based), with `end` inclusive as `createReadStream` takes it; the
 * part plan itself (`planParts`) is the one the web app uses too (lambdas/domain/upload-parts.ts).
 */
export function partRange(
  fileSize: number,
  partSize: number,
  partNumber: number,
): { start: number; end: number; length: number } {
  const { start, end, length } = halfOpenPartRange(fileSize, partSize, partNumber);
  return { start, end: end - 1, length };
}

export { planParts };

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
