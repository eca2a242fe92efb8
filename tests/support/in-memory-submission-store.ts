import { type PendingVerificationRef, verificationPendingSince } from '../../lambdas/domain/pending-verification';
import type { SigningKeyStore } from '../../lambdas/domain/signing-key-store';
import type { KeyClaim, SigningKey } from '../../lambdas/domain/signing-keys';
import type { Submission } from '../../lambdas/domain/submission';
import type { SubmissionStore } from '../../lambdas/domain/submission-store';

const submissionKey = (noticeId: string, submissionId: string) => `${noticeId}|${submissionId}`;
const keyKey = (platformId: string, kid: string) => `${platformId}|${kid}`;

/**
 * A SubmissionStore and SigningKeyStore in memory with the conditions `DynamoDbSubmissionStore` and
 * `DynamoDbSigningKeyStore` write with:
 * - `createSubmission` / `createKey` succeed only if nothing has that id yet (`attribute_not_exists(pk)`);
 * - `claimKey` writes a claim only if the key has none, and returns the stored one;
 * - `replaceSubmission` succeeds only while the stored submission is at `expectedVersion`;
 * - `replaceKey(…, 'not-revoked')` succeeds only for a stored key that has not been revoked;
 * - keys are listed oldest `validFrom` first, and values are copied in and out (undefined members dropped);
 * - `listPendingVerification` lists, oldest first, the submissions `verificationPendingSince` marks, as the sparse
 *   index the DynamoDB store writes in the same Put would.
 * Each check and its write happen with no await in between: the in-memory equivalent of one conditional Put.
 */
export class InMemorySubmissionStore implements SubmissionStore, SigningKeyStore {
  private readonly submissions = new Map<string, Submission>();
  private readonly keys = new Map<string, SigningKey>();
  private readonly claims = new Map<string, KeyClaim>();
  /** Every successful write of a submission, in order, for tests that inspect what was written. */
  readonly writes: Submission[] = [];

  async getSubmission(noticeId: string, submissionId: string): Promise<Submission | undefined> {
    return copy(this.submissions.get(submissionKey(noticeId, submissionId)));
  }

  async listSubmissions(noticeId: string): Promise<Submission[]> {
    return [...this.submissions.values()].filter((s) => s.noticeId === noticeId).map((s) => copy(s));
  }

  async createSubmission(submission: Submission): Promise<boolean> {
    const id = submissionKey(submission.noticeId, submission.submissionId);
    if (this.submissions.has(id)) return false;
    this.put(id, submission);
    return true;
  }

  async replaceSubmission(submission: Submission, expectedVersion: number): Promise<boolean> {
    const id = submissionKey(submission.noticeId, submission.submissionId);
    if (this.submissions.get(id)?.version !== expectedVersion) return false;
    this.put(id, submission);
    return true;
  }

  async listPendingVerification(before: string, limit: number): Promise<PendingVerificationRef[]> {
    return [...this.submissions.values()]
      .map((s) => ({ noticeId: s.noticeId, submissionId: s.submissionId, since: verificationPendingSince(s) }))
      .filter((ref): ref is PendingVerificationRef => ref.since !== undefined && ref.since <= before)
      .sort((a, b) =>
        `${a.since}#${a.noticeId}#${a.submissionId}`.localeCompare(`${b.since}#${b.noticeId}#${b.submissionId}`),
      )
      .slice(0, limit);
  }

  async getKey(platformId: string, kid: string): Promise<SigningKey | undefined> {
    return copy(this.keys.get(keyKey(platformId, kid)));
  }

  async claimKey(claim: KeyClaim): Promise<KeyClaim> {
    const stored = this.claims.get(claim.kid);
    if (stored) return copy(stored);
    this.claims.set(claim.kid, copy(claim));
    return copy(claim);
  }

  async createKey(key: SigningKey): Promise<boolean> {
    const id = keyKey(key.platformId, key.kid);
    if (this.keys.has(id)) return false;
    this.keys.set(id, copy(key));
    return true;
  }

  async replaceKey(key: SigningKey, _condition: 'not-revoked'): Promise<boolean> {
    const id = keyKey(key.platformId, key.kid);
    const current = this.keys.get(id);
    if (!current || current.revokedAt !== undefined) return false;
    this.keys.set(id, copy(key));
    return true;
  }

  async listKeys(platformId: string): Promise<SigningKey[]> {
    return [...this.keys.values()]
      .filter((k) => k.platformId === platformId)
      .sort((a, b) => a.validFrom.localeCompare(b.validFrom))
      .map(copy);
  }

  private put(id: string, submission: Submission): void {
    this.submissions.set(id, copy(submission));
    this.writes.push(copy(submission));
  }
}

function copy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
