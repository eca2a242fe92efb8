import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { answerIssues } from '../../lambdas/domain/answer-completeness';
import type { Caller } from '../../lambdas/domain/caller';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../../lambdas/domain/errors';
import type { Notice, NoticeStatus } from '../../lambdas/domain/notice';
import { SaveResponseDraftRequestSchema } from '../../lambdas/domain/response-draft';
import { ResponseDraftService } from '../../lambdas/domain/response-draft-service';
import type { Submission } from '../../lambdas/domain/submission';
import { InMemoryResponseDraftStore } from '../support/in-memory-response-draft-store';
import { InMemorySubmissionStore } from '../support/in-memory-submission-store';
import {
  admin,
  noticeInStatus,
  officer,
  rejectionOf,
  TestClock,
  videoshareLegal,
  xCorpLegal,
  xCorpOtherLawyer,
} from '../support/notice-fixtures';

const SUBMISSION_ID = 'sub_01KAZ0000000000000000000AB';
const OTHER_SUBMISSION_ID = 'sub_01KAZ0000000000000000000CD';

function setUp(status: NoticeStatus = 'acknowledged') {
  const notices = new Map<string, Notice>();
  const notice = noticeInStatus(status);
  notices.set(notice.id, notice);
  const drafts = new InMemoryResponseDraftStore();
  const submissions = new InMemorySubmissionStore();
  const clock = new TestClock('2026-12-01T00:00:00.000Z');
  const service = new ResponseDraftService({
    notices: { load: async (id) => notices.get(id) },
    drafts,
    submissions,
    clock: clock.now,
  });
  const openSubmission = async (submissionId: string, submissionStatus: Submission['status'] = 'open') => {
    await submissions.createSubmission({
      submissionId,
      noticeId: notice.id,
      platformId: notice.platformId,
      status: submissionStatus,
      version: 1,
      openedAt: clock.now().toISOString(),
      openedBy: { subject: xCorpLegal.subject, role: 'platform-responder', platformId: 'x-corp' },
      files: [],
    });
  };
  return { service, notice, notices, drafts, submissions, clock, openSubmission };
}

const actorOf = (caller: Caller) => ({
  subject: caller.subject,
  name: caller.name,
  role: 'platform-responder',
  platformId: caller.platformId,
});

describe('the response draft', () => {
  it('is version 0 with no answers until someone saves one', async () => {
    // Prepare
    const { service, notice } = setUp();

    // Act
    const draft = await service.get(xCorpLegal, notice.id);

    // Assess
    expect(draft).toEqual({ noticeId: notice.id, version: 0, answers: [] });
  });

  it('is shared between the platform’s users: one saves, another reads and saves on from it', async () => {
    // Prepare
    const { service, notice, clock, openSubmission } = setUp();
    await openSubmission(SUBMISSION_ID);
    const first = await service.save(xCorpLegal, notice.id, {
      expectedVersion: 0,
      answers: [{ question: '1', answer: 'Half an answ' }],
    });
    clock.advance(60_000);

    // Act
    const read = await service.get(xCorpOtherLawyer, notice.id);
    const second = await service.save(xCorpOtherLawyer, notice.id, {
      expectedVersion: read.version,
      answers: [{ question: '1', answer: 'Half an answer, finished.' }],
      signer: { name: 'Xena Counsel', title: 'General Counsel' },
      submissionId: SUBMISSION_ID,
    });

    // Assess
    expect(first).toEqual({
      noticeId: notice.id,
      version: 1,
      answers: [{ question: '1', answer: 'Half an answ' }],
      savedAt: '2026-12-01T00:00:00.000Z',
      savedBy: actorOf(xCorpLegal),
    });
    expect(read).toEqual(first);
    expect(second).toMatchObject({
      version: 2,
      submissionId: SUBMISSION_ID,
      signer: { name: 'Xena Counsel', title: 'General Counsel' },
      savedAt: '2026-12-01T00:01:00.000Z',
      savedBy: actorOf(xCorpOtherLawyer),
    });
    expect(await service.get(xCorpLegal, notice.id)).toEqual(second);
  });

  it('refuses a save made from a version someone else has saved over (stale-version), keeping their save', async () => {
    // Prepare
    const { service, notice } = setUp();
    await service.save(xCorpLegal, notice.id, { expectedVersion: 0, answers: [{ question: '1', answer: 'Mine' }] });

    // Act
    const error = await rejectionOf(
      service.save(xCorpOtherLawyer, notice.id, { expectedVersion: 0, answers: [{ question: '1', answer: 'Yours' }] }),
    );

    // Assess
    expect(error).toBeInstanceOf(Conflict);
    expect(error).toMatchObject({ reason: 'stale-version', message: expect.stringContaining('version 1') });
    expect((await service.get(xCorpLegal, notice.id)).answers).toEqual([{ question: '1', answer: 'Mine' }]);
  });

  it('lets exactly one of two saves racing from the same version win', async () => {
    // Prepare
    const { service, notice } = setUp();

    // Act
    const results = await Promise.allSettled(
      [xCorpLegal, xCorpOtherLawyer].map((caller) =>
        service.save(caller, notice.id, { expectedVersion: 0, answers: [{ question: '1', answer: caller.subject }] }),
      ),
    );

    // Assess
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toMatchObject({ reason: 'stale-version' });
    expect((await service.get(xCorpLegal, notice.id)).version).toBe(1);
  });

  it.each([admin, officer])(
    'is refused to a regulator ($subject) with 403, even for a notice that does not exist',
    async (regulator) => {
      // Prepare
      const { service, notice } = setUp();

      // Act
      const errors = await Promise.all([
        rejectionOf(service.get(regulator, notice.id)),
        rejectionOf(service.get(regulator, 'ntc_01KAZ0000000000000000000ZZ')),
        rejectionOf(service.save(regulator, notice.id, { expectedVersion: 0, answers: [] })),
      ]);

      // Assess
      for (const error of errors) expect(error).toBeInstanceOf(Forbidden);
    },
  );

  it('is not found for another platform’s user, as for an unknown notice', async () => {
    // Prepare
    const { service, notice } = setUp();
    await service.save(xCorpLegal, notice.id, { expectedVersion: 0, answers: [{ question: '1', answer: 'Secret' }] });

    // Act
    const errors = await Promise.all([
      rejectionOf(service.get(videoshareLegal, notice.id)),
      rejectionOf(service.save(videoshareLegal, notice.id, { expectedVersion: 1, answers: [] })),
      rejectionOf(service.get(xCorpLegal, 'ntc_01KAZ0000000000000000000ZZ')),
    ]);

    // Assess
    for (const error of errors) expect(error).toBeInstanceOf(NotFound);
  });

  it.each(['issued', 'acknowledged', 'further-information-requested'] as const)(
    'can be saved while the notice is %s',
    async (status) => {
      const { service, notice } = setUp(status);
      await expect(service.save(xCorpLegal, notice.id, { expectedVersion: 0, answers: [] })).resolves.toMatchObject({
        version: 1,
      });
    },
  );

  it.each(['submitted', 'under-review', 'accepted', 'closed', 'withdrawn', 'paid'] as const)(
    'cannot be saved once the notice is %s (409 illegal-transition), but can still be read',
    async (status) => {
      // Prepare
      const { service, notice } = setUp(status);

      // Act
      const error = await rejectionOf(service.save(xCorpLegal, notice.id, { expectedVersion: 0, answers: [] }));

      // Assess
      expect(error).toBeInstanceOf(Conflict);
      expect(error).toMatchObject({ reason: 'illegal-transition', message: expect.stringContaining(status) });
      await expect(service.get(xCorpLegal, notice.id)).resolves.toMatchObject({ version: 0 });
    },
  );

  it('is not found to the platform while the notice is still a draft', async () => {
    const { service, notice } = setUp('draft');
    expect(await rejectionOf(service.get(xCorpLegal, notice.id))).toBeInstanceOf(NotFound);
  });

  it.each([
    ['a submission this notice does not have', OTHER_SUBMISSION_ID, 'has no submission'],
    ['a submission already filed', SUBMISSION_ID, 'already filed'],
  ])('refuses %s with a field-level 400 on submissionId', async (_what, submissionId, message) => {
    // Prepare
    const { service, notice, openSubmission } = setUp();
    await openSubmission(SUBMISSION_ID, 'filed');

    // Act
    const error = await rejectionOf(
      service.save(xCorpLegal, notice.id, { expectedVersion: 0, answers: [], submissionId }),
    );

    // Assess
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues).toEqual([
      { path: 'submissionId', message: expect.stringContaining(message) },
    ]);
  });

  it('accepts a submission still being verified (finalizing), which may yet go back to open', async () => {
    const { service, notice, openSubmission } = setUp();
    await openSubmission(SUBMISSION_ID, 'finalizing');
    await expect(
      service.save(xCorpLegal, notice.id, { expectedVersion: 0, answers: [], submissionId: SUBMISSION_ID }),
    ).resolves.toMatchObject({ submissionId: SUBMISSION_ID });
  });

  it('records who marked it ready for signing, and keeps that mark while what would be signed is unchanged', async () => {
    // Prepare
    const { service, notice, clock, openSubmission } = setUp();
    await openSubmission(SUBMISSION_ID);
    const content = {
      answers: [{ question: '1', answer: 'Our tools are listed in the attached report.' }],
      signer: { name: 'Xena Counsel' },
      submissionId: SUBMISSION_ID,
    };

    // Act
    const marked = await service.save(xCorpLegal, notice.id, { expectedVersion: 0, ...content, readyForSigning: true });
    clock.advance(60_000);
    const resaved = await service.save(xCorpOtherLawyer, notice.id, {
      expectedVersion: 1,
      ...content,
      readyForSigning: true,
    });
    clock.advance(60_000);
    const changed = await service.save(xCorpOtherLawyer, notice.id, {
      expectedVersion: 2,
      ...content,
      signer: { name: 'Xena Counsel', title: 'General Counsel' },
      readyForSigning: true,
    });
    const cleared = await service.save(xCorpLegal, notice.id, { expectedVersion: 3, ...content });

    // Assess
    expect(marked.readyForSigning).toEqual({ at: '2026-12-01T00:00:00.000Z', by: actorOf(xCorpLegal) });
    expect(resaved.readyForSigning).toEqual(marked.readyForSigning);
    expect(changed.readyForSigning).toEqual({ at: '2026-12-01T00:02:00.000Z', by: actorOf(xCorpOtherLawyer) });
    expect(cleared.readyForSigning).toBeUndefined();
    expect(cleared.version).toBe(4);
  });

  it('drops a submission filed since (and its ready mark) when read, keeping the answers for the next response', async () => {
    // Prepare
    const { service, notice, submissions, openSubmission } = setUp();
    await openSubmission(SUBMISSION_ID);
    const answers = [{ question: '1', answer: 'Filed answer.' }];
    await service.save(xCorpLegal, notice.id, {
      expectedVersion: 0,
      answers,
      submissionId: SUBMISSION_ID,
      readyForSigning: true,
    });
    const stored = (await submissions.getSubmission(notice.id, SUBMISSION_ID)) as Submission;
    await submissions.replaceSubmission({ ...stored, status: 'filed', version: 2 }, 1);

    // Act
    const draft = await service.get(xCorpOtherLawyer, notice.id);

    // Assess
    expect(draft).toMatchObject({ version: 1, answers });
    expect(draft.submissionId).toBeUndefined();
    expect(draft.readyForSigning).toBeUndefined();
    await expect(service.save(xCorpOtherLawyer, notice.id, { expectedVersion: 1, answers })).resolves.toMatchObject({
      version: 2,
    });
  });
});

describe('the save request', () => {
  const valid = { expectedVersion: 0, answers: [{ question: '1' }] };

  it('accepts partial answers: blank, neither, or both while the user switches', () => {
    const parsed = SaveResponseDraftRequestSchema.safeParse({
      expectedVersion: 3,
      answers: [
        { question: '1', answer: '' },
        { question: '2' },
        { question: '3(a)', answer: 'Yes', cannotAnswer: { reason: '' } },
      ],
      signer: { name: '' },
    });
    expect(parsed.success).toBe(true);
  });

  it.each([
    ['a negative expectedVersion', { ...valid, expectedVersion: -1 }, 'expectedVersion'],
    [
      'an answer over 100,000 characters',
      { ...valid, answers: [{ question: '1', answer: 'a'.repeat(100_001) }] },
      'answers.0.answer',
    ],
    [
      'a reason over 10,000 characters',
      { ...valid, answers: [{ question: '1', cannotAnswer: { reason: 'a'.repeat(10_001) } }] },
      'answers.0.cannotAnswer.reason',
    ],
    ['a question over 20 characters', { ...valid, answers: [{ question: '1'.repeat(21) }] }, 'answers.0.question'],
    ['an empty question', { ...valid, answers: [{ question: '' }] }, 'answers.0.question'],
    [
      'more than 1000 answers',
      { ...valid, answers: Array.from({ length: 1001 }, () => ({ question: '1' })) },
      'answers',
    ],
    [
      'a control character in an answer',
      { ...valid, answers: [{ question: '1', answer: 'a\u0000b' }] },
      'answers.0.answer',
    ],
    ['a submission id of the wrong shape', { ...valid, submissionId: 'sub_1' }, 'submissionId'],
    ['an unknown member', { ...valid, status: 'ready' }, ''],
  ])('refuses %s, naming the field', (_what, body, path) => {
    const parsed = SaveResponseDraftRequestSchema.safeParse(body);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});

describe('answerIssues (the completeness gate the web app shows live)', () => {
  const questions = [{ number: '1' }, { number: '2' }];

  it('finds nothing wrong with every question answered or declined with a reason', () => {
    expect(
      answerIssues(
        [
          { question: '1', answer: 'The tools are listed.' },
          { question: '2', cannotAnswer: { reason: 'The data is not kept.' } },
        ],
        questions,
      ),
    ).toEqual([]);
  });

  it('names each problem of a partial draft by its path under answers', () => {
    expect(
      answerIssues(
        [
          { question: '1', answer: '  ' },
          { question: '1', cannotAnswer: { reason: 'short' } },
          { question: '9', answer: 'Stray.', cannotAnswer: { reason: 'and both' } },
        ],
        questions,
      ),
    ).toEqual([
      { path: 'answers.0.answer', message: 'must not be blank' },
      { path: 'answers.1.question', message: 'question 1 is answered twice' },
      { path: 'answers.1.cannotAnswer.reason', message: 'must explain why (at least 10 characters)' },
      { path: 'answers.2.question', message: 'the notice has no question 9' },
      { path: 'answers.2', message: 'give either an answer or cannotAnswer with a reason, not both or neither' },
      { path: 'answers', message: 'question 2 is unanswered; answer it or say why it cannot be answered' },
    ]);
  });

  it('imports nothing at run time, so the browser can use it', () => {
    // The web bundle must not pull node:crypto, jose or zod in through this module: type imports only.
    const source = readFileSync(join(__dirname, '../../lambdas/domain/answer-completeness.ts'), 'utf8');
    expect(source.match(/^import (?!type ).*$/gm)).toBeNull();
  });
});
