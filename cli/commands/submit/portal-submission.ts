import type { Submission } from '../../../lambdas/domain/submission';
import { CliError } from '../../errors';
import { ApiError, type PortalClient } from '../../portal-client';
import type { UploadState } from '../../upload-state';
import type { InitialTarget } from '../../uploader';

/** The submission on the portal: opened for this folder, or picked up where an earlier run left it. */
export async function openOrResumeSubmission(
  client: PortalClient,
  current: UploadState,
  note: (text: string) => void,
): Promise<{ submission: Submission; targets: Map<number, InitialTarget> }> {
  const noticeId = current.noticeId;
  const targets = new Map<number, InitialTarget>();
  let submission: Submission;
  if (current.submissionId) {
    submission = await getSubmission(client, noticeId, current.submissionId);
    note(`Resuming submission ${submission.submissionId} (${submission.status}).`);
  } else {
    const opened = await client.openSubmission(
      noticeId,
      current.files.map(({ name, size, sha256, contentType }) => ({
        name,
        size,
        sha256: sha256 as string,
        contentType,
      })),
      current.openIdempotencyKey,
    );
    submission = opened.submission;
    current.submissionId = submission.submissionId;
    for (const upload of opened.uploads) targets.set(upload.index, upload);
    const count = current.files.length;
    note(
      count === 0
        ? `Opened submission ${submission.submissionId} with no files (a response of answers only).`
        : `Opened submission ${submission.submissionId} for ${count} file${count === 1 ? '' : 's'}.`,
    );
  }
  syncWithPortal(current, submission);
  return { submission, targets };
}

async function getSubmission(client: PortalClient, noticeId: string, submissionId: string): Promise<Submission> {
  try {
    return await client.getSubmission(noticeId, submissionId);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      throw new CliError(
        `The portal no longer has submission ${submissionId} that this folder was being uploaded to.`,
        undefined,
        [error.message, 'Rerun with --restart to open a new submission.'],
      );
    }
    throw error;
  }
}

/** Takes each file's index and upload plan from the portal, and whether its bytes are already stored. */
function syncWithPortal(state: UploadState, submission: Submission): void {
  const declared = new Map(submission.files.map((f) => [f.name, f]));
  for (const entry of state.files) {
    const file = declared.get(entry.name);
    if (!file) {
      throw new CliError(`Submission ${submission.submissionId} has no file ${entry.name}; rerun with --restart.`);
    }
    entry.index = file.index;
    entry.multipart =
      file.upload.kind === 'multipart'
        ? { partSize: file.upload.partSize, partCount: file.upload.partCount }
        : undefined;
    if (file.completedAt) entry.done = true;
  }
}
