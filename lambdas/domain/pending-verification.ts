import type { Submission } from './submission';

/**
 * When the portal owes a submission hashing or filing work, the instant that work became due; undefined when it
 * owes none. Stores index a submission by this (a sparse "pending verification" key written in the same
 * conditional write as the state it follows from), so the work survives a lost S3 event, an S3 that sends none,
 * and a crash, and is found again without a Scan.
 *
 * - `finalizing`: an accepted finalize is waiting to be filed, whether a hash is still missing or only the commit
 *   is (a crash between the last hash and the `submitted` event). Only filing or reopening ends it.
 * - `open` with a completed multipart file not yet hashed: the portal knows those bytes are stored (it completed
 *   the upload), so it hashes them ahead of the finalize. Single PUTs go straight to S3; the portal learns of them
 *   from the S3 event or, at the latest, from the finalize.
 */
export function verificationPendingSince(submission: Submission): string | undefined {
  if (submission.status === 'finalizing') return submission.finalize?.requestedAt;
  if (submission.status !== 'open') return undefined;
  const completed = submission.files
    .filter((f) => f.upload.kind === 'multipart' && f.completedAt && !f.sha256)
    .map((f) => f.completedAt as string)
    .sort();
  return completed[0];
}

/** A submission the portal owes work, as the pending-verification index lists it. */
export interface PendingVerificationRef {
  noticeId: string;
  submissionId: string;
  since: string;
}

/** One line of a verification run's progress, for the log. */
export type VerificationProgress =
  | ({ step: 'picked-up'; missingHashes: number } & PendingVerificationRef)
  | ({ step: 'filed'; receiptNumber: string; filedAt: string } & PendingVerificationRef)
  | ({ step: 'hashed'; status: Submission['status'] } & PendingVerificationRef)
  | ({ step: 'waiting'; reason: string } & PendingVerificationRef)
  | ({ step: 'not-filed'; issues: { path: string; message: string }[] } & PendingVerificationRef)
  | ({ step: 'failed'; error: string } & PendingVerificationRef);

export interface VerificationReport {
  examined: number;
  filed: string[];
  failed: string[];
  /**
   * Since when the oldest submission this run found waiting had been pending (the sparse index is read oldest
   * first); absent when none was waiting longer than the run's `olderThanMs`.
   */
  oldestPendingSince?: string;
}
