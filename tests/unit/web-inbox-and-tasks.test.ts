import type { Notice, Submission } from '../../web/src/api/types';
import { inboxGroups } from '../../web/src/components/inbox/inbox-order';
import { answerIssues } from '../../web/src/components/response/answer-check';
import type { ResponseDraft } from '../../web/src/components/response/draft-types';
import { taskStatuses } from '../../web/src/components/response/task-statuses';

const notice = (id: string, status: Notice['status'], dueAt?: string, givenAt = '2026-11-01T00:00:00.000Z') =>
  ({ id, status, dueAt, givenAt, createdAt: givenAt }) as Notice;

describe('the inbox order', () => {
  it('puts unacknowledged notices first, then those awaiting a response by soonest due, then the rest newest first', () => {
    const groups = inboxGroups([
      notice('a', 'acknowledged', '2026-12-10T00:00:00.000Z'),
      notice('b', 'closed', undefined, '2026-10-01T00:00:00.000Z'),
      notice('c', 'issued', '2026-12-20T00:00:00.000Z'),
      notice('d', 'further-information-requested', '2026-12-02T00:00:00.000Z'),
      notice('e', 'submitted', undefined, '2026-11-15T00:00:00.000Z'),
      notice('f', 'acknowledged'),
    ]);
    expect(groups.map((g) => [g.id, g.notices.map((n) => n.id)])).toEqual([
      ['unacknowledged', ['c']],
      ['awaiting-response', ['d', 'a', 'f']],
      ['responded', ['e', 'b']],
    ]);
  });
});

const draft = (over: Partial<ResponseDraft> = {}): ResponseDraft => ({
  noticeId: 'ntc_1',
  version: 1,
  answers: [],
  ...over,
});
const questions = [{ number: '1' }, { number: '2' }];
const submission = (over: Partial<Submission> = {}) =>
  ({
    submissionId: 'sub_1',
    status: 'open',
    files: [{ completedAt: '2026-12-01T00:00:00.000Z' }],
    ...over,
  }) as Submission;
const statuses = (d: ResponseDraft, s?: Submission, signed = false) =>
  taskStatuses({
    draft: d,
    questions: ['1', '2'],
    answerIssues: answerIssues(d.answers, questions),
    submission: s,
    signed,
  });

describe('the response task list', () => {
  it('starts with answers and files to do and the later tasks unable to start', () => {
    expect(statuses(draft())).toEqual({
      answers: 'not-started',
      files: 'not-started',
      review: 'cannot-start',
      sign: 'cannot-start',
      file: 'cannot-start',
    });
  });

  it('counts a half-answered notice and an unfinished upload as in progress', () => {
    const s = statuses(
      draft({ answers: [{ question: '1', answer: 'yes' }] }),
      submission({ files: [{}] as Submission['files'] }),
    );
    expect([s.answers, s.files, s.review]).toEqual(['in-progress', 'in-progress', 'cannot-start']);
  });

  it('opens review once answers (one "cannot answer" with a reason) and files are complete, and signing once a signer is named', () => {
    const answers = [
      { question: '1', answer: 'yes' },
      { question: '2', cannotAnswer: { reason: 'We hold no such records.' } },
    ];
    expect(statuses(draft({ answers }), submission()).review).toBe('not-started');
    const ready = draft({
      answers,
      signer: { name: 'Ana' },
      readyForSigning: { at: 'x', by: { subject: 'u', role: 'platform-responder' } },
    });
    expect(statuses(ready, submission())).toMatchObject({
      review: 'completed',
      sign: 'not-started',
      file: 'cannot-start',
    });
    expect(statuses(ready, submission(), true)).toMatchObject({ sign: 'completed', file: 'not-started' });
  });

  it('completes the files task for a response of answers only (a submission with no files), and opens review', () => {
    const answers = [
      { question: '1', answer: 'yes' },
      { question: '2', answer: 'no' },
    ];
    const answersOnly = submission({ files: [] });
    expect(statuses(draft({ submissionId: 'sub_1' }), answersOnly).files).toBe('completed');
    expect(statuses(draft({ answers, submissionId: 'sub_1' }), answersOnly)).toMatchObject({
      answers: 'completed',
      files: 'completed',
      review: 'not-started',
    });
  });

  it('shows every task completed once the submission is filed', () => {
    expect(Object.values(statuses(draft(), submission({ status: 'filed' })))).toEqual(Array(5).fill('completed'));
  });

  it('refuses a "cannot answer" without a real reason, as finalize does', () => {
    expect(answerIssues([{ question: '1', cannotAnswer: { reason: 'no' } }], [{ number: '1' }])).toEqual([
      { path: 'answers.0.cannotAnswer.reason', message: 'must explain why (at least 10 characters)' },
    ]);
  });
});
