import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { formatBytes } from '../lambdas/domain/byte-size';
import { FileNameSchema, MAX_FILE_BYTES, MAX_FILES } from '../lambdas/domain/submission';
import { CliError } from './errors';

/** Where `submit` keeps its progress, inside the folder it uploads (so a rerun in the same folder resumes). */
export const STATE_FILE = '.notice-portal-upload.json';

/** Receipts `submit` writes into the folder; never part of a later response from the same folder. */
const RECEIPT_FILE = /^receipt-NRP-[0-9A-Z-]+\.jws$/;

export interface LocalFile {
  name: string;
  path: string;
  size: number;
  /** With the size, tells whether a file changed since it was hashed (and so whether a cached hash holds). */
  mtimeMs: number;
  contentType?: string;
}

export interface FolderScan {
  files: LocalFile[];
  /** What was left out and why, so the user is never surprised by what was filed. */
  skipped: { name: string; reason: string }[];
}

/**
 * The files of a response: every regular file directly in the folder, sorted by name. Dotfiles (including the
 * state file), earlier receipts, subfolders and symbolic links are skipped.
 */
export async function scanFolder(dir: string): Promise<FolderScan> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`The folder ${dir} does not exist.`);
    if (code === 'ENOTDIR') throw new CliError(`${dir} is a file; --dir takes the folder holding the response files.`);
    throw new CliError(`The folder ${dir} cannot be read: ${(error as Error).message}`);
  }
  const files: LocalFile[] = [];
  const skipped: FolderScan['skipped'] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.')) continue;
    const skip = whySkipped(entry);
    if (skip) skipped.push(skip);
    else files.push(await localFile(dir, entry.name));
  }
  return { files, skipped };
}

/** Why a folder entry is not uploaded, or undefined for a response file. */
function whySkipped(entry: import('node:fs').Dirent): FolderScan['skipped'][number] | undefined {
  if (entry.isDirectory()) return { name: `${entry.name}/`, reason: 'subfolders are not uploaded' };
  if (entry.isSymbolicLink()) return { name: entry.name, reason: 'symbolic links are not uploaded' };
  if (!entry.isFile()) return { name: entry.name, reason: 'not a regular file' };
  if (RECEIPT_FILE.test(entry.name)) return { name: entry.name, reason: 'a receipt written by this tool' };
  return undefined;
}

async function localFile(dir: string, name: string): Promise<LocalFile> {
  const path = join(dir, name);
  const info = await stat(path);
  return { name, path, size: info.size, mtimeMs: info.mtimeMs, contentType: contentTypeOf(name) };
}

/**
 * The portal's own limits, checked before anything is sent: one message listing every problem. A response of
 * answers only (`noFiles`, the `--no-files` flag) must come from a folder with no response files, and an empty
 * folder is refused without it: a wrong `--dir` is far likelier than a response meant to have no files, and a
 * filed response cannot be replaced.
 */
export function folderProblems(files: readonly LocalFile[], { noFiles = false }: { noFiles?: boolean } = {}): string[] {
  const problems: string[] = [];
  if (noFiles) {
    if (files.length > 0) {
      const names = files.map((f) => f.name).join(', ');
      problems.push(
        `--no-files says the response has no files, but the folder has ${files.length} (${names}); remove them, or leave out --no-files to file them`,
      );
    }
    return problems;
  }
  if (files.length === 0) {
    problems.push('the folder has no files to upload (for a response of answers only, with no files, pass --no-files)');
  }
  if (files.length > MAX_FILES)
    problems.push(`the folder has ${files.length} files; a response may have at most ${MAX_FILES}`);
  for (const file of files) {
    if (!FileNameSchema.safeParse(file.name).success)
      problems.push(`${file.name}: the name is not allowed (at most 200 characters, no control characters)`);
    if (file.size === 0) problems.push(`${file.name}: the file is empty, and an empty file cannot be filed`);
    if (file.size > MAX_FILE_BYTES)
      problems.push(`${file.name}: ${formatBytes(file.size)} is over the 5 GiB limit per file`);
  }
  return problems;
}

const CONTENT_TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.json': 'application/json',
  '.csv': 'text/csv',
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.html': 'text/html',
  '.xml': 'application/xml',
  '.zip': 'application/zip',
  '.doc': 'application/msword',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xls': 'application/vnd.ms-excel',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.mp4': 'video/mp4',
};

/** A declared type helps the regulator open the file; unknown extensions are declared as nothing rather than guessed. */
export function contentTypeOf(name: string): string | undefined {
  return CONTENT_TYPES[extname(name).toLowerCase()];
}

export { formatBytes };
