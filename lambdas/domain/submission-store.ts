import type { PendingVerificationRef } from './pending-verification';
import type { Submission } from './submission';

/** Storage of submissions, beside their notice. Every change is conditional, so two writers never both succeed. */
export interface SubmissionStore {
  getSubmission(noticeId: string, submissionId: string): Promise<Submission | undefined>;
  /** Every submission of the notice, in no particular order: a Query of the notice's partition, never a Scan. */
  listSubmissions(noticeId: string): Promise<Submission[]>;
  /** Writes a new submission; false if the id is taken. */
  createSubmission(submission: Submission): Promise<boolean>;
  /** Replaces the submission if it is still at `expectedVersion`; false if someone else changed it first. */
  replaceSubmission(submission: Submission, expectedVersion: number): Promise<boolean>;
  /**
   * Submissions the portal owes hashing or filing work (see `verificationPendingSince`) that became due at or
   * before `before`, oldest first: a query of a sparse index, never a Scan.
   */
  listPendingVerification(before: string, limit: number): Promise<PendingVerificationRef[]>;
}
