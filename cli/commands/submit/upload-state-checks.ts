import { randomUUID } from 'node:crypto';
import { CliError } from '../../errors';
import type { LocalFile } from '../../folder';
import { folderChanges, newStateFile, type UploadState } from '../../upload-state';

/**
 * Whether the upload state kept in the folder belongs to this command: the same notice and portal, and a folder
 * unchanged since a submission was opened for it.
 */

/** Refuses a state file left by a response to another notice or portal (`--restart` starts over). */
export function assertStateFits(state: UploadState | undefined, dir: string, noticeId: string, api: string): void {
  if (state?.receipt && state.noticeId !== noticeId) {
    throw new CliError(
      `${dir} was already filed as the response to notice ${state.noticeId} (receipt ${state.receipt.number}). Use a new folder for notice ${noticeId}, or --restart to file this one again.`,
    );
  }
  if (state && state.noticeId !== noticeId) {
    throw new CliError(
      `${dir} holds an unfinished response to notice ${state.noticeId}, not ${noticeId}. Use --notice ${state.noticeId} to finish it, or --restart to start over for ${noticeId}.`,
    );
  }
  if (state && state.api !== api) {
    throw new CliError(
      `${dir} holds an unfinished response filed with ${state.api}; use --api ${state.api}, or --restart.`,
    );
  }
}

/**
 * The state to carry on from: the saved one while the folder is as it was (a changed folder with no submission
 * yet simply starts afresh; with one, it is refused), else a new one.
 */
export function stateToResume(
  saved: UploadState | undefined,
  files: LocalFile[],
  target: { api: string; noticeId: string },
): UploadState {
  let state = saved;
  if (state && !state.submissionId && folderChanges(state.files, files).length > 0) state = undefined;
  if (state?.submissionId) {
    const changes = folderChanges(state.files, files);
    if (changes.length > 0) {
      throw new CliError(
        `The folder changed since its upload started, so it cannot be resumed as submission ${state.submissionId}:`,
        undefined,
        [...changes, 'Put it back as it was, or rerun with --restart to open a new submission.'],
      );
    }
  }
  return (
    state ?? {
      version: 1,
      api: target.api,
      noticeId: target.noticeId,
      openIdempotencyKey: `open-${randomUUID()}`,
      files: files.map(newStateFile),
    }
  );
}
