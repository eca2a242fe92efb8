import type { Caller } from './caller';
import { NotFound } from './errors';
import type { Notice } from './notice';
import { assertVisible } from './notice-lifecycle';
import type { NoticeStore } from './notice-store';
import type { Submission } from './submission';
import type { SubmissionStore } from './submission-store';

/**
 * Reading a submission as a caller may see it. Apart from `SubmissionService` because it needs only the table:
 * a function that only reads submissions is wired without the bucket or the receipt key.
 */
export class SubmissionReader {
  constructor(private readonly stores: { notices: Pick<NoticeStore, 'load'>; submissions: SubmissionStore }) {}

  async get(caller: Caller, noticeId: string, submissionId: string): Promise<Submission> {
    const { submission } = await this.visible(caller, noticeId, submissionId);
    return submission;
  }

  /**
   * The notice's submissions, newest first (by when each was opened; ids derived from an Idempotency-Key do not
   * sort by time). The same visibility as `get`: regulators, and the notice's own platform.
   */
  async list(caller: Caller, noticeId: string): Promise<Submission[]> {
    assertVisible(caller, await this.stores.notices.load(noticeId), noticeId);
    const submissions = await this.stores.submissions.listSubmissions(noticeId);
    return submissions.sort(
      (a, b) => b.openedAt.localeCompare(a.openedAt) || b.submissionId.localeCompare(a.submissionId),
    );
  }

  /** The notice and the submission, or NotFound if either is unknown or not the caller's to see. */
  async visible(
    caller: Caller,
    noticeId: string,
    submissionId: string,
  ): Promise<{ notice: Notice; submission: Submission }> {
    const notice = assertVisible(caller, await this.stores.notices.load(noticeId), noticeId);
    const submission = await this.stores.submissions.getSubmission(noticeId, submissionId);
    if (!submission) throw new NotFound(`Submission ${submissionId} was not found.`);
    return { notice, submission };
  }
}
