import { NotFound } from '../../lambdas/domain/errors';
import type { Notice } from '../../lambdas/domain/notice';
import type { Submission } from '../../lambdas/domain/submission';
import { SubmissionReader } from '../../lambdas/domain/submission-reader';
import { InMemorySubmissionStore } from '../support/in-memory-submission-store';
import { noticeInStatus, officer, rejectionOf, videoshareLegal, xCorpLegal } from '../support/notice-fixtures';

function submission(notice: Notice, submissionId: string, openedAt: string): Submission {
  return {
    submissionId,
    noticeId: notice.id,
    platformId: notice.platformId,
    status: 'open',
    version: 1,
    openedAt,
    openedBy: { subject: xCorpLegal.subject, role: 'platform-responder', platformId: 'x-corp' },
    files: [],
  };
}

describe("listing a notice's submissions", () => {
  it('lists them newest opened first, whatever their ids sort as, to regulators and the platform alike', async () => {
    // Prepare: ids derived from an Idempotency-Key do not sort by time, so the oldest gets the highest id.
    const notice = noticeInStatus('acknowledged');
    const other = { ...noticeInStatus('acknowledged'), id: 'ntc_01KAZ0000000000000000000ZZ' };
    const submissions = new InMemorySubmissionStore();
    await submissions.createSubmission(
      submission(notice, 'sub_ZZZZZZZZZZZZZZZZZZZZZZZZZZ', '2026-12-01T00:00:00.000Z'),
    );
    await submissions.createSubmission(
      submission(notice, 'sub_00000000000000000000000000', '2026-12-02T00:00:00.000Z'),
    );
    await submissions.createSubmission(submission(other, 'sub_11111111111111111111111111', '2026-12-03T00:00:00.000Z'));
    const notices = new Map([notice, other].map((n) => [n.id, n]));
    const reader = new SubmissionReader({ notices: { load: async (id: string) => notices.get(id) }, submissions });

    // Act
    const [forPlatform, forRegulator] = await Promise.all([
      reader.list(xCorpLegal, notice.id),
      reader.list(officer, notice.id),
    ]);

    // Assess
    expect(forPlatform.map((s) => s.submissionId)).toEqual([
      'sub_00000000000000000000000000',
      'sub_ZZZZZZZZZZZZZZZZZZZZZZZZZZ',
    ]);
    expect(forRegulator).toEqual(forPlatform);
  });

  it('is not found for another platform’s user, and empty for a notice with none', async () => {
    const notice = noticeInStatus('issued');
    const reader = new SubmissionReader({
      notices: { load: async (id: string) => (id === notice.id ? notice : undefined) },
      submissions: new InMemorySubmissionStore(),
    });
    expect(await rejectionOf(reader.list(videoshareLegal, notice.id))).toBeInstanceOf(NotFound);
    await expect(reader.list(xCorpLegal, notice.id)).resolves.toEqual([]);
  });
});
