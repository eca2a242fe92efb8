import { createHash, createHmac } from 'node:crypto';
import { CompactSign } from 'jose';
import type { Caller } from '../../lambdas/domain/caller';
import { canonicalJson } from '../../lambdas/domain/canonical-json';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../../lambdas/domain/errors';
import { newUlid } from '../../lambdas/domain/ids';
import type { Notice } from '../../lambdas/domain/notice';
import type { PartRequest } from '../../lambdas/domain/part-checksums';
import type { VerificationProgress } from '../../lambdas/domain/pending-verification';
import { ReceiptClaimsSchema } from '../../lambdas/domain/receipt-verification';
import { SigningKeyService } from '../../lambdas/domain/signing-key-service';
import type { SigningKey } from '../../lambdas/domain/signing-keys';
import {
  completenessIssues,
  type Manifest,
  manifestIssues,
  manifestSha256,
  OpenSubmissionRequestSchema,
  receiptClaims,
  receiptNumber,
  SIGNED_AT_SKEW_MS,
  SINGLE_PUT_MAX_BYTES,
  type Submission,
  verifyManifestSignature,
} from '../../lambdas/domain/submission';
import {
  MAX_PART_URLS,
  partSizeFor,
  SubmissionService,
  type SubmissionServiceDeps,
  type UploadTarget,
} from '../../lambdas/domain/submission-service';
import { defined } from '../support/defined';
import { InMemoryKeyLogStore } from '../support/in-memory-key-log-store';
import { InMemoryResponseStorage, RecordingReceiptSigner } from '../support/in-memory-response-storage';
import { InMemorySubmissionStore } from '../support/in-memory-submission-store';
import {
  admin,
  noticeInStatus,
  noticeServiceForTest,
  officer,
  rejectionOf,
  transparencyDraft,
  videoshareLegal,
  xCorpLegal,
  xCorpOtherLawyer,
} from '../support/notice-fixtures';
import {
  generatePlatformKey,
  type PlatformKeyPair,
  registeredKey,
  signDetached,
} from '../support/signing-key-fixtures';

const NOTICE_ID = 'ntc_01KAZ0000000000000000000AB';
const SUBMISSION_ID = 'sub_01KAZ0000000000000000000CD';
const MIB = 1024 ** 2;
const CROCKFORD = '[0-9A-HJKMNP-TV-Z]';

function noticeWithQuestions(numbers = ['1', '2', '3(a)']): Notice {
  return {
    ...noticeInStatus('issued'),
    id: NOTICE_ID,
    requirements: { questions: numbers.map((number) => ({ number, text: `Question ${number}` })) },
  };
}

function submissionWith(files: { name: string; size: number; sha256: string }[]): Submission {
  return {
    submissionId: SUBMISSION_ID,
    noticeId: NOTICE_ID,
    platformId: 'x-corp',
    status: 'open',
    version: 1,
    openedAt: '2026-11-25T00:00:00.000Z',
    openedBy: { subject: xCorpLegal.subject, role: 'platform-responder', platformId: 'x-corp' },
    files: files.map(({ sha256, ...f }, index) => ({
      index,
      ...f,
      key: `k/${index}`,
      declaredSha256: sha256,
      upload: { kind: 'single' },
    })),
  };
}

function manifest(overrides: Partial<Manifest> = {}): Manifest {
  return {
    noticeId: NOTICE_ID,
    submissionId: SUBMISSION_ID,
    files: [
      { name: 'response.pdf', size: 1234, sha256: 'a'.repeat(64) },
      { name: 'annex.csv', size: 99, sha256: 'b'.repeat(64) },
    ],
    answers: [
      { question: '1', answer: 'Hash matching and classifiers.' },
      { question: '2', answer: '1 204 reports.' },
      { question: '3(a)', cannotAnswer: { reason: 'Not recorded for the period.' } },
    ],
    signer: { name: 'Xavier Counsel', title: 'General Counsel' },
    signedAt: '2026-11-25T01:00:00.000Z',
    ...overrides,
  };
}

const uploadedResponse = { name: 'response.pdf', size: 1234, sha256: 'a'.repeat(64) };
const uploadedFiles = [uploadedResponse, { name: 'annex.csv', size: 99, sha256: 'b'.repeat(64) }];

describe('manifestIssues', () => {
  it('finds nothing wrong with a manifest that lists exactly the uploaded files and answers every question', () => {
    // Prepare
    const notice = noticeWithQuestions();

    // Act
    const issues = manifestIssues(manifest(), notice, submissionWith(uploadedFiles));

    // Assess
    expect(issues).toEqual([]);
  });

  it.each([
    [
      'made for another notice',
      manifest({ noticeId: 'ntc_01KAZ0000000000000000000ZZ' }),
      uploadedFiles,
      [{ path: 'manifest.noticeId', message: expect.stringContaining('ntc_01KAZ0000000000000000000ZZ') }],
    ],
    [
      'made for another submission',
      manifest({ submissionId: 'sub_01KAZ0000000000000000000ZZ' }),
      uploadedFiles,
      [{ path: 'manifest.submissionId', message: expect.stringContaining('sub_01KAZ0000000000000000000ZZ') }],
    ],
    [
      'missing an uploaded file',
      manifest(),
      [...uploadedFiles, { name: 'letter.docx', size: 10, sha256: 'c'.repeat(64) }],
      [{ path: 'manifest.files', message: expect.stringContaining('"letter.docx" was uploaded but is missing') }],
    ],
    [
      'listing a file that was not uploaded',
      manifest(),
      [uploadedResponse],
      [{ path: 'manifest.files.1.name', message: expect.stringContaining('"annex.csv" was not uploaded') }],
    ],
    [
      'giving a size other than the one declared at upload',
      manifest(),
      [uploadedResponse, { name: 'annex.csv', size: 100, sha256: 'b'.repeat(64) }],
      [{ path: 'manifest.files.1.size', message: expect.stringContaining('declared as 100 bytes, not 99') }],
    ],
    [
      'giving a SHA-256 other than the one declared when the submission was opened',
      manifest(),
      [uploadedResponse, { name: 'annex.csv', size: 99, sha256: 'c'.repeat(64) }],
      [
        {
          path: 'manifest.files.1.sha256',
          message: `"annex.csv" was declared with SHA-256 ${'c'.repeat(64)} when the submission was opened, not ${'b'.repeat(64)}`,
        },
      ],
    ],
    [
      'leaving a question unanswered',
      manifest({ answers: manifest().answers.slice(0, 2) }),
      uploadedFiles,
      [{ path: 'manifest.answers', message: expect.stringContaining('question 3(a) is unanswered') }],
    ],
  ])('reports a manifest %s', (_what, signed, uploads, expected) => {
    // Prepare
    const notice = noticeWithQuestions();
    const submission = submissionWith(uploads);

    // Act
    const issues = manifestIssues(signed, notice, submission);

    // Assess
    expect(issues).toEqual(expected);
  });
});

describe('completenessIssues (the completeness gate)', () => {
  const answers = manifest().answers;
  const answer = (index: number) => defined(answers[index], `answer ${index}`);

  it.each([
    [
      'an answer to a question the notice does not ask',
      [...answers, { question: '4', answer: 'Extra.' }],
      [{ path: 'manifest.answers.3.question', message: 'the notice has no question 4' }],
    ],
    [
      'a question answered twice',
      [...answers, { question: '2', answer: 'Again.' }],
      [{ path: 'manifest.answers.3.question', message: 'question 2 is answered twice' }],
    ],
    [
      'both an answer and cannotAnswer',
      [answer(0), answer(1), { question: '3(a)', answer: 'Yes.', cannotAnswer: { reason: 'Not recorded at all.' } }],
      [{ path: 'manifest.answers.2', message: expect.stringContaining('not both or neither') }],
    ],
    [
      'neither an answer nor cannotAnswer',
      [answer(0), answer(1), { question: '3(a)' }],
      [{ path: 'manifest.answers.2', message: expect.stringContaining('not both or neither') }],
    ],
    [
      'a blank answer',
      [{ question: '1', answer: ' \n\t ' }, answer(1), answer(2)],
      [{ path: 'manifest.answers.0.answer', message: 'must not be blank' }],
    ],
    [
      'a reason for not answering shorter than 10 characters (after trimming)',
      [answer(0), answer(1), { question: '3(a)', cannotAnswer: { reason: '  123456789  ' } }],
      [{ path: 'manifest.answers.2.cannotAnswer.reason', message: expect.stringContaining('at least 10') }],
    ],
    [
      'an unanswered question',
      [answer(0), answer(2)],
      [{ path: 'manifest.answers', message: expect.stringContaining('question 2 is unanswered') }],
    ],
  ])('refuses %s', (_what, given, expected) => {
    // Prepare
    const notice = noticeWithQuestions();

    // Act
    const issues = completenessIssues(manifest({ answers: given }), notice);

    // Assess
    expect(issues).toEqual(expected);
  });

  it('accepts a reason for not answering of exactly 10 characters', () => {
    // Prepare
    const notice = noticeWithQuestions();
    const given = [answer(0), answer(1), { question: '3(a)', cannotAnswer: { reason: '1234567890' } }];

    // Act
    const issues = completenessIssues(manifest({ answers: given }), notice);

    // Assess
    expect(issues).toEqual([]);
  });

  it('asks for no answers to a notice without questions', () => {
    // Prepare
    const notice: Notice = { ...noticeWithQuestions(), requirements: { requiredAction: 'Remove the material.' } };

    // Act
    const issues = completenessIssues(manifest({ answers: [] }), notice);

    // Assess
    expect(issues).toEqual([]);
  });
});

describe('verifyManifestSignature', () => {
  let edKey: PlatformKeyPair;
  let ecKey: PlatformKeyPair;
  beforeAll(async () => {
    [edKey, ecKey] = await Promise.all([generatePlatformKey('EdDSA'), generatePlatformKey('ES256')]);
  });

  function keysOf(...records: SigningKey[]) {
    const byKid = new Map(records.map((k) => [k.kid, k]));
    return async (kid: string) => byKid.get(kid);
  }

  async function refusalOf(signature: string, findKey = keysOf(registeredKey(edKey), registeredKey(ecKey))) {
    const error = await rejectionOf(verifyManifestSignature({ manifest: manifest(), signature, findKey }));
    expect(error).toBeInstanceOf(ValidationFailed);
    const { issues } = error as ValidationFailed;
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe('signature');
    return issues[0]!.message;
  }

  const header = (h: object) => Buffer.from(JSON.stringify(h)).toString('base64url');

  it.each(['EdDSA', 'ES256'] as const)('accepts a detached %s signature with a registered key', async (alg) => {
    // Prepare
    const key = alg === 'EdDSA' ? edKey : ecKey;
    const signature = await signDetached(manifest(), key);

    // Act
    const verified = await verifyManifestSignature({
      manifest: manifest(),
      signature,
      findKey: keysOf(registeredKey(edKey), registeredKey(ecKey)),
    });

    // Assess
    expect(verified).toEqual({ kid: key.kid });
  });

  it('refuses alg "none"', async () => {
    // Prepare
    const signature = `${header({ alg: 'none', kid: edKey.kid })}..AAAA`;

    // Act
    const message = await refusalOf(signature);

    // Assess
    expect(message).toMatch(/algorithm "none"; only EdDSA and ES256/);
  });

  it('refuses HS256, even keyed with the registered public key (algorithm confusion)', async () => {
    // Prepare
    const protectedHeader = header({ alg: 'HS256', kid: edKey.kid });
    const payload = Buffer.from(canonicalJson(manifest())).toString('base64url');
    const mac = createHmac('sha256', JSON.stringify(edKey.publicJwk))
      .update(`${protectedHeader}.${payload}`)
      .digest('base64url');

    // Act
    const message = await refusalOf(`${protectedHeader}..${mac}`);

    // Assess
    expect(message).toMatch(/algorithm "HS256"/);
  });

  it('refuses a signature without a kid', async () => {
    // Prepare
    const signature = await signDetached(manifest(), edKey, { alg: 'EdDSA' });

    // Act
    const message = await refusalOf(signature);

    // Assess
    expect(message).toMatch(/no "kid"/);
  });

  it('refuses a key that is not registered for the platform', async () => {
    // Prepare
    const stranger = await generatePlatformKey('EdDSA');
    const signature = await signDetached(manifest(), stranger);

    // Act
    const message = await refusalOf(signature);

    // Assess
    expect(message).toMatch(new RegExp(`key ${stranger.kid}, which is not registered`));
  });

  it('refuses a header whose alg is not the registered key’s', async () => {
    // Prepare: signed with the P-256 key, but naming the Ed25519 key
    const signature = await signDetached(manifest(), ecKey, { alg: 'ES256', kid: edKey.kid });

    // Act
    const message = await refusalOf(signature);

    // Assess
    expect(message).toMatch(/says ES256 but key .* is an EdDSA key/);
  });

  it.each([
    ['a crit extension', { crit: ['exp'], exp: 1_800_000_000 }, { crit: { exp: true } }],
    ['an unencoded payload (b64: false)', { crit: ['b64'], b64: false }, undefined],
  ])('refuses %s in the protected header', async (_what, extra, options) => {
    // Prepare
    const signature = await signDetached(manifest(), edKey, { alg: 'EdDSA', kid: edKey.kid, ...extra }, options);

    // Act
    const message = await refusalOf(signature);

    // Assess
    expect(message).toMatch(/extensions/);
  });

  it('refuses a manifest changed after signing', async () => {
    // Prepare
    const signature = await signDetached(manifest(), edKey);
    const changed = manifest({ answers: [...manifest().answers.slice(0, 2), { question: '3(a)', answer: 'None.' }] });

    // Act
    const error = await rejectionOf(
      verifyManifestSignature({ manifest: changed, signature, findKey: keysOf(registeredKey(edKey)) }),
    );

    // Assess
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues.at(0)?.message).toMatch(/does not match the manifest/);
  });

  it('refuses a key revoked with effect at or before the signing time', async () => {
    // Prepare
    const revoked = registeredKey(edKey, {
      revokedAt: '2026-11-26T00:00:00.000Z',
      revocationEffectiveAt: manifest().signedAt,
    });
    const signature = await signDetached(manifest(), edKey);

    // Act
    const message = await refusalOf(signature, keysOf(revoked));

    // Assess
    expect(message).toMatch(/revoked with effect from/);
  });

  it('accepts a signature made before the key’s revocation took effect', async () => {
    // Prepare
    const revokedLater = registeredKey(edKey, {
      revokedAt: '2026-11-26T00:00:00.000Z',
      revocationEffectiveAt: '2026-11-25T01:00:00.001Z',
    });
    const signature = await signDetached(manifest(), edKey);

    // Act
    const verified = await verifyManifestSignature({ manifest: manifest(), signature, findKey: keysOf(revokedLater) });

    // Assess
    expect(verified.kid).toBe(edKey.kid);
  });

  it.each([
    ['a JWS with the payload attached', 'attached'],
    ['a string that is not a JWS', 'not-a-jws'],
    ['a detached JWS without a signature', 'empty-signature'],
  ])('refuses %s', async (_what, form) => {
    // Prepare
    const attached = await new CompactSign(new TextEncoder().encode(canonicalJson(manifest())))
      .setProtectedHeader({ alg: 'EdDSA', kid: edKey.kid })
      .sign(edKey.privateKey);
    const signature = {
      attached,
      'not-a-jws': 'signature',
      'empty-signature': `${attached.split('.')[0]}..`,
    }[form] as string;

    // Act
    const message = await refusalOf(signature);

    // Assess
    expect(message).toMatch(/not a detached compact JWS/);
  });

  it('refuses signatures forged without a private key for a small-order Ed25519 key', async () => {
    // Prepare: (R = a small-order point, S = 0) verifies for most messages under the all-zero key
    const weak: SigningKey = {
      ...registeredKey(edKey),
      kid: 'weak',
      jwk: { kty: 'OKP', crv: 'Ed25519', x: Buffer.alloc(32).toString('base64url') },
    };
    const smallOrderPoints = [
      `01${'00'.repeat(31)}`,
      `ec${'ff'.repeat(30)}7f`,
      '00'.repeat(32),
      `${'00'.repeat(31)}80`,
    ].map((hex) => Buffer.from(hex, 'hex'));
    const protectedHeader = header({ alg: 'EdDSA', kid: 'weak' });

    // Act
    const accepted: string[] = [];
    for (const name of ['A', 'B', 'C', 'D', 'E', 'F']) {
      const forgedManifest = manifest({ signer: { name: `Mallory ${name}` } });
      for (const r of smallOrderPoints) {
        const signature = `${protectedHeader}..${Buffer.concat([r, Buffer.alloc(32)]).toString('base64url')}`;
        const outcome = await verifyManifestSignature({
          manifest: forgedManifest,
          signature,
          findKey: keysOf(weak),
        }).catch(() => undefined);
        if (outcome) accepted.push(forgedManifest.signer.name);
      }
    }

    // Assess
    expect(accepted).toEqual([]);
  });
});

describe('receiptNumber', () => {
  it('is the same for the same submission whenever it is computed in the year', () => {
    // Prepare
    const filedAt = '2026-12-01T00:00:00.000Z';

    // Act
    const first = receiptNumber(NOTICE_ID, SUBMISSION_ID, filedAt);
    const again = receiptNumber(NOTICE_ID, SUBMISSION_ID, '2026-12-31T23:59:59.999Z');

    // Assess
    expect(first).toMatch(new RegExp(`^NRP-2026-${CROCKFORD}{4}-${CROCKFORD}{4}-${CROCKFORD}{2}$`));
    expect(again).toBe(first);
  });

  it('differs between submissions and carries the year of filing', () => {
    // Prepare
    const other = 'sub_01KAZ0000000000000000000CE';

    // Act
    const numbers = [
      receiptNumber(NOTICE_ID, SUBMISSION_ID, '2026-12-01T00:00:00.000Z'),
      receiptNumber(NOTICE_ID, other, '2026-12-01T00:00:00.000Z'),
      receiptNumber(NOTICE_ID, SUBMISSION_ID, '2027-01-02T00:00:00.000Z'),
    ];

    // Assess
    expect(numbers[1]).not.toBe(numbers[0]);
    expect(numbers[2]).toBe(defined(numbers[0], 'the first receipt number').replace('NRP-2026-', 'NRP-2027-'));
  });
});

describe('receiptClaims', () => {
  const dueAt = '2026-12-22T12:59:59.999Z';

  function claimsFiledAt(filedAt: string, notice: Notice = { ...noticeWithQuestions(), dueAt }) {
    return receiptClaims({
      notice,
      submission: submissionWith(uploadedFiles),
      manifest: manifest(),
      kid: 'kid-1',
      filedAt,
      issuedAt: '2026-12-23T00:00:00.000Z',
    });
  }

  it.each([
    ['on time when filed at the due instant', dueAt, true],
    ['late when filed a millisecond after it', '2026-12-22T13:00:00.000Z', false],
  ])('says a response is %s', (_what, filedAt, onTime) => {
    // Act
    const claims = claimsFiledAt(filedAt);

    // Assess
    expect(claims.onTime).toBe(onTime);
    expect(claims.dueAt).toBe(dueAt);
  });

  it('says what was filed, for which notice, when, and under which key', () => {
    // Act
    const claims = claimsFiledAt('2026-12-01T00:00:00.000Z');

    // Assess
    expect(claims).toEqual({
      typ: 'notice-response-receipt',
      receiptNumber: receiptNumber(NOTICE_ID, SUBMISSION_ID, '2026-12-01T00:00:00.000Z'),
      noticeId: NOTICE_ID,
      submissionId: SUBMISSION_ID,
      platformId: 'x-corp',
      legalBasis: 'Online Safety Act 2021 (Cth) s 56(2)',
      filedAt: '2026-12-01T00:00:00.000Z',
      dueAt,
      onTime: true,
      files: manifest().files,
      manifestSha256: manifestSha256(manifest()),
      signedBy: { kid: 'kid-1', name: 'Xavier Counsel', signedAt: manifest().signedAt },
      issuedAt: '2026-12-23T00:00:00.000Z',
    });
    expect(claims.manifestSha256).toBe(createHash('sha256').update(canonicalJson(manifest())).digest('hex'));
  });
});

// ---- SubmissionService ---------------------------------------------------------------------------------------

const START = '2026-11-24T03:00:00.000Z';
/** Since when a submission has been waiting for verification, as the pending index records it. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

/** An issued transparency notice (questions 1 and 2) for x-corp, with x-corp's Ed25519 key registered. */
async function submissionPortal(
  receipts = new RecordingReceiptSigner(),
  options: Pick<SubmissionServiceDeps, 'inlineHashMaxBytes' | 'latestCheckpoint'> & { versioned?: boolean } = {},
) {
  const { service: notices, store, clock } = noticeServiceForTest({ start: START });
  const { notice: draft } = await notices.createDraft(officer, transparencyDraft());
  const notice = await notices.issue(officer, draft.id);
  const submissions = new InMemorySubmissionStore();
  const { versioned, ...deps } = options;
  const storage = new InMemoryResponseStorage(clock.now, { versioned });
  const key = await generatePlatformKey('EdDSA');
  await submissions.createKey(registeredKey(key));
  const service = new SubmissionService({
    notices: store,
    submissions,
    keys: submissions,
    storage,
    receipts,
    clock: clock.now,
    newSubmissionId: () => `sub_${newUlid(clock.now())}`,
    ...deps,
  });
  const keys = new SigningKeyService({ keys: submissions, keyLog: new InMemoryKeyLogStore(), clock: clock.now });
  return { service, keys, notices, store, clock, submissions, storage, receipts, key, notice };
}
type Portal = Awaited<ReturnType<typeof submissionPortal>>;

const CONTENT = {
  'response.pdf': Buffer.from('%PDF-1.7 our response to the transparency notice'),
  'annex.csv': Buffer.from('month,reports\n2026-10,1204\n'),
};

const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function openRequest(files: Record<string, Buffer> = CONTENT) {
  return {
    files: Object.entries(files).map(([name, bytes]) => ({
      name,
      size: bytes.length,
      sha256: sha256Of(bytes),
      contentType: 'text/plain',
    })),
  };
}

/** What the platform's client does with the upload URLs: PUT each file's bytes. */
function uploadAll(portal: Portal, submission: Submission, files: Record<string, Buffer> = CONTENT) {
  for (const file of submission.files)
    portal.storage.put(file.key, defined(files[file.name], `the bytes of ${file.name}`));
}

/** The S3 event for every stored object, as the hashing function receives it. */
function multipartOf(submission: Submission, index = 0) {
  const file = defined(submission.files[index], `file ${index}`);
  if (file.upload.kind !== 'multipart') throw new Error('expected a multipart upload');
  return file.upload;
}

/** Asks for each part's URL with its SHA-256, as the CLI and the web app do, and uploads the part through it. */
async function uploadParts(portal: Portal, submission: Submission, bytes: Buffer, index = 0) {
  const { uploadId, partSize, partCount } = multipartOf(submission, index);
  const partBytes = (n: number) => bytes.subarray((n - 1) * partSize, n * partSize);
  const numbers = Array.from({ length: partCount }, (_, i) => i + 1);
  await portal.service.uploadUrls(
    xCorpLegal,
    portal.notice.id,
    submission.submissionId,
    index,
    numbers.map((partNumber) => ({ partNumber, sha256: sha256Of(partBytes(partNumber)) })),
  );
  return numbers.map((partNumber) => ({
    partNumber,
    etag: portal.storage.uploadPart(uploadId, partNumber, partBytes(partNumber)),
  }));
}

async function hashEvents(portal: Portal, submission: Submission) {
  for (const file of submission.files) {
    await portal.service.recordFileHash(submission.noticeId, submission.submissionId, file.index);
  }
}

async function signedRequest(
  portal: Portal,
  submission: Submission,
  overrides: Partial<Manifest> = {},
  files: Record<string, Buffer> = CONTENT,
) {
  const signed: Manifest = {
    noticeId: submission.noticeId,
    submissionId: submission.submissionId,
    files: Object.entries(files).map(([name, bytes]) => ({
      name,
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    })),
    answers: [
      { question: '1', answer: 'Hash matching and classifiers.' },
      { question: '2', cannotAnswer: { reason: 'Reports were not counted before October.' } },
    ],
    signer: { name: 'Xavier Counsel', title: 'General Counsel' },
    signedAt: portal.clock.now().toISOString(),
    ...overrides,
  };
  return { manifest: signed, signature: await signDetached(signed, portal.key) };
}

/** The platform's finalize request, received now unless said otherwise. */
function finalize(
  portal: Portal,
  submission: Submission,
  request: { manifest: Manifest; signature: string },
  { caller = xCorpLegal, receivedAt = portal.clock.now() }: { caller?: Caller; receivedAt?: Date } = {},
) {
  return portal.service.finalize(caller, submission.noticeId, submission.submissionId, request, receivedAt);
}

/** Opened, uploaded and hashed: ready to be finalized. */
async function readySubmission(portal: Portal) {
  const { submission } = await portal.service.open(xCorpLegal, portal.notice.id, openRequest());
  uploadAll(portal, submission);
  await hashEvents(portal, submission);
  return submission;
}

async function submittedEvents(portal: Portal) {
  const { items } = await portal.store.history(portal.notice.id, { limit: 100 });
  return items.filter((e) => e.kind === 'submitted');
}

describe('opening a submission', () => {
  it('gives a single PUT up to 64 MiB and a multipart upload with partSizeFor above it', async () => {
    // Prepare
    const portal = await submissionPortal();
    const sizes = { 'small.pdf': 1024, 'limit.bin': SINGLE_PUT_MAX_BYTES, 'over.bin': SINGLE_PUT_MAX_BYTES + 1 };

    // Act
    const { submission, uploads, created } = await portal.service.open(xCorpLegal, portal.notice.id, {
      files: Object.entries(sizes).map(([name, size]) => ({ name, size, sha256: 'a'.repeat(64) })),
    });

    // Assess
    expect(created).toBe(true);
    expect(submission).toMatchObject({ status: 'open', version: 1, platformId: 'x-corp', openedAt: START });
    expect(uploads.map((u) => u.method)).toEqual(['PUT', 'PUT', 'multipart']);
    const multipart = uploads[2] as Extract<UploadTarget, { method: 'multipart' }>;
    const partSize = partSizeFor(SINGLE_PUT_MAX_BYTES + 1);
    expect(multipart.partSize).toBe(partSize);
    expect(multipart.partCount).toBe(Math.ceil((SINGLE_PUT_MAX_BYTES + 1) / partSize));
    // No part URL before the client has said what each part hashes to: every one binds its part's SHA-256.
    expect(multipart.checksumAlgorithm).toBe('SHA256');
    expect(multipart.parts).toEqual([]);
    expect(submission.files.at(2)?.upload).toEqual({
      kind: 'multipart',
      uploadId: expect.any(String),
      partSize,
      partCount: multipart.partCount,
      checksumAlgorithm: 'SHA256',
    });
  });

  it("binds each part's SHA-256 into its URL, and S3 then refuses other bytes for that part", async () => {
    // Prepare
    const portal = await submissionPortal();
    const big = Buffer.alloc(SINGLE_PUT_MAX_BYTES + 1, 'x');
    const { submission } = await portal.service.open(xCorpLegal, portal.notice.id, openRequest({ 'large.bin': big }));
    const { uploadId, partSize } = multipartOf(submission);
    const first = big.subarray(0, partSize);

    // Act
    const target = (await portal.service.uploadUrls(xCorpLegal, portal.notice.id, submission.submissionId, 0, [
      { partNumber: 1, sha256: sha256Of(first) },
    ])) as Extract<UploadTarget, { method: 'multipart' }>;

    // Assess
    expect(target.parts).toEqual([
      {
        partNumber: 1,
        url: expect.any(String),
        headers: { 'x-amz-checksum-sha256': createHash('sha256').update(first).digest('base64') },
      },
    ]);
    expect(() => portal.storage.uploadPart(uploadId, 1, Buffer.alloc(partSize, 'y'))).toThrow(/BadDigest/);
    expect(portal.storage.uploadPart(uploadId, 1, first)).toMatch(/^"[0-9a-f]{32}"$/);
  });

  it('completes a multipart upload with the SHA-256 S3 verified for each part when the client names none', async () => {
    // Prepare
    const portal = await submissionPortal();
    const big = Buffer.alloc(SINGLE_PUT_MAX_BYTES + 1, 'x');
    const { submission } = await portal.service.open(xCorpLegal, portal.notice.id, openRequest({ 'large.bin': big }));
    const parts = await uploadParts(portal, submission, big);
    const withWrongChecksum = parts.map((p, i) => (i === 0 ? { ...p, sha256: 'f'.repeat(64) } : p));

    // Act
    const refused = await rejectionOf(
      portal.service.completeFile(xCorpLegal, portal.notice.id, submission.submissionId, 0, withWrongChecksum),
    );
    const completed = await portal.service.completeFile(
      xCorpLegal,
      portal.notice.id,
      submission.submissionId,
      0,
      parts,
    );

    // Assess
    expect(refused).toBeInstanceOf(ValidationFailed);
    expect((refused as ValidationFailed).issues).toEqual([
      { path: 'parts', message: expect.stringContaining('checksum of part 1 does not match') },
    ]);
    expect(completed.files[0]?.completedAt).toBe(START);
    expect(portal.storage.bytesOf(submission.files[0]?.key ?? '')?.equals(big)).toBe(true);
  });

  it('passes on a completion that storage failed (not refused), so the client gets a fault to retry, not a 400', async () => {
    // Prepare: found by the long fault matrix (multipart / s3 CompleteMultipartUpload #1: drop-before, persistent):
    // every attempt's connection dropped before S3 saw it, and the portal answered 400 "S3 refused to complete".
    const portal = await submissionPortal();
    const big = Buffer.alloc(SINGLE_PUT_MAX_BYTES + 1, 'x');
    const { submission } = await portal.service.open(xCorpLegal, portal.notice.id, openRequest({ 'large.bin': big }));
    const parts = await uploadParts(portal, submission, big);
    const outage = Object.assign(new Error('AWS SDK error wrapper for TimeoutError: socket hang up'), {
      $metadata: { attempts: 3 },
    });
    const complete = portal.storage.completeMultipartUpload.bind(portal.storage);
    portal.storage.completeMultipartUpload = async () => {
      throw outage;
    };

    // Act
    const failed = await rejectionOf(
      portal.service.completeFile(xCorpLegal, portal.notice.id, submission.submissionId, 0, parts),
    );
    portal.storage.completeMultipartUpload = complete;
    const retried = await portal.service.completeFile(xCorpLegal, portal.notice.id, submission.submissionId, 0, parts);

    // Assess
    expect(failed).toBe(outage);
    expect(retried.files[0]?.completedAt).toBe(START);
  });

  it('answers 409 upload-expired, telling the platform to open again, once storage has aborted the upload', async () => {
    // Prepare: parts uploaded, then the upload aborted by the bucket's lifecycle rule before completion
    const portal = await submissionPortal();
    const big = Buffer.alloc(SINGLE_PUT_MAX_BYTES + 1, 'x');
    const { submission } = await portal.service.open(xCorpLegal, portal.notice.id, openRequest({ 'large.bin': big }));
    const parts = await uploadParts(portal, submission, big);
    const upload = submission.files[0]?.upload;
    portal.storage.abortUpload(upload?.kind === 'multipart' ? upload.uploadId : '');

    // Act
    const listed = await rejectionOf(
      portal.service.uploadedParts(xCorpLegal, portal.notice.id, submission.submissionId, 0),
    );
    const completed = await rejectionOf(
      portal.service.completeFile(xCorpLegal, portal.notice.id, submission.submissionId, 0, parts),
    );
    const withoutChecksums = await rejectionOf(
      portal.service.completeFile(
        xCorpLegal,
        portal.notice.id,
        submission.submissionId,
        0,
        parts.map(({ partNumber, etag }) => ({ partNumber, etag })),
      ),
    );

    // Assess
    for (const refused of [listed, completed, withoutChecksums]) {
      expect(refused).toBeInstanceOf(Conflict);
      expect(refused).toMatchObject({
        reason: 'upload-expired',
        message: expect.stringContaining('Open a new submission'),
      });
    }
  });

  it('records a completion that reached storage but not the record (the portal killed in between), and files it', async () => {
    // Prepare: storage completed the upload, then the portal died before its conditional write recorded that
    // (found by the crash matrix, tests/long/crash-matrix.long.test.ts); to the record the file is still uploading.
    const portal = await submissionPortal(undefined, { inlineHashMaxBytes: 0 });
    const big = Buffer.alloc(SINGLE_PUT_MAX_BYTES + 1, 'x');
    const files = { 'large.bin': big };
    const { submission } = await portal.service.open(xCorpLegal, portal.notice.id, openRequest(files));
    const parts = await uploadParts(portal, submission, big);
    const { key } = defined(submission.files[0], 'file 0');
    await portal.storage.completeMultipartUpload(
      key,
      multipartOf(submission).uploadId,
      parts.map((p) => ({
        ...p,
        sha256: sha256Of(
          big.subarray(
            (p.partNumber - 1) * multipartOf(submission).partSize,
            p.partNumber * multipartOf(submission).partSize,
          ),
        ),
      })),
    );

    // Act: what the CLI does on its rerun (list the stored parts, complete), then finalize
    const listed = await portal.service.uploadedParts(xCorpLegal, portal.notice.id, submission.submissionId, 0);
    const recorded = await portal.submissions.getSubmission(portal.notice.id, submission.submissionId);
    const completed = await portal.service.completeFile(
      xCorpLegal,
      portal.notice.id,
      submission.submissionId,
      0,
      parts,
    );
    const waiting = await finalize(portal, submission, await signedRequest(portal, submission, {}, files));
    await hashEvents(portal, submission);
    const filed = await portal.submissions.getSubmission(portal.notice.id, submission.submissionId);

    // Assess: not 409 upload-expired (which would make the platform upload the whole file again)
    expect(listed).toEqual([]);
    expect(recorded?.files[0]?.completedAt).toBe(START);
    expect(completed.files[0]?.completedAt).toBe(START);
    expect(completed.version).toBe(recorded?.version);
    expect(waiting.status).toBe('verifying');
    expect(filed).toMatchObject({ status: 'filed', files: [{ sha256: sha256Of(big) }] });
  });

  it('still answers 409 upload-expired when the upload is gone and nothing of the declared size is stored', async () => {
    // Prepare: aborted by the lifecycle rule, and an object of another size under the key (never from a completion)
    const portal = await submissionPortal();
    const big = Buffer.alloc(SINGLE_PUT_MAX_BYTES + 1, 'x');
    const { submission } = await portal.service.open(xCorpLegal, portal.notice.id, openRequest({ 'large.bin': big }));
    const parts = await uploadParts(portal, submission, big);
    portal.storage.abortUpload(multipartOf(submission).uploadId);
    portal.storage.put(defined(submission.files[0], 'file 0').key, Buffer.from('not the declared bytes'));

    // Act
    const listed = await rejectionOf(
      portal.service.uploadedParts(xCorpLegal, portal.notice.id, submission.submissionId, 0),
    );
    const completed = await rejectionOf(
      portal.service.completeFile(xCorpLegal, portal.notice.id, submission.submissionId, 0, parts),
    );

    // Assess
    for (const refused of [listed, completed]) expect(refused).toMatchObject({ reason: 'upload-expired' });
    expect(
      (await portal.submissions.getSubmission(portal.notice.id, submission.submissionId))?.files[0]?.completedAt,
    ).toBeUndefined();
  });

  it(`hands out at most ${MAX_PART_URLS} part URLs at once, each for the part and SHA-256 asked for`, async () => {
    // Prepare
    const portal = await submissionPortal();
    const size = 5 * 1024 * MIB;
    const partCount = Math.ceil(size / partSizeFor(size));
    const { submission } = await portal.service.open(xCorpLegal, portal.notice.id, {
      files: [{ name: 'archive.zip', size, sha256: 'a'.repeat(64) }],
    });
    const asked = (from: number) =>
      Array.from({ length: MAX_PART_URLS }, (_, i) => ({ partNumber: from + i, sha256: 'c'.repeat(64) }));

    // Act
    const first = (await portal.service.uploadUrls(
      xCorpLegal,
      portal.notice.id,
      submission.submissionId,
      0,
      asked(1),
    )) as Extract<UploadTarget, { method: 'multipart' }>;
    const more = (await portal.service.uploadUrls(
      xCorpLegal,
      portal.notice.id,
      submission.submissionId,
      0,
      asked(MAX_PART_URLS + 1),
    )) as Extract<UploadTarget, { method: 'multipart' }>;

    // Assess
    expect(partCount).toBeGreaterThan(2 * MAX_PART_URLS);
    expect(first.partCount).toBe(partCount);
    expect(more.parts.map((p) => p.partNumber)).toEqual(asked(MAX_PART_URLS + 1).map((p) => p.partNumber));
    expect(new Set([...first.parts, ...more.parts].map((p) => p.url)).size).toBe(2 * MAX_PART_URLS);
  });

  const sha = 'c'.repeat(64);
  const badPartRequests: [string, (partCount: number) => PartRequest[] | undefined][] = [
    [
      'more than the limit of parts at once',
      () => Array.from({ length: MAX_PART_URLS + 1 }, (_, i) => ({ partNumber: i + 1, sha256: sha })),
    ],
    ['a part number beyond the last part', (partCount) => [{ partNumber: partCount + 1, sha256: sha }]],
    ['part number 0', () => [{ partNumber: 0, sha256: sha }]],
    ['a part without its SHA-256', () => [1]],
    ['no list of parts (each needs its SHA-256)', () => undefined],
  ];
  it.each(badPartRequests)('refuses to presign %s', async (_what, parts) => {
    // Prepare
    const portal = await submissionPortal();
    const size = 5 * 1024 * MIB;
    const { submission } = await portal.service.open(xCorpLegal, portal.notice.id, {
      files: [{ name: 'archive.zip', size, sha256: 'a'.repeat(64) }],
    });
    const partCount = Math.ceil(size / partSizeFor(size));

    // Act
    const error = await rejectionOf(
      portal.service.uploadUrls(xCorpLegal, portal.notice.id, submission.submissionId, 0, parts(partCount)),
    );

    // Assess
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues.at(0)?.path).toMatch(/^parts(\.0)?$/);
  });

  it('returns the same submission for a retried open with the same Idempotency-Key', async () => {
    // Prepare
    const portal = await submissionPortal();
    const first = await portal.service.open(xCorpLegal, portal.notice.id, openRequest(), 'open-1');

    // Act
    const again = await portal.service.open(xCorpLegal, portal.notice.id, openRequest(), 'open-1');

    // Assess
    expect(again.created).toBe(false);
    expect(again.submission).toEqual(first.submission);
    expect(again.uploads.map((u) => u.index)).toEqual([0, 1]);
  });

  it('refuses an Idempotency-Key reused for other files', async () => {
    // Prepare
    const portal = await submissionPortal();
    await portal.service.open(xCorpLegal, portal.notice.id, openRequest(), 'open-1');

    // Act
    const error = await rejectionOf(
      portal.service.open(
        xCorpLegal,
        portal.notice.id,
        openRequest({ 'response.pdf': Buffer.from('a different response') }),
        'open-1',
      ),
    );

    // Assess
    expect(error).toBeInstanceOf(Conflict);
    expect(error).toMatchObject({ reason: 'idempotency-key-reused' });
  });

  it('keeps one user’s Idempotency-Key apart from a colleague’s', async () => {
    // Prepare
    const portal = await submissionPortal();
    const mine = await portal.service.open(xCorpLegal, portal.notice.id, openRequest(), 'open-1');

    // Act
    const theirs = await portal.service.open(xCorpOtherLawyer, portal.notice.id, openRequest(), 'open-1');

    // Assess
    expect(theirs.created).toBe(true);
    expect(theirs.submission.submissionId).not.toBe(mine.submission.submissionId);
  });

  it("reports another platform's notice as not found, and refuses regulators", async () => {
    // Prepare
    const portal = await submissionPortal();

    // Act
    const foreign = await rejectionOf(portal.service.open(videoshareLegal, portal.notice.id, openRequest()));
    const regulator = await rejectionOf(portal.service.open(admin, portal.notice.id, openRequest()));

    // Assess
    expect(foreign).toBeInstanceOf(NotFound);
    expect(regulator).toBeInstanceOf(Forbidden);
  });
});

describe('finalizing a submission', () => {
  it('files the response: one submitted event, a receipt over the signed manifest, the notice submitted', async () => {
    // Prepare
    const portal = await submissionPortal();
    const submission = await readySubmission(portal);
    const request = await signedRequest(portal, submission);
    const receivedAt = portal.clock.now();

    // Act
    const outcome = await finalize(portal, submission, request, { receivedAt });

    // Assess
    if (outcome.status !== 'filed') throw new Error(`expected filed, got ${outcome.status}`);
    const number = receiptNumber(portal.notice.id, submission.submissionId, receivedAt.toISOString());
    expect(outcome.receipt).toEqual({
      number,
      filedAt: receivedAt.toISOString(),
      onTime: true,
      jws: expect.any(String),
    });
    expect(RecordingReceiptSigner.claimsOf(outcome.receipt.jws)).toMatchObject({
      receiptNumber: number,
      noticeId: portal.notice.id,
      submissionId: submission.submissionId,
      files: request.manifest.files,
      manifestSha256: manifestSha256(request.manifest),
      signedBy: { kid: portal.key.kid, name: 'Xavier Counsel' },
      dueAt: portal.notice.dueAt,
    });
    const stored = await portal.submissions.getSubmission(portal.notice.id, submission.submissionId);
    expect(stored).toMatchObject({ status: 'filed', receipt: outcome.receipt });
    const notice = await portal.store.load(portal.notice.id);
    expect(notice?.status).toBe('submitted');
    expect(notice?.response).toMatchObject({ submissionId: submission.submissionId, receiptNumber: number });
    const events = await submittedEvents(portal);
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ receipt: outcome.receipt.jws, kid: portal.key.kid });
  });

  it('names the latest complete checkpoint in the receipt, and none before the first', async () => {
    // Prepare
    const checkpoint = { seq: 7, hash: 'c'.repeat(64) };
    const named = await submissionPortal(undefined, { latestCheckpoint: async () => checkpoint });
    const none = await submissionPortal(undefined, { latestCheckpoint: async () => undefined });

    // Act
    const receipts = [];
    for (const portal of [named, none]) {
      const submission = await readySubmission(portal);
      const outcome = await finalize(portal, submission, await signedRequest(portal, submission));
      if (outcome.status !== 'filed') throw new Error(`expected filed, got ${outcome.status}`);
      receipts.push(RecordingReceiptSigner.claimsOf(outcome.receipt.jws));
    }

    // Assess
    expect(receipts[0]).toMatchObject({ checkpoint });
    expect(ReceiptClaimsSchema.parse(receipts[0]).checkpoint).toEqual(checkpoint);
    expect(receipts[1]).not.toHaveProperty('checkpoint');
  });

  it('files a response received after the due time as late', async () => {
    // Prepare
    const portal = await submissionPortal();
    portal.clock.moveTo(new Date(Date.parse(portal.notice.dueAt!) - 60_000).toISOString());
    const submission = await readySubmission(portal);
    const request = await signedRequest(portal, submission);
    const receivedAt = new Date(Date.parse(portal.notice.dueAt!) + 1);

    // Act
    const outcome = await finalize(portal, submission, request, { receivedAt });

    // Assess
    expect(outcome).toMatchObject({ status: 'filed', receipt: { onTime: false } });
  });

  it('answers a repeated finalize with the same receipt and files nothing more', async () => {
    // Prepare
    const portal = await submissionPortal();
    const submission = await readySubmission(portal);
    const request = await signedRequest(portal, submission);
    const first = await finalize(portal, submission, request);
    portal.clock.advance(60_000);

    // Act
    const again = await finalize(portal, submission, request);

    // Assess
    expect(again.status).toBe('filed');
    expect(again).toMatchObject({ receipt: (first as { receipt: unknown }).receipt });
    expect(await submittedEvents(portal)).toHaveLength(1);
    expect(portal.receipts.signed).toHaveLength(1);
  });

  it.each([
    [
      'another signed manifest',
      async (portal: Portal, submission: Submission) =>
        signedRequest(portal, submission, { signer: { name: 'Someone Else' } }),
    ],
    [
      'the filed manifest tampered with',
      async (portal: Portal, submission: Submission) => {
        const filed = await signedRequest(portal, submission);
        return { ...filed, manifest: { ...filed.manifest, signer: { name: 'Someone Else' } } };
      },
    ],
    [
      'the filed manifest with a garbage signature',
      async (portal: Portal, submission: Submission) => ({
        ...(await signedRequest(portal, submission)),
        signature: 'garbage',
      }),
    ],
    [
      'a manifest signed by an unregistered key',
      async (portal: Portal, submission: Submission) => {
        const request = await signedRequest(portal, submission);
        return { ...request, signature: await signDetached(request.manifest, await generatePlatformKey('EdDSA')) };
      },
    ],
  ])('answers a finalize with %s after filing with 409 naming the receipt', async (_what, makeRequest) => {
    // Prepare
    const portal = await submissionPortal();
    const submission = await readySubmission(portal);
    const first = await finalize(portal, submission, await signedRequest(portal, submission));
    if (first.status !== 'filed') throw new Error(`expected filed, got ${first.status}`);
    portal.clock.advance(60_000);
    const other = await makeRequest(portal, submission);

    // Act
    const error = await rejectionOf(finalize(portal, submission, other));

    // Assess
    expect(error).toBeInstanceOf(Conflict);
    expect((error as Conflict).reason).toBe('already-filed');
    expect((error as Conflict).message).toContain(first.receipt.number);
    expect(await submittedEvents(portal)).toHaveLength(1);
    expect(portal.receipts.signed).toHaveLength(1);
  });

  it('files concurrent finalize requests once, and gives them all the same receipt', async () => {
    // Prepare: signing takes a while (a KMS round trip), so every request reaches the commit before one has filed
    const portal = await submissionPortal(new RecordingReceiptSigner(() => new Promise((r) => setTimeout(r, 20))));
    const submission = await readySubmission(portal);
    const request = await signedRequest(portal, submission);

    // Act
    const outcomes = await Promise.all([1, 2, 3].map(() => finalize(portal, submission, request)));

    // Assess
    expect(outcomes.map((o) => o.status)).toEqual(['filed', 'filed', 'filed']);
    const receipts = outcomes.map((o) => (o as { receipt: unknown }).receipt);
    expect(receipts[1]).toEqual(receipts[0]);
    expect(receipts[2]).toEqual(receipts[0]);
    expect(await submittedEvents(portal)).toHaveLength(1);
    expect((await portal.submissions.getSubmission(portal.notice.id, submission.submissionId))?.status).toBe('filed');
  });

  it('waits for hashes beyond what it hashes inline, and files the response when the last hash arrives', async () => {
    // Prepare: both files are over the inline budget, as large files are
    const portal = await submissionPortal(undefined, { inlineHashMaxBytes: 10 });
    const { submission } = await portal.service.open(xCorpLegal, portal.notice.id, openRequest());
    uploadAll(portal, submission);
    const request = await signedRequest(portal, submission);
    const receivedAt = portal.clock.now();

    // Act
    const waiting = await finalize(portal, submission, request, { receivedAt });
    portal.clock.advance(10_000);
    const afterFirst = await portal.service.recordFileHash(portal.notice.id, submission.submissionId, 0);
    const afterLast = await portal.service.recordFileHash(portal.notice.id, submission.submissionId, 1);

    // Assess
    expect(waiting.status).toBe('verifying');
    expect(waiting.submission.status).toBe('finalizing');
    expect(afterFirst?.status).toBe('verifying');
    expect(afterLast).toMatchObject({ status: 'filed', receipt: { filedAt: receivedAt.toISOString() } });
    expect(await submittedEvents(portal)).toHaveLength(1);
  });

  it('hashes small files itself at once when no S3 event has brought their hashes, and files the response', async () => {
    // Prepare: uploaded a moment ago, and no hash event (an S3 with no event feed, or an event still on its way)
    const portal = await submissionPortal();
    const { submission } = await portal.service.open(xCorpLegal, portal.notice.id, openRequest());
    uploadAll(portal, submission);
    portal.clock.advance(1_000);
    const request = await signedRequest(portal, submission);
    const receivedAt = portal.clock.now();

    // Act
    const outcome = await finalize(portal, submission, request, { receivedAt });

    // Assess
    expect(outcome).toMatchObject({ status: 'filed', receipt: { filedAt: receivedAt.toISOString() } });
    expect(await submittedEvents(portal)).toHaveLength(1);
  });

  it('hashes inline only up to its budget in all, and leaves the rest out of the request', async () => {
    // Prepare: room for the smaller file only
    const portal = await submissionPortal(undefined, { inlineHashMaxBytes: CONTENT['annex.csv'].length });
    const { submission } = await portal.service.open(xCorpLegal, portal.notice.id, openRequest());
    uploadAll(portal, submission);
    const request = await signedRequest(portal, submission);

    // Act
    const outcome = await finalize(portal, submission, request);

    // Assess
    expect(outcome.status).toBe('verifying');
    const stored = await portal.submissions.getSubmission(portal.notice.id, submission.submissionId);
    expect(stored?.files.map((f) => [f.name, Boolean(f.sha256)])).toEqual([
      ['response.pdf', false],
      ['annex.csv', true],
    ]);
  });

  it('refuses, and reopens the submission, when stored bytes changed after they were hashed', async () => {
    // Prepare: no presigned URL can do this (its checksum is bound), but a writer with the bucket's own access can
    const portal = await submissionPortal();
    const submission = await readySubmission(portal);
    const request = await signedRequest(portal, submission);
    portal.storage.putUnbound(
      defined(submission.files[0], 'the first file').key,
      Buffer.from('%PDF-1.7 a different response'),
    );

    // Act
    const error = await rejectionOf(finalize(portal, submission, request));

    // Assess
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues).toEqual([
      { path: 'files.0', message: expect.stringContaining('changed after it was hashed') },
    ]);
    const stored = await portal.submissions.getSubmission(portal.notice.id, submission.submissionId);
    expect(stored?.status).toBe('open');
    expect(stored?.finalize).toBeUndefined();
    expect(stored?.lastError).toEqual({
      at: portal.clock.now().toISOString(),
      issues: (error as ValidationFailed).issues,
    });
    expect(await submittedEvents(portal)).toEqual([]);
    expect((await portal.store.load(portal.notice.id))?.status).toBe('issued');
  });

  it('refuses, and reopens the submission, when a stored file does not hash to what was signed', async () => {
    // Prepare: declared and signed agree, but other bytes were stored where no checksum binds them (as a multipart
    // upload's parts are not bound)
    const portal = await submissionPortal();
    const signedFor = { ...CONTENT, 'annex.csv': Buffer.from('month,reports\n2026-10,9999\n') };
    const { submission } = await portal.service.open(xCorpLegal, portal.notice.id, openRequest(signedFor));
    for (const file of submission.files)
      portal.storage.putUnbound(file.key, CONTENT[file.name as keyof typeof CONTENT]);
    await hashEvents(portal, submission);
    const request = await signedRequest(portal, submission, {}, signedFor);

    // Act
    const error = await rejectionOf(finalize(portal, submission, request));

    // Assess
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues).toEqual([
      { path: 'manifest.files.1.sha256', message: expect.stringContaining('"annex.csv" hashes to') },
    ]);
    const stored = await portal.submissions.getSubmission(portal.notice.id, submission.submissionId);
    expect(stored?.status).toBe('open');
    expect(await submittedEvents(portal)).toEqual([]);
  });

  it('refuses a file that has not been uploaded, and files nothing', async () => {
    // Prepare
    const portal = await submissionPortal();
    const { submission } = await portal.service.open(xCorpLegal, portal.notice.id, openRequest());
    portal.storage.put(defined(submission.files[0], 'the first file').key, CONTENT['response.pdf']);
    const request = await signedRequest(portal, submission);

    // Act
    const error = await rejectionOf(finalize(portal, submission, request));

    // Assess
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues).toEqual([
      { path: 'files.1', message: '"annex.csv" has not been uploaded' },
    ]);
    expect((await portal.submissions.getSubmission(portal.notice.id, submission.submissionId))?.status).toBe('open');
  });

  it('refuses to file for a notice withdrawn after the submission was opened', async () => {
    // Prepare
    const portal = await submissionPortal();
    const submission = await readySubmission(portal);
    const request = await signedRequest(portal, submission);
    await portal.notices.withdraw(officer, portal.notice.id, 'Issued to the wrong entity');

    // Act
    const error = await rejectionOf(finalize(portal, submission, request));

    // Assess
    expect(error).toBeInstanceOf(Conflict);
    expect(error).toMatchObject({ reason: 'illegal-transition' });
    expect(await submittedEvents(portal)).toEqual([]);
  });

  it("reports another platform's submission as not found", async () => {
    // Prepare
    const portal = await submissionPortal();
    const submission = await readySubmission(portal);
    const request = await signedRequest(portal, submission);

    // Act
    const error = await rejectionOf(finalize(portal, submission, request, { caller: videoshareLegal }));

    // Assess
    expect(error).toBeInstanceOf(NotFound);
    expect(await submittedEvents(portal)).toEqual([]);
  });

  it.each([
    ['more than 5 minutes before the submission was opened', -SIGNED_AT_SKEW_MS - 1, 'earlier than the submission'],
    ['more than 5 minutes after the request arrived', SIGNED_AT_SKEW_MS + 1, 'in the future'],
  ])('refuses a manifest signed %s', async (_what, offsetMs, message) => {
    // Prepare
    const portal = await submissionPortal();
    const submission = await readySubmission(portal);
    const signedAt = new Date(Date.parse(submission.openedAt) + offsetMs).toISOString();
    const request = await signedRequest(portal, submission, { signedAt });

    // Act
    const error = await rejectionOf(finalize(portal, submission, request));

    // Assess
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues).toEqual([
      { path: 'manifest.signedAt', message: expect.stringContaining(message) },
    ]);
  });

  it('refuses a filing made with a key revoked before it was received, even with a manifest back-dated before the revocation', async () => {
    // Prepare: the key is revoked at once (compromise); 60 s later a filing arrives whose manifest claims it was
    // signed 120 s ago, before the revocation took effect.
    const portal = await submissionPortal();
    const submission = await readySubmission(portal);
    portal.clock.advance(10 * 60_000);
    const revocation = await portal.keys.revokeKey(admin, 'x-corp', portal.key.kid, { reason: 'Key compromised' });
    portal.clock.advance(60_000);
    const backDated = new Date(portal.clock.now().getTime() - 120_000).toISOString();
    const request = await signedRequest(portal, submission, { signedAt: backDated });

    // Act
    const error = await rejectionOf(finalize(portal, submission, request));

    // Assess
    expect(backDated < revocation.revocationEffectiveAt!).toBe(true);
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues).toEqual([
      { path: 'signature', message: expect.stringMatching(/when the filing was received .* revoked with effect/) },
    ]);
    expect(await submittedEvents(portal)).toEqual([]);
  });

  it('refuses a filing received after its key expired, though signed while it was valid', async () => {
    // Prepare
    const portal = await submissionPortal();
    const submission = await readySubmission(portal);
    const signedAt = portal.clock.now().toISOString();
    const expiring = registeredKey(portal.key, {
      validUntil: new Date(portal.clock.now().getTime() + 1000).toISOString(),
    });
    await portal.submissions.replaceKey(expiring, 'not-revoked');
    const request = await signedRequest(portal, submission, { signedAt });
    portal.clock.advance(60_000);

    // Act
    const error = await rejectionOf(finalize(portal, submission, request));

    // Assess
    expect((error as ValidationFailed).issues).toEqual([
      { path: 'signature', message: expect.stringMatching(/when the filing was received .* expired/) },
    ]);
  });

  it('keeps filing with a key whose revocation takes effect later (rotation), and keeps what was filed before it', async () => {
    // Prepare
    const portal = await submissionPortal();
    const submission = await readySubmission(portal);
    const effectiveAt = new Date(portal.clock.now().getTime() + 3_600_000).toISOString();
    await portal.keys.revokeKey(admin, 'x-corp', portal.key.kid, { reason: 'Rotated', effectiveAt });
    const request = await signedRequest(portal, submission);

    // Act
    const outcome = await finalize(portal, submission, request);
    portal.clock.advance(2 * 3_600_000);
    const retried = await finalize(portal, submission, request);

    // Assess
    expect(outcome.status).toBe('filed');
    expect(retried).toMatchObject({ status: 'filed', receipt: (outcome as { receipt: unknown }).receipt });
  });

  it('accepts a manifest signed exactly 5 minutes before the submission was opened (clock skew)', async () => {
    // Prepare
    const portal = await submissionPortal();
    const submission = await readySubmission(portal);
    const signedAt = new Date(Date.parse(submission.openedAt) - SIGNED_AT_SKEW_MS).toISOString();
    const request = await signedRequest(portal, submission, { signedAt });

    // Act
    const outcome = await finalize(portal, submission, request);

    // Assess
    expect(outcome.status).toBe('filed');
  });

  it("refuses other bytes through a filed file's still-valid PUT URL, and keeps the file's record", async () => {
    // Prepare: a PUT URL handed out at open stays valid for an hour, after the response was filed
    const portal = await submissionPortal();
    const submission = await readySubmission(portal);
    await finalize(portal, submission, await signedRequest(portal, submission));
    const filed = await portal.submissions.getSubmission(portal.notice.id, submission.submissionId);
    const key = defined(submission.files[0], 'the first file').key;

    // Act
    const overwrite = (() => {
      try {
        portal.storage.put(key, Buffer.from('%PDF-1.7 rewritten after filing'));
        return undefined;
      } catch (error) {
        return error as Error;
      }
    })();
    await portal.service.recordFileHash(portal.notice.id, submission.submissionId, 0);

    // Assess
    expect(overwrite?.name).toBe('BadDigest');
    expect(portal.storage.bytesOf(key)?.equals(CONTENT['response.pdf'])).toBe(true);
    const after = await portal.submissions.getSubmission(portal.notice.id, submission.submissionId);
    expect(after?.files).toEqual(filed?.files);
  });
});

describe('a response of answers only (no files)', () => {
  /** Opened with `files: []`, as the web app's "This response has no files" and the CLI's --no-files do. */
  async function answersOnly(portal: Portal, idempotencyKey?: string) {
    const request = OpenSubmissionRequestSchema.parse({ files: [] });
    return portal.service.open(xCorpLegal, portal.notice.id, request, idempotencyKey);
  }

  it('accepts an open request that declares no files, and still refuses over 100', () => {
    // Prepare
    const tooMany = Array.from({ length: 101 }, (_, i) => ({ name: `f${i}.txt`, size: 1, sha256: 'a'.repeat(64) }));

    // Act
    const none = OpenSubmissionRequestSchema.safeParse({ files: [] });
    const over = OpenSubmissionRequestSchema.safeParse({ files: tooMany });

    // Assess
    expect(none.success).toBe(true);
    expect(over.success).toBe(false);
  });

  it('opens a submission with no files and no upload targets, owing no verification work', async () => {
    // Prepare
    const portal = await submissionPortal();

    // Act
    const opened = await answersOnly(portal);

    // Assess
    expect(opened).toMatchObject({ created: true, uploads: [], submission: { status: 'open', files: [] } });
    expect(await portal.submissions.listPendingVerification('9999', 10)).toEqual([]);
  });

  it('files it at once on finalize, with a receipt that lists no files, and leaves nothing pending', async () => {
    // Prepare
    const portal = await submissionPortal();
    const { submission } = await answersOnly(portal);
    const request = await signedRequest(portal, submission, {}, {});
    const receivedAt = portal.clock.now();

    // Act
    const outcome = await finalize(portal, submission, request, { receivedAt });

    // Assess
    if (outcome.status !== 'filed') throw new Error(`expected filed, got ${outcome.status}`);
    expect(outcome.receipt.filedAt).toBe(receivedAt.toISOString());
    expect(RecordingReceiptSigner.claimsOf(outcome.receipt.jws)).toMatchObject({
      submissionId: submission.submissionId,
      files: [],
      manifestSha256: manifestSha256(request.manifest),
    });
    const stored = await portal.submissions.getSubmission(portal.notice.id, submission.submissionId);
    expect(stored).toMatchObject({ status: 'filed', files: [], receipt: outcome.receipt });
    expect((await portal.store.load(portal.notice.id))?.status).toBe('submitted');
    const events = await submittedEvents(portal);
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ files: [] });
    expect(await portal.submissions.listPendingVerification('9999', 10)).toEqual([]);
    expect(await portal.service.verifyPending({ olderThanMs: 0, limit: 10 })).toEqual({
      examined: 0,
      filed: [],
      failed: [],
    });
  });

  it('answers a retried open with the same submission, and a retried finalize with the same receipt', async () => {
    // Prepare
    const portal = await submissionPortal();
    const { submission } = await answersOnly(portal, 'open-answers-only');

    // Act
    const reopened = await answersOnly(portal, 'open-answers-only');
    const request = await signedRequest(portal, submission, {}, {});
    const first = await finalize(portal, submission, request);
    portal.clock.advance(60_000);
    const again = await finalize(portal, submission, request);

    // Assess
    expect(reopened).toMatchObject({
      created: false,
      uploads: [],
      submission: { submissionId: submission.submissionId },
    });
    expect(first.status).toBe('filed');
    expect(again).toMatchObject({ status: 'filed', receipt: (first as { receipt: unknown }).receipt });
    expect(await submittedEvents(portal)).toHaveLength(1);
    expect(portal.receipts.signed).toHaveLength(1);
  });

  it('refuses a manifest that lists a file the answers-only submission never declared', async () => {
    // Prepare
    const portal = await submissionPortal();
    const { submission } = await answersOnly(portal);
    const request = await signedRequest(portal, submission);

    // Act
    const error = await rejectionOf(finalize(portal, submission, request));

    // Assess
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues).toContainEqual({
      path: 'manifest.files.0.name',
      message: '"response.pdf" was not uploaded in this submission',
    });
    expect(await submittedEvents(portal)).toHaveLength(0);
  });

  it('refuses an Idempotency-Key that opened an answers-only submission when files are declared with it', async () => {
    // Prepare
    const portal = await submissionPortal();
    await answersOnly(portal, 'reused-key');

    // Act
    const error = await rejectionOf(portal.service.open(xCorpLegal, portal.notice.id, openRequest(), 'reused-key'));

    // Assess
    expect(error).toBeInstanceOf(Conflict);
    expect((error as Conflict).reason).toBe('idempotency-key-reused');
  });
});

describe('registering signing keys', () => {
  it('refuses to register a public key already registered for another platform, and keeps it with the first', async () => {
    // Prepare
    const portal = await submissionPortal();
    const key = await generatePlatformKey('ES256');
    await portal.keys.registerKey(admin, 'x-corp', { jwk: key.publicJwk });

    // Act
    const error = await rejectionOf(portal.keys.registerKey(admin, 'videoshare', { jwk: key.publicJwk }));

    // Assess
    expect(error).toBeInstanceOf(Conflict);
    expect((error as Conflict).message).toMatch(/already registered for platform x-corp/);
    expect(await portal.submissions.getKey('videoshare', key.kid)).toBeUndefined();
    expect(await portal.submissions.getKey('x-corp', key.kid)).toMatchObject({ kid: key.kid, platformId: 'x-corp' });
  });

  it('answers a retried registration for the same platform with the same record', async () => {
    // Prepare
    const portal = await submissionPortal();
    const key = await generatePlatformKey('EdDSA');
    const first = await portal.keys.registerKey(admin, 'x-corp', { jwk: key.publicJwk, label: 'Rotation' });
    portal.clock.advance(60_000);

    // Act
    const retry = await portal.keys.registerKey(admin, 'x-corp', { jwk: key.publicJwk, label: 'Rotation' });

    // Assess
    expect(first.created).toBe(true);
    expect(retry).toEqual({ key: first.key, created: false });
  });

  it('completes a registration interrupted after the claim, for the claiming platform only', async () => {
    // Prepare: a crash between the claim and the key record leaves only the claim
    const portal = await submissionPortal();
    const key = await generatePlatformKey('EdDSA');
    await portal.submissions.claimKey({
      kid: key.kid,
      platformId: 'x-corp',
      claimedAt: portal.clock.now().toISOString(),
      claimedBy: { subject: admin.subject, role: 'regulator-admin' },
    });

    // Act
    const other = await rejectionOf(portal.keys.registerKey(admin, 'videoshare', { jwk: key.publicJwk }));
    const resumed = await portal.keys.registerKey(admin, 'x-corp', { jwk: key.publicJwk });

    // Assess
    expect(other).toBeInstanceOf(Conflict);
    expect(resumed.created).toBe(true);
    expect(await portal.submissions.getKey('x-corp', key.kid)).toBeDefined();
  });
});

describe('upload targets and downloads', () => {
  it('binds each single PUT to the SHA-256 declared at open, in a header the client is told to send', async () => {
    // Prepare
    const portal = await submissionPortal();

    // Act
    const { submission, uploads } = await portal.service.open(xCorpLegal, portal.notice.id, openRequest());

    // Assess
    const expected = (bytes: Buffer) => createHash('sha256').update(bytes).digest('base64');
    expect(uploads).toEqual([
      expect.objectContaining({
        method: 'PUT',
        headers: { 'x-amz-checksum-sha256': expected(CONTENT['response.pdf']) },
      }),
      expect.objectContaining({ method: 'PUT', headers: { 'x-amz-checksum-sha256': expected(CONTENT['annex.csv']) } }),
    ]);
    expect(submission.files.map((f) => f.declaredSha256)).toEqual([
      sha256Of(CONTENT['response.pdf']),
      sha256Of(CONTENT['annex.csv']),
    ]);
  });

  it('pins the download of a filed file to the version that was hashed, whatever is written later', async () => {
    // Prepare: a versioned bucket, where a GET without a version serves the newest
    const portal = await submissionPortal(undefined, { versioned: true });
    const submission = await readySubmission(portal);
    await finalize(portal, submission, await signedRequest(portal, submission));
    const key = defined(submission.files[0], 'the first file').key;
    const hashed = (await portal.submissions.getSubmission(portal.notice.id, submission.submissionId))?.files[0];
    portal.storage.putUnbound(key, Buffer.from('%PDF-1.7 written under the key after filing'));
    await portal.service.recordFileHash(portal.notice.id, submission.submissionId, 0);

    // Act
    const { url } = await portal.service.download(officer, portal.notice.id, submission.submissionId, 0);

    // Assess
    const presigned = portal.storage.presigned.at(-1);
    expect(hashed?.hashedVersionId).toEqual(expect.any(String));
    expect(presigned).toMatchObject({ method: 'GET', key, versionId: hashed?.hashedVersionId });
    expect(new URL(url).searchParams.get('versionId')).toBe(hashed?.hashedVersionId);
    expect(portal.storage.bytesOf(key, presigned?.versionId)?.equals(CONTENT['response.pdf'])).toBe(true);
  });

  it('pins the download of a hashed file while the response is being filed', async () => {
    // Prepare: one file hashed, the other's hash still on its way (too large to hash inline), so finalize waits
    const portal = await submissionPortal(undefined, { versioned: true, inlineHashMaxBytes: 10 });
    const { submission } = await portal.service.open(xCorpLegal, portal.notice.id, openRequest());
    uploadAll(portal, submission);
    await portal.service.recordFileHash(portal.notice.id, submission.submissionId, 0);
    const waiting = await finalize(portal, submission, await signedRequest(portal, submission));

    // Act
    await portal.service.download(officer, portal.notice.id, submission.submissionId, 0);

    // Assess
    const hashed = (await portal.submissions.getSubmission(portal.notice.id, submission.submissionId))?.files[0];
    expect(waiting.status).toBe('verifying');
    expect(portal.storage.presigned.at(-1)).toMatchObject({ method: 'GET', versionId: hashed?.hashedVersionId });
    expect(hashed?.hashedVersionId).toEqual(expect.any(String));
  });

  it('serves what is stored now, unpinned, for a file of a submission still open', async () => {
    // Prepare
    const portal = await submissionPortal(undefined, { versioned: true });
    const submission = await readySubmission(portal);

    // Act
    await portal.service.download(xCorpLegal, portal.notice.id, submission.submissionId, 0);

    // Assess
    expect(portal.storage.presigned.at(-1)).toMatchObject({ method: 'GET', versionId: undefined });
  });

  it('refuses to file when a versioned object has a newer version than the one hashed', async () => {
    // Prepare: even the same bytes written again are another version, and the receipt must name the one hashed
    const portal = await submissionPortal(undefined, { versioned: true });
    const submission = await readySubmission(portal);
    portal.storage.put(defined(submission.files[0], 'the first file').key, CONTENT['response.pdf']);

    // Act
    const error = await rejectionOf(finalize(portal, submission, await signedRequest(portal, submission)));

    // Assess
    expect((error as ValidationFailed).issues).toEqual([
      { path: 'files.0', message: expect.stringContaining('changed after it was hashed') },
    ]);
  });
});

describe('the pending-verification job', () => {
  const run = (portal: Portal, progress: VerificationProgress[] = [], olderThanMs = 0) =>
    portal.service.verifyPending({ olderThanMs, limit: 10, log: (p) => progress.push(p) });

  /** Finalized, with both files over the inline budget and no S3 event: left waiting for hashes. */
  async function waitingSubmission(portal: Portal, files: Record<string, Buffer> = CONTENT) {
    const { submission } = await portal.service.open(xCorpLegal, portal.notice.id, openRequest(files));
    uploadAll(portal, submission, files);
    const request = await signedRequest(portal, submission, {}, files);
    const receivedAt = portal.clock.now();
    const outcome = await finalize(portal, submission, request, { receivedAt });
    expect(outcome.status).toBe('verifying');
    return { submission, receivedAt };
  }

  it('files a response whose hashes never arrived, with the finalize’s filed-at, and then owes nothing', async () => {
    // Prepare
    const portal = await submissionPortal(undefined, { inlineHashMaxBytes: 10 });
    const { submission, receivedAt } = await waitingSubmission(portal);
    portal.clock.advance(10 * 60_000);
    const progress: VerificationProgress[] = [];

    // Act
    const report = await run(portal, progress);
    const again = await run(portal);

    // Assess
    expect(report).toEqual({
      examined: 1,
      filed: [submission.submissionId],
      failed: [],
      oldestPendingSince: expect.stringMatching(ISO_INSTANT),
    });
    const stored = await portal.submissions.getSubmission(portal.notice.id, submission.submissionId);
    expect(stored).toMatchObject({ status: 'filed', receipt: { filedAt: receivedAt.toISOString() } });
    expect(await submittedEvents(portal)).toHaveLength(1);
    expect(progress.map((p) => p.step)).toEqual(['picked-up', 'filed']);
    expect(progress[0]).toMatchObject({ submissionId: submission.submissionId, missingHashes: 2 });
    expect(await portal.submissions.listPendingVerification('9999', 10)).toEqual([]);
    expect(again.examined).toBe(0);
  });

  it('does not file a waiting response whose key was revoked meanwhile with effect before the filing', async () => {
    // Prepare: finalize accepted while the key was good; the key is then found compromised and revoked back to before
    const portal = await submissionPortal(undefined, { inlineHashMaxBytes: 10 });
    const { submission, receivedAt } = await waitingSubmission(portal);
    portal.clock.advance(60_000);
    const effectiveAt = new Date(receivedAt.getTime() - 1_000).toISOString();
    await portal.keys.revokeKey(admin, 'x-corp', portal.key.kid, { reason: 'Key compromised', effectiveAt });
    portal.clock.advance(10 * 60_000);

    // Act
    const report = await run(portal);

    // Assess
    expect(report).toEqual({
      examined: 1,
      filed: [],
      failed: [],
      oldestPendingSince: expect.stringMatching(ISO_INSTANT),
    });
    const stored = await portal.submissions.getSubmission(portal.notice.id, submission.submissionId);
    expect(stored?.status).toBe('open');
    expect(stored?.lastError?.issues).toEqual([
      { path: 'signature', message: expect.stringContaining('revoked with effect from') },
    ]);
    expect(await submittedEvents(portal)).toHaveLength(0);
  });

  it('files a submission whose hashes are all in but whose commit a crash interrupted', async () => {
    // Prepare: the last hash was recorded, then the process died before the submitted event
    const portal = await submissionPortal(undefined, { inlineHashMaxBytes: 10 });
    const { submission, receivedAt } = await waitingSubmission(portal);
    const current = (await portal.submissions.getSubmission(portal.notice.id, submission.submissionId)) as Submission;
    const files = await Promise.all(
      current.files.map(async (f) => {
        const hashed = await portal.storage.hash(f.key);
        return { ...f, sha256: hashed.sha256, hashedEtag: hashed.etag, hashedSize: hashed.size };
      }),
    );
    await portal.submissions.replaceSubmission({ ...current, version: current.version + 1, files }, current.version);

    // Act
    const report = await run(portal);

    // Assess
    expect(report.filed).toEqual([submission.submissionId]);
    expect(await submittedEvents(portal)).toHaveLength(1);
    expect((await submittedEvents(portal)).at(0)?.data).toMatchObject({ filedAt: receivedAt.toISOString() });
  });

  it('marks filed a submission whose submitted event was committed just before a crash', async () => {
    // Prepare: the notice's history has the submitted event; the submission item still says finalizing
    const portal = await submissionPortal();
    const submission = await readySubmission(portal);
    const request = await signedRequest(portal, submission);
    await finalize(portal, submission, request);
    const filed = (await portal.submissions.getSubmission(portal.notice.id, submission.submissionId)) as Submission;
    const finalizing = portal.submissions.writes.find((w) => w.status === 'finalizing') as Submission;
    await portal.submissions.replaceSubmission({ ...finalizing, version: filed.version + 1 }, filed.version);

    // Act
    const report = await run(portal);

    // Assess
    expect(report.filed).toEqual([submission.submissionId]);
    const after = await portal.submissions.getSubmission(portal.notice.id, submission.submissionId);
    expect(after).toMatchObject({ status: 'filed', receipt: filed.receipt });
    expect(await submittedEvents(portal)).toHaveLength(1);
    expect(await portal.submissions.listPendingVerification('9999', 10)).toEqual([]);
  });

  it('files once when the S3-event hasher and the job hash the same files at the same time', async () => {
    // Prepare: signing takes a while, so both reach the commit before either has filed
    const receipts = new RecordingReceiptSigner(() => new Promise((r) => setTimeout(r, 20)));
    const portal = await submissionPortal(receipts, { inlineHashMaxBytes: 10 });
    const { submission } = await waitingSubmission(portal);

    // Act
    const outcomes = await Promise.all([
      portal.service.recordFileHash(portal.notice.id, submission.submissionId, 0),
      portal.service.recordFileHash(portal.notice.id, submission.submissionId, 1),
      run(portal),
      run(portal),
    ]);

    // Assess
    const events = await submittedEvents(portal);
    expect(events).toHaveLength(1);
    const stored = await portal.submissions.getSubmission(portal.notice.id, submission.submissionId);
    expect(stored?.status).toBe('filed');
    expect(stored?.receipt?.number).toBe((events[0]!.data as { receiptNumber: string }).receiptNumber);
    expect(outcomes.slice(2)).toEqual([
      expect.objectContaining({ failed: [] }),
      expect.objectContaining({ failed: [] }),
    ]);
  });

  it('hashes a completed multipart file whose S3 event was lost, before any finalize', async () => {
    // Prepare
    const portal = await submissionPortal();
    const big = Buffer.alloc(SINGLE_PUT_MAX_BYTES + 1, 'x');
    const { submission } = await portal.service.open(xCorpLegal, portal.notice.id, openRequest({ 'large.bin': big }));
    const parts = await uploadParts(portal, submission, big);
    await portal.service.completeFile(xCorpLegal, portal.notice.id, submission.submissionId, 0, parts);
    const pendingBefore = await portal.submissions.listPendingVerification('9999', 10);

    // Act
    const report = await run(portal);

    // Assess
    expect(pendingBefore.map((p) => p.submissionId)).toEqual([submission.submissionId]);
    expect(report).toEqual({
      examined: 1,
      filed: [],
      failed: [],
      oldestPendingSince: expect.stringMatching(ISO_INSTANT),
    });
    const stored = await portal.submissions.getSubmission(portal.notice.id, submission.submissionId);
    expect(stored?.status).toBe('open');
    expect(stored?.files.at(0)?.sha256).toBe(createHash('sha256').update(big).digest('hex'));
    expect(await portal.submissions.listPendingVerification('9999', 10)).toEqual([]);
  });

  it('reopens, and then owes nothing for, a response whose stored bytes are not what was signed', async () => {
    // Prepare
    const portal = await submissionPortal(undefined, { inlineHashMaxBytes: 10 });
    const { submission } = await portal.service.open(xCorpLegal, portal.notice.id, openRequest());
    uploadAll(portal, submission);
    await finalize(portal, submission, await signedRequest(portal, submission));
    // Declared hashes bind single PUTs, so only a write outside them (an unbound one) can store other bytes.
    portal.storage.putUnbound(
      defined(submission.files[1], 'the second file').key,
      Buffer.from('month,reports\n2026-10,9999\n'),
    );
    const progress: VerificationProgress[] = [];

    // Act
    const report = await run(portal, progress);

    // Assess
    expect(report).toEqual({
      examined: 1,
      filed: [],
      failed: [],
      oldestPendingSince: expect.stringMatching(ISO_INSTANT),
    });
    expect(progress.at(-1)).toMatchObject({
      step: 'not-filed',
      issues: [{ path: 'manifest.files.1.sha256', message: expect.stringContaining('"annex.csv" hashes to') }],
    });
    const stored = await portal.submissions.getSubmission(portal.notice.id, submission.submissionId);
    expect(stored?.status).toBe('open');
    expect(await submittedEvents(portal)).toEqual([]);
    expect(await portal.submissions.listPendingVerification('9999', 10)).toEqual([]);
  });

  it('reopens a waiting response whose notice was withdrawn meanwhile, so it does not stay pending', async () => {
    // Prepare
    const portal = await submissionPortal(undefined, { inlineHashMaxBytes: 10 });
    const { submission } = await waitingSubmission(portal);
    await portal.notices.withdraw(officer, portal.notice.id, 'Issued to the wrong entity.');

    // Act
    const report = await run(portal);

    // Assess
    expect(report.failed).toEqual([submission.submissionId]);
    const stored = await portal.submissions.getSubmission(portal.notice.id, submission.submissionId);
    expect(stored?.status).toBe('open');
    expect(stored?.lastError?.issues.at(0)?.message).toMatch(/withdrawn; it does not accept a response/);
    expect(await portal.submissions.listPendingVerification('9999', 10)).toEqual([]);
  });

  it('leaves a file stored only just now to its S3 event’s hasher when told to, and hashes it once that is past', async () => {
    // Prepare
    const portal = await submissionPortal(undefined, { inlineHashMaxBytes: 10 });
    const { submission } = await waitingSubmission(portal);
    const verify = () => portal.service.verifyPending({ olderThanMs: 0, leaveToS3EventsMs: 15 * 60_000, limit: 10 });

    // Act
    portal.clock.advance(14 * 60_000);
    const early = await verify();
    const waiting = await portal.submissions.getSubmission(portal.notice.id, submission.submissionId);
    portal.clock.advance(60_001);
    const later = await verify();

    // Assess
    expect(early).toEqual({
      examined: 1,
      filed: [],
      failed: [],
      oldestPendingSince: expect.stringMatching(ISO_INSTANT),
    });
    expect(waiting?.files.every((f) => f.sha256 === undefined)).toBe(true);
    expect(later.filed).toEqual([submission.submissionId]);
  });

  it('leaves work younger than the minimum age to whoever is doing it', async () => {
    // Prepare
    const portal = await submissionPortal(undefined, { inlineHashMaxBytes: 10 });
    await waitingSubmission(portal);
    portal.clock.advance(30_000);

    // Act
    const early = await run(portal, [], 60_000);
    portal.clock.advance(30_001);
    const later = await run(portal, [], 60_000);

    // Assess
    expect(early.examined).toBe(0);
    expect(later.filed).toHaveLength(1);
  });
});
