import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type PendingVerificationRef, verificationPendingSince } from '../domain/pending-verification';
import type { Submission } from '../domain/submission';
import type { SubmissionStore } from '../domain/submission-store';
import { ItemTable } from './dynamodb-items';
import { INDEXES, PENDING_VERIFICATION } from './notice-table-design';

/**
 * Submissions live in their notice's partition (`NOTICE#<id>` / `SUBMISSION#<sid>`, outside the EVENT#…NOTICE range
 * the notice is read from). Every change is a conditional write on a version number, so two writers never both
 * succeed.
 */
const submissionKey = (noticeId: string, submissionId: string) => ({
  pk: `NOTICE#${noticeId}`,
  sk: `SUBMISSION#${submissionId}`,
});

const PENDING_INDEX = INDEXES.pendingProjection;

/**
 * The whole item for a submission: its table keys and, while the portal owes it hashing or filing work, the sparse
 * pending-verification keys. Every write is a whole-item Put, so the write that files or reopens a submission is
 * the one that removes them: the pending mark can never outlive, or miss, the state it follows from.
 */
function submissionItem(submission: Submission): Record<string, unknown> {
  const since = verificationPendingSince(submission);
  return {
    ...submission,
    ...submissionKey(submission.noticeId, submission.submissionId),
    ...(since && {
      [PENDING_INDEX.partitionKey]: PENDING_VERIFICATION,
      [PENDING_INDEX.sortKey]: `${since}#${submission.noticeId}#${submission.submissionId}`,
    }),
  };
}

function fromItem(item: Record<string, unknown> | undefined): Submission | undefined {
  if (!item) return undefined;
  const { [PENDING_INDEX.partitionKey]: _queue, [PENDING_INDEX.sortKey]: _since, ...submission } = item;
  return submission as unknown as Submission;
}

export class DynamoDbSubmissionStore implements SubmissionStore {
  private readonly table: ItemTable;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.table = new ItemTable(doc, tableName);
  }

  async getSubmission(noticeId: string, submissionId: string): Promise<Submission | undefined> {
    return fromItem(await this.table.get<Record<string, unknown>>(submissionKey(noticeId, submissionId)));
  }

  async listSubmissions(noticeId: string): Promise<Submission[]> {
    // Bounded: a notice has a handful of submissions (one per attempt to respond), all in its own partition.
    const items = await this.table.queryAll<Record<string, unknown>>(`NOTICE#${noticeId}`, 'SUBMISSION#');
    return items.map((item) => fromItem(item) as Submission);
  }

  createSubmission(submission: Submission): Promise<boolean> {
    return this.table.putIf(submissionItem(submission), 'attribute_not_exists(pk)');
  }

  replaceSubmission(submission: Submission, expectedVersion: number): Promise<boolean> {
    return this.table.putIf(submissionItem(submission), 'version = :expected', { ':expected': expectedVersion });
  }

  async listPendingVerification(before: string, limit: number): Promise<PendingVerificationRef[]> {
    const items = await this.table.pendingBefore(PENDING_VERIFICATION, before, limit, ['noticeId', 'submissionId']);
    return items.map((item) => ({
      noticeId: item.noticeId as string,
      submissionId: item.submissionId as string,
      // split yields at least one piece, so the default is never used.
      since: String(item[PENDING_INDEX.sortKey]).split('#')[0] ?? '',
    }));
  }
}
