import { answersForQuestions, newerAnswers, saveBody } from '../../web/src/components/response/draft-merge';
import type { ResponseDraft } from '../../web/src/components/response/draft-types';

const actor = { subject: 'u1', role: 'platform-responder' as const };
const server = (over: Partial<ResponseDraft> = {}): ResponseDraft => ({
  noticeId: 'ntc_1',
  version: 3,
  answers: [{ question: '1', answer: 'server text' }],
  savedAt: '2026-12-01T10:00:00.000Z',
  ...over,
});

describe('the response draft on reopening', () => {
  it('keeps unsaved local edits made after the server draft was saved', () => {
    const local = {
      answers: [{ question: '1', answer: 'mine' }],
      editedAt: '2026-12-01T10:05:00.000Z',
      baseVersion: 3,
      saved: false,
    };
    expect(newerAnswers(local, server())).toEqual({ source: 'local', answers: local.answers });
  });

  it('takes the server draft when a colleague saved after the local edits', () => {
    const local = {
      answers: [{ question: '1', answer: 'mine' }],
      editedAt: '2026-12-01T09:00:00.000Z',
      baseVersion: 2,
      saved: false,
    };
    expect(newerAnswers(local, server()).source).toBe('server');
  });

  it('never lets a local copy the server already confirmed beat a later server version', () => {
    const local = {
      answers: [{ question: '1', answer: 'old' }],
      editedAt: '2026-12-01T11:00:00.000Z',
      baseVersion: 2,
      saved: true,
    };
    expect(newerAnswers(local, server()).source).toBe('server');
  });

  it('takes the local copy when the server has nothing yet, and the server when there is no local copy', () => {
    const local = {
      answers: [{ question: '1', answer: 'x' }],
      editedAt: '2026-12-01T09:00:00.000Z',
      baseVersion: 0,
      saved: false,
    };
    expect(newerAnswers(local, server({ version: 0, savedAt: undefined })).source).toBe('local');
    expect(newerAnswers(undefined, server()).source).toBe('server');
  });
});

describe('a save of the response draft', () => {
  it('sends the whole draft with the patch applied and the version it was based on', () => {
    const body = saveBody(server({ signer: { name: 'A' }, submissionId: 'sub_1' }), { submissionId: 'sub_2' });
    expect(body).toEqual({
      expectedVersion: 3,
      answers: [{ question: '1', answer: 'server text' }],
      signer: { name: 'A' },
      submissionId: 'sub_2',
      readyForSigning: undefined,
    });
  });

  it('lets go of the submission only when told to with null (a cancelled upload), and keeps it otherwise', () => {
    const latest = server({ submissionId: 'sub_1' });
    expect(saveBody(latest, { submissionId: null }).submissionId).toBeUndefined();
    expect(saveBody(latest, { answers: [] }).submissionId).toBe('sub_1');
  });

  it('keeps "ready for signing" across a patch of the submission but withdraws it when the answers change', () => {
    const ready = server({ readyForSigning: { at: '2026-12-01T10:00:00.000Z', by: actor } });
    expect(saveBody(ready, { submissionId: 'sub_1' }).readyForSigning).toBe(true);
    expect(saveBody(ready, { answers: [] }).readyForSigning).toBeUndefined();
    expect(saveBody(server(), { readyForSigning: true }).readyForSigning).toBe(true);
  });

  it('lists one answer per question of the notice, in its order', () => {
    expect(
      answersForQuestions(
        [
          { question: '2', answer: 'b' },
          { question: '9', answer: 'gone' },
        ],
        ['1', '2'],
      ),
    ).toEqual([{ question: '1' }, { question: '2', answer: 'b' }]);
  });
});
