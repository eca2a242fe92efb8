import { FlattenedSign } from 'jose';
import { canonicalJson } from '../../lambdas/domain/canonical-json';
import { type Harness, startHarness, transparencyDraft } from './support/portal-harness';
import {
  type Call,
  finalizePath,
  openAndUpload,
  pollUntilFiled,
  registeredSigner,
  sha256,
} from './support/response-filing';

/**
 * The response being prepared, through the real local portal (dynalite, s3rver): one user of a platform answers,
 * uploads and marks the response ready; another reads the same draft, signs what it says and files it. Saves are
 * versioned (a stale one is refused, nothing lost), never part of the notice's record, and only the notice's own
 * platform ever sees them.
 */
let h: Harness;
const SECOND_LAWYER = 'second-counsel@x-corp.example';

const call: Call = async (user, method, path, body) =>
  method === 'GET' ? h.as(user).get(path) : h.as(user).post(path, body);

beforeAll(async () => {
  h = await startHarness();
  const invited = await h.as('admin').post('/users', {
    email: SECOND_LAWYER,
    name: 'Xena Counsel',
    role: 'platform-responder',
    platformId: 'x-corp',
  });
  expect(invited.status).toBe(201);
});
afterAll(async () => {
  await h.stop();
});

async function issuedNotice(): Promise<string> {
  const draft = await h.as('officer').post('/notices', transparencyDraft('x-corp'));
  await h.as('officer').post(`/notices/${draft.body.id}/issue`);
  return draft.body.id;
}

const draftPath = (noticeId: string) => `/notices/${noticeId}/response-draft`;

describe('a response prepared by one user of a platform and signed and filed by another', () => {
  it('shares the draft between them, and files exactly what it says', async () => {
    // Prepare: the first lawyer answers, uploads and marks the response ready for signing.
    const signer = await registeredSigner(call);
    const opened = await openAndUpload(call, [{ name: 'report.pdf', bytes: Buffer.from('%PDF-1.7 the report') }]);
    const empty = await h.as('x-corp-legal').get(draftPath(opened.noticeId));
    const answers = [
      { question: '1', answer: 'We use PhotoDNA and an in-house classifier on every upload.' },
      { question: '2', cannotAnswer: { reason: 'We do not measure time to action per report category.' } },
    ];
    const prepared = await h.as('x-corp-legal').post(draftPath(opened.noticeId), {
      expectedVersion: 0,
      answers,
      signer: { name: 'Xena Counsel', title: 'General Counsel' },
      submissionId: opened.submissionId,
      readyForSigning: true,
    });

    // Act: the second lawyer reads it, signs the manifest it describes and files it.
    const read = await h.as(SECOND_LAWYER).get(draftPath(opened.noticeId));
    const listed = await h.as(SECOND_LAWYER).get(`/notices/${opened.noticeId}/submissions`);
    const manifest = {
      noticeId: opened.noticeId,
      submissionId: read.body.submissionId,
      files: opened.files.map((f) => ({ name: f.name, size: f.bytes.length, sha256: sha256(f.bytes) })),
      answers: read.body.answers,
      signer: read.body.signer,
      signedAt: new Date().toISOString(),
    };
    const jws = await new FlattenedSign(new TextEncoder().encode(canonicalJson(manifest)))
      .setProtectedHeader({ alg: 'EdDSA', kid: signer.kid })
      .sign(signer.privateKey);
    const finalized = await h
      .as(SECOND_LAWYER)
      .post(finalizePath(opened), { manifest, signature: `${jws.protected}..${jws.signature}` });
    const filed = finalized.body.receipt ? finalized : await pollUntilFiled(call, opened);

    // Assess
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ noticeId: opened.noticeId, version: 0, answers: [] });
    expect(prepared.status).toBe(200);
    expect(prepared.body).toMatchObject({
      version: 1,
      savedBy: { subject: expect.any(String), role: 'platform-responder', platformId: 'x-corp' },
      readyForSigning: { at: prepared.body.savedAt, by: prepared.body.savedBy },
    });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(prepared.body);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((s: { submissionId: string }) => s.submissionId)).toEqual([opened.submissionId]);
    expect([200, 202]).toContain(finalized.status);
    expect(filed.body.receipt).toEqual(expect.objectContaining({ number: expect.stringMatching(/^NRP-/) }));

    // Filed: the draft can no longer change; read back, it no longer points at the filed submission.
    const late = await h.as('x-corp-legal').post(draftPath(opened.noticeId), { expectedVersion: 1, answers });
    const after = await h.as('x-corp-legal').get(draftPath(opened.noticeId));
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('illegal-transition');
    expect(after.body).toMatchObject({ version: 1, answers });
    expect(after.body.submissionId).toBeUndefined();
    expect(after.body.readyForSigning).toBeUndefined();
  });
});

describe('saving a response draft', () => {
  it('refuses a save from a version someone else has saved over with 409 stale-version, and keeps theirs', async () => {
    // Prepare
    const noticeId = await issuedNotice();
    const first = await h.as('x-corp-legal').post(draftPath(noticeId), {
      expectedVersion: 0,
      answers: [{ question: '1', answer: 'First' }],
    });

    // Act
    const [a, b] = await Promise.all([
      h.as('x-corp-legal').post(draftPath(noticeId), { expectedVersion: 1, answers: [{ question: '1', answer: 'A' }] }),
      h.as(SECOND_LAWYER).post(draftPath(noticeId), { expectedVersion: 1, answers: [{ question: '1', answer: 'B' }] }),
    ]);
    const stale = await h.as(SECOND_LAWYER).post(draftPath(noticeId), { expectedVersion: 0, answers: [] });
    const now = await h.as('x-corp-legal').get(draftPath(noticeId));

    // Assess: exactly one of the racing saves won, and the stored draft is the winner's.
    expect(first.status).toBe(200);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const [winner, loser] = a.status === 200 ? [a, b] : [b, a];
    expect(loser.body.error.code).toBe('stale-version');
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('stale-version');
    expect(now.body).toEqual(winner.body);
    expect(now.body.version).toBe(2);
  });

  it('is not recorded in the notice’s hash-chained history', async () => {
    // Prepare
    const noticeId = await issuedNotice();
    const before = await h.as('officer').get(`/notices/${noticeId}/history`);

    // Act
    await h.as('x-corp-legal').post(draftPath(noticeId), { expectedVersion: 0, answers: [{ question: '1' }] });
    await h.as('x-corp-legal').post(draftPath(noticeId), { expectedVersion: 1, answers: [{ question: '2' }] });

    // Assess
    const after = await h.as('officer').get(`/notices/${noticeId}/history`);
    const notice = await h.as('officer').get(`/notices/${noticeId}`);
    expect(after.body.items).toEqual(before.body.items);
    expect(notice.body.version).toBe(before.body.items.length);
  });

  it.each([
    ['a submission of another notice', 'other-notice', 'submissionId'],
    ['an answer with a control character in it', 'control-character', 'answers.0.answer'],
    ['a question number over 20 characters', 'long-question', 'answers.0.question'],
  ])('refuses %s with a field-level 400', async (_what, kind, path) => {
    // Prepare
    const noticeId = await issuedNotice();
    const elsewhere = await openAndUpload(call, [{ name: 'a.pdf', bytes: Buffer.from('%PDF a') }]);
    const body: Record<string, unknown> = { expectedVersion: 0, answers: [{ question: '1', answer: 'ok' }] };
    if (kind === 'other-notice') body.submissionId = elsewhere.submissionId;
    if (kind === 'control-character') body.answers = [{ question: '1', answer: 'a\u0000b' }];
    if (kind === 'long-question') body.answers = [{ question: '1'.repeat(21) }];

    // Act
    const response = await h.as('x-corp-legal').post(draftPath(noticeId), body);

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.error.issues).toEqual([{ path, message: expect.any(String) }]);
    expect((await h.as('x-corp-legal').get(draftPath(noticeId))).body.version).toBe(0);
  });

  it('is for the notice’s own platform alone: regulators 403, another platform 404', async () => {
    // Prepare
    const noticeId = await issuedNotice();
    await h.as('x-corp-legal').post(draftPath(noticeId), { expectedVersion: 0, answers: [{ question: '1' }] });

    // Act
    const officer = await h.as('officer').get(draftPath(noticeId));
    const admin = await h.as('admin').post(draftPath(noticeId), { expectedVersion: 1, answers: [] });
    const foreign = await h.as('videoshare-legal').get(draftPath(noticeId));

    // Assess
    expect([officer.status, admin.status, foreign.status]).toEqual([403, 403, 404]);
  });
});

describe("listing a notice's submissions", () => {
  it('lists them newest first, to regulators and the platform, and to no other platform', async () => {
    // Prepare
    const opened = await openAndUpload(call, [{ name: 'first.pdf', bytes: Buffer.from('%PDF first') }]);
    const second = await h.as('x-corp-legal').post(`/notices/${opened.noticeId}/submissions`, {
      files: [{ name: 'second.pdf', size: 11, sha256: sha256(Buffer.from('%PDF second')) }],
    });

    // Act
    const [platform, regulator, foreign] = await Promise.all([
      h.as('x-corp-legal').get(`/notices/${opened.noticeId}/submissions`),
      h.as('officer').get(`/notices/${opened.noticeId}/submissions`),
      h.as('videoshare-legal').get(`/notices/${opened.noticeId}/submissions`),
    ]);

    // Assess
    expect(second.status).toBe(201);
    expect(platform.status).toBe(200);
    expect(platform.body.items.map((s: { submissionId: string }) => s.submissionId)).toEqual([
      second.body.submission.submissionId,
      opened.submissionId,
    ]);
    expect(platform.body.items[1]).toMatchObject({ status: 'open', files: [{ name: 'first.pdf' }] });
    expect(regulator.body).toEqual(platform.body);
    expect(foreign.status).toBe(404);
  });
});
