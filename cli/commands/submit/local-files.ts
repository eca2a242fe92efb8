import { stat } from 'node:fs/promises';
import { CliError } from '../../errors';
import { sha256File } from '../../file-hash';
import type { LocalFile } from '../../folder';
import type { Io } from '../../io';
import { ProgressBar } from '../../progress';
import type { UploadState } from '../../upload-state';

/** The response files on this machine: hashed once, and checked unchanged before what was hashed is signed. */

export /** Hashes each file once: a hash in the state file is reused while the file's size and mtime are unchanged. */
async function hashFiles(io: Io, quiet: boolean, files: LocalFile[], state: UploadState, signal: AbortSignal) {
  for (const file of files) {
    const entry = state.files.find((f) => f.name === file.name);
    if (!entry) throw new Error(`No state for ${file.name}`);
    if (entry.sha256 && entry.size === file.size && entry.mtimeMs === file.mtimeMs) continue;
    // Only large files get a bar: hashing a small one is over before a bar would be read.
    const bar =
      file.size >= 64 * 1024 ** 2 ? new ProgressBar(io, `${file.name} (hashing)`, file.size, { quiet }) : undefined;
    entry.sha256 = await sha256File(file.path, { onBytes: (n) => bar?.add(n), signal });
    entry.size = file.size;
    entry.mtimeMs = file.mtimeMs;
    bar?.finish('hashed');
  }
}

export /** What is signed must be what was hashed and uploaded: a file edited meanwhile stops the filing. */
async function assertUnchanged(files: LocalFile[]): Promise<void> {
  const changed: string[] = [];
  for (const file of files) {
    const info = await stat(file.path).catch(() => undefined);
    if (!info || info.size !== file.size || info.mtimeMs !== file.mtimeMs)
      changed.push(`${file.name} changed during the upload`);
  }
  if (changed.length > 0) {
    throw new CliError('Not signing: the response files changed while they were uploaded.', undefined, [
      ...changed,
      'Rerun with --restart to upload them again.',
    ]);
  }
}
