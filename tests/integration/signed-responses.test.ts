import { createHash } from 'node:crypto';
import {
  calculateJwkThumbprint,
  compactVerify,
  createLocalJWKSet,
  exportJWK,
  FlattenedSign,
  generateKeyPair,
  type JWK,
  type KeyLike,
} from 'jose';
import { canonicalJson } from '../../lambdas/domain/canonical-json';
import { verifyChain } from '../../lambdas/domain/notice-event';
import { defined } from '../support/defined';
import { type Harness, startHarness, transparencyDraft } from './support/portal-harness';

/**
 * Signed responses end to end through the local portal: upload straight to (SigV4-guarded) S3, a manifest signed
 * with a registered key, verification of the stored bytes, one conditional commit, and a receipt that verifies
 * offline. Then every way a response can be wrong, each refused with a message naming the problem and nothing
 * recorded as filed.
 */
let h: Harness;
let signer: { privateKey: KeyLike; kid: string; jwk: JWK };
beforeAll(async () => {
  h = await startHarness();
  signer = await registeredKey('x-corp');
});
afterAll(async () => {
  await h.stop();
});

async function newKey(alg: 'EdDSA' | 'ES256' = 'EdDSA') {
  const { privateKey, publicKey } = await generateKeyPair(alg, { crv: alg === 'EdDSA' ? 'Ed25519' : undefined });
  const jwk = await exportJWK(publicKey);
  return { privateKey, jwk, kid: await calculateJwkThumbprint(jwk) };
}

async function registeredKey(platformId: string, extra: Record<string, unknown> = {}) {
  const key = await newKey();
  const response = await h.as('admin').post(`/platforms/${platformId}/signing-keys`, { jwk: key.jwk, ...extra });
  expect(response.status).toBe(201);
  return key;
}

async function sign(manifest: object, key = signer, header: Record<string, unknown> = {}): Promise<string> {
  const jws = await new FlattenedSign(new TextEncoder().encode(canonicalJson(manifest)))
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, ...header })
    .sign(key.privateKey);
  return `${jws.protected}..${jws.signature}`;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function issuedNotice(): Promise<string> {
  const draft = await h.as('officer').post('/notices', transparencyDraft('x-corp'));
  await h.as('officer').post(`/notices/${draft.body.id}/issue`);
  return draft.body.id;
}

interface Opened {
  noticeId: string;
  submissionId: string;
  files: { name: string; bytes: Buffer }[];
  /** The upload targets open returned (their URLs stay valid for an hour). */
  uploads: { index: number; method: string; url: string; headers?: Record<string, string> }[];
}

/** Files to open with: their bytes, and the SHA-256 to declare for them (theirs unless said otherwise). */
type UploadedFile = { name: string; bytes: Buffer; declaredSha256?: string };

async function openAndUpload(files: UploadedFile[], noticeId?: string): Promise<Opened> {
  const id = noticeId ?? (await issuedNotice());
  const opened = await h.as('x-corp-legal').post(`/notices/${id}/submissions`, {
    files: files.map((f) => ({
      name: f.name,
      size: f.bytes.length,
      sha256: f.declaredSha256 ?? sha256(f.bytes),
      contentType: 'application/pdf',
    })),
  });
  expect(opened.status).toBe(201);
  for (const upload of opened.body.uploads) {
    const bytes = defined(files[upload.index], `file ${upload.index}`).bytes;
    if (upload.method === 'PUT') {
      const put = await fetch(upload.url, {
        method: 'PUT',
        body: bytes,
        headers: { ...upload.headers, 'content-type': 'application/pdf' },
      });
      expect(put.status).toBe(200);
    } else {
      const filePath = `/notices/${id}/submissions/${opened.body.submission.submissionId}/files/${upload.index}`;
      const slice = (n: number) => bytes.subarray((n - 1) * upload.partSize, n * upload.partSize);
      // No part URL before the client says what each part hashes to: ask for them with each part's SHA-256.
      expect(upload).toMatchObject({ checksumAlgorithm: 'SHA256', parts: [] });
      const numbers = Array.from({ length: upload.partCount }, (_, i) => i + 1);
      const target = await h.as('x-corp-legal').post(`${filePath}/upload-urls`, {
        parts: numbers.map((partNumber) => ({ partNumber, sha256: sha256(slice(partNumber)) })),
      });
      expect(target.status).toBe(200);
      const parts = [];
      for (const part of target.body.parts) {
        const put = await fetch(part.url, { method: 'PUT', body: slice(part.partNumber), headers: part.headers });
        expect(put.status).toBe(200);
        parts.push({
          partNumber: part.partNumber,
          etag: put.headers.get('etag'),
          sha256: sha256(slice(part.partNumber)),
        });
      }
      const completed = await h.as('x-corp-legal').post(`${filePath}/complete`, { parts });
      expect(completed.status).toBe(200);
    }
  }
  return { noticeId: id, submissionId: opened.body.submission.submissionId, files, uploads: opened.body.uploads };
}

function manifestFor(opened: Opened, overrides: Record<string, unknown> = {}) {
  return {
    noticeId: opened.noticeId,
    submissionId: opened.submissionId,
    files: opened.files.map((f) => ({ name: f.name, size: f.bytes.length, sha256: sha256(f.bytes) })),
    answers: [
      { question: '1', answer: 'We use PhotoDNA and an in-house classifier on every upload.' },
      { question: '2', cannotAnswer: { reason: 'We do not measure time to action per report category.' } },
    ],
    signer: { name: 'Xavier Counsel', title: 'General Counsel' },
    signedAt: new Date().toISOString(),
    ...overrides,
  };
}

async function finalize(opened: Opened, manifest: object, signature?: string, user = 'x-corp-legal') {
  return h.as(user).post(`/notices/${opened.noticeId}/submissions/${opened.submissionId}/finalize`, {
    manifest,
    signature: signature ?? (await sign(manifest)),
  });
}

async function noticeStatus(noticeId: string): Promise<string> {
  return (await h.as('officer').get(`/notices/${noticeId}`)).body.status;
}

const pdf = (text: string) => Buffer.from(`%PDF-1.7\n${text}\n%%EOF\n`);

describe('filing a signed response', () => {
  it('accepts a verified response and returns a receipt that verifies offline with the published keys', async () => {
    const opened = await openAndUpload([
      { name: 'response.pdf', bytes: pdf('Answers to the transparency notice') },
      { name: 'annex-a.pdf', bytes: pdf('Annex A: detection statistics') },
    ]);
    const manifest = manifestFor(opened);

    const filed = await finalize(opened, manifest);
    const keys = await h.anonymous().get('/.well-known/receipt-keys.json');
    const { payload, protectedHeader } = await compactVerify(filed.body.receipt.jws, createLocalJWKSet(keys.body));
    const claims = JSON.parse(new TextDecoder().decode(payload));
    const notice = await h.as('officer').get(`/notices/${opened.noticeId}`);
    const history = await h.as('officer').get(`/notices/${opened.noticeId}/history`);

    expect(filed.status).toBe(200);
    expect(filed.body.status).toBe('filed');
    expect(filed.body.receipt.number).toMatch(/^NRP-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$/);
    expect(protectedHeader.alg).toBe('ES256');
    expect(claims).toMatchObject({
      typ: 'notice-response-receipt',
      receiptNumber: filed.body.receipt.number,
      noticeId: opened.noticeId,
      submissionId: opened.submissionId,
      onTime: true,
      dueAt: notice.body.dueAt,
      signedBy: { kid: signer.kid, name: 'Xavier Counsel' },
      files: manifest.files,
    });
    expect(claims.manifestSha256).toBe(createHash('sha256').update(canonicalJson(manifest)).digest('hex'));
    expect(notice.body).toMatchObject({ status: 'submitted', response: { receiptNumber: filed.body.receipt.number } });
    expect(history.body.items.at(-1)).toMatchObject({ kind: 'submitted', data: { receipt: filed.body.receipt.jws } });
    expect(verifyChain(history.body.items)).toEqual({ valid: true });
  });

  it('files a response of answers only: opened with no files, named in the draft, filed at once with a receipt listing none', async () => {
    const noticeId = await issuedNotice();
    const opened = await h.as('x-corp-legal').post(`/notices/${noticeId}/submissions`, { files: [] });
    const submissionId = opened.body.submission.submissionId;
    const drafted = await h
      .as('x-corp-legal')
      .post(`/notices/${noticeId}/response-draft`, { expectedVersion: 0, answers: [], submissionId });
    const manifest = manifestFor({ noticeId, submissionId, files: [], uploads: [] });
    const signature = await sign(manifest);

    const filed = await finalize({ noticeId, submissionId, files: [], uploads: [] }, manifest, signature);
    const retry = await finalize({ noticeId, submissionId, files: [], uploads: [] }, manifest, signature);
    const keys = await h.anonymous().get('/.well-known/receipt-keys.json');
    const { payload } = await compactVerify(filed.body.receipt.jws, createLocalJWKSet(keys.body));
    const claims = JSON.parse(new TextDecoder().decode(payload));
    const submission = await h.as('officer').get(`/notices/${noticeId}/submissions/${submissionId}`);
    const draft = await h.as('x-corp-legal').get(`/notices/${noticeId}/response-draft`);

    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ uploads: [], submission: { status: 'open', files: [] } });
    expect(drafted.status).toBe(200);
    expect(filed.status).toBe(200);
    expect(filed.body.status).toBe('filed');
    expect(claims).toMatchObject({ noticeId, submissionId, files: [], onTime: true });
    expect(claims.manifestSha256).toBe(createHash('sha256').update(canonicalJson(manifest)).digest('hex'));
    expect(retry.status).toBe(200);
    expect(retry.body.receipt.jws).toBe(filed.body.receipt.jws);
    expect(submission.body).toMatchObject({
      status: 'filed',
      files: [],
      receipt: { number: filed.body.receipt.number },
    });
    expect(await noticeStatus(noticeId)).toBe('submitted');
    expect(draft.body.submissionId).toBeUndefined();
  });

  it('returns the same receipt to a retried finalize, and one receipt to two concurrent ones', async () => {
    const opened = await openAndUpload([{ name: 'response.pdf', bytes: pdf('Concurrent') }]);
    const manifest = manifestFor(opened);
    const signature = await sign(manifest);

    const [a, b] = await Promise.all([finalize(opened, manifest, signature), finalize(opened, manifest, signature)]);
    const retry = await finalize(opened, manifest, signature);
    const history = await h.as('officer').get(`/notices/${opened.noticeId}/history`);

    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.body.receipt.jws).toBe(a.body.receipt.jws);
    expect(retry.body.receipt.jws).toBe(a.body.receipt.jws);
    expect(history.body.items.filter((e: { kind: string }) => e.kind === 'submitted')).toHaveLength(1);
  });

  it('refuses, with 409 naming the receipt, a different manifest or signature sent after filing', async () => {
    const opened = await openAndUpload([{ name: 'response.pdf', bytes: pdf('Filed once') }]);
    const manifest = manifestFor(opened);
    const signature = await sign(manifest);
    const filed = await finalize(opened, manifest, signature);

    const otherManifest = await finalize(opened, manifestFor(opened, { signer: { name: 'Another Lawyer' } }));
    const garbageSignature = await finalize(opened, manifest, 'garbage');
    const retry = await finalize(opened, manifest, signature);

    expect(filed.status).toBe(200);
    for (const refused of [otherManifest, garbageSignature]) {
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('already-filed');
      expect(refused.body.error.message).toContain(filed.body.receipt.number);
    }
    expect(retry.status).toBe(200);
    expect(retry.body.receipt.jws).toBe(filed.body.receipt.jws);
  });

  it('uploads a large file in presigned parts and files it', async () => {
    const big = Buffer.alloc(65 * 1024 * 1024 + 123, 7);
    const opened = await openAndUpload([{ name: 'evidence.zip', bytes: big }]);

    const filed = await finalize(opened, manifestFor(opened));
    // A large file is hashed by the S3-event handler; until it has, finalize answers 202 and the client polls.
    let submission = await h.as('officer').get(`/notices/${opened.noticeId}/submissions/${opened.submissionId}`);
    for (let i = 0; i < 100 && !submission.body.receipt; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      submission = await h.as('officer').get(`/notices/${opened.noticeId}/submissions/${opened.submissionId}`);
    }

    expect([200, 202]).toContain(filed.status);
    expect(submission.body).toMatchObject({ status: 'filed', receipt: { onTime: true } });
    expect(submission.body.files[0]).toMatchObject({ upload: { kind: 'multipart' }, sha256: sha256(big) });
  });

  it("issues part URLs only with each part's SHA-256, and storage refuses other bytes through them", async () => {
    // Prepare: a multipart file, opened
    const big = Buffer.alloc(65 * 1024 * 1024 + 9, 5);
    const noticeId = await issuedNotice();
    const opened = await h.as('x-corp-legal').post(`/notices/${noticeId}/submissions`, {
      files: [{ name: 'evidence.zip', size: big.length, sha256: sha256(big) }],
    });
    const filePath = `/notices/${noticeId}/submissions/${opened.body.submission.submissionId}/files/0`;
    const partSize = opened.body.uploads[0].partSize;
    const first = big.subarray(0, partSize);

    // Act
    const bare = await h.as('x-corp-legal').post(`${filePath}/upload-urls`, { parts: [1] });
    const none = await h.as('x-corp-legal').post(`${filePath}/upload-urls`, {});
    const badHex = await h.as('x-corp-legal').post(`${filePath}/upload-urls`, {
      parts: [{ partNumber: 1, sha256: 'not-hex' }],
    });
    const bound = await h.as('x-corp-legal').post(`${filePath}/upload-urls`, {
      parts: [{ partNumber: 1, sha256: sha256(first) }],
    });
    const part = bound.body.parts[0];
    const wrongBody = await fetch(part.url, { method: 'PUT', body: Buffer.alloc(partSize, 6), headers: part.headers });
    const withoutHeader = await fetch(part.url, { method: 'PUT', body: first });
    const stored = await h.as('x-corp-legal').get(`${filePath}/parts`);

    // Assess
    expect(bare.status).toBe(400);
    expect(bare.body.error.issues).toEqual([
      { path: 'parts.0', message: expect.stringContaining('{partNumber, sha256}') },
    ]);
    expect(none.status).toBe(400);
    expect(none.body.error.issues).toEqual([{ path: 'parts', message: expect.stringContaining('required') }]);
    expect(badHex.status).toBe(400);
    expect(badHex.body.error.issues.map((i: { path: string }) => i.path)).toContain('parts.0.sha256');
    expect(part.headers).toEqual({ 'x-amz-checksum-sha256': createHash('sha256').update(first).digest('base64') });
    expect(new URL(part.url).searchParams.get('X-Amz-SignedHeaders')).toContain('x-amz-checksum-sha256');
    expect(wrongBody.status).toBe(400);
    expect(await wrongBody.text()).toContain('<Code>BadDigest</Code>');
    expect(withoutHeader.status).toBe(403); // the header is signed: without it the signature does not match
    expect(stored.body.parts).toEqual([]);
  });

  it('gives the regulator and the platform short-lived download links, and other platforms nothing', async () => {
    const bytes = pdf('Downloadable');
    const opened = await openAndUpload([{ name: 'response.pdf', bytes }]);
    await finalize(opened, manifestFor(opened));
    const path = `/notices/${opened.noticeId}/submissions/${opened.submissionId}/files/0/download`;

    const forRegulator = await h.as('officer').get(path);
    const forPlatform = await h.as('x-corp-legal').get(path);
    const forOther = await h.as('videoshare-legal').get(path);
    const downloaded = Buffer.from(await (await fetch(forRegulator.body.url)).arrayBuffer());

    expect(forPlatform.status).toBe(200);
    expect(forOther.status).toBe(404);
    expect(downloaded.equals(bytes)).toBe(true);
    expect(Date.parse(forRegulator.body.expiresAt) - Date.now()).toBeLessThanOrEqual(300_000);
  });

  it('returns the same submission to an open retried with the same Idempotency-Key', async () => {
    const id = await issuedNotice();
    const files = { files: [{ name: 'response.pdf', size: 100, sha256: 'a'.repeat(64) }] };
    const key = { 'idempotency-key': `open-${id}` };

    const first = await h.as('x-corp-legal').post(`/notices/${id}/submissions`, files, key);
    const retry = await h.as('x-corp-legal').post(`/notices/${id}/submissions`, files, key);
    const other = await h
      .as('x-corp-legal')
      .post(`/notices/${id}/submissions`, { files: [{ name: 'b.pdf', size: 1, sha256: 'b'.repeat(64) }] }, key);

    expect(first.status).toBe(201);
    expect(retry.status).toBe(200);
    expect(retry.body.submission.submissionId).toBe(first.body.submission.submissionId);
    expect(retry.body.uploads).toHaveLength(1);
    expect(other.status).toBe(409);
  });

  it('hands out presigned PUT URLs without the empty-body checksum, and the local S3 refuses a tampered one', async () => {
    const id = await issuedNotice();
    const opened = await h
      .as('x-corp-legal')
      .post(`/notices/${id}/submissions`, { files: [{ name: 'a.pdf', size: 10, sha256: sha256(Buffer.alloc(10)) }] });
    const upload = opened.body.uploads[0];
    const url = new URL(upload.url);
    const tampered = new URL(url);
    tampered.pathname = tampered.pathname.replace(/\/0$/, '/1');

    const refused = await fetch(tampered, { method: 'PUT', body: Buffer.alloc(10), headers: upload.headers });

    expect([...url.searchParams.keys()].filter((k) => /checksum/i.test(k))).toEqual([]);
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host;x-amz-checksum-sha256');
    expect(upload.headers).toEqual({
      'x-amz-checksum-sha256': createHash('sha256').update(Buffer.alloc(10)).digest('base64'),
    });
    expect(url.searchParams.get('X-Amz-Expires')).toBe('3600');
    expect(refused.status).toBe(403);
  });
});

describe('filed bytes are evidence', () => {
  it('refuses other bytes through a filed file’s still-valid PUT URL; the same bytes change nothing', async () => {
    // Prepare: the URL handed out at open stays valid for an hour, long after the response is filed
    const bytes = pdf('The response as filed');
    const opened = await openAndUpload([{ name: 'response.pdf', bytes }]);
    const filed = await finalize(opened, manifestFor(opened));
    const claims = JSON.parse(Buffer.from(filed.body.receipt.jws.split('.')[1], 'base64url').toString('utf8'));
    const { url, headers } = defined(opened.uploads[0], 'the upload of response.pdf');

    // Act
    const replaced = await fetch(url, { method: 'PUT', body: pdf('A different response'), headers });
    const withoutChecksum = await fetch(url, { method: 'PUT', body: pdf('A different response') });
    const again = await fetch(url, { method: 'PUT', body: bytes, headers });
    const path = `/notices/${opened.noticeId}/submissions/${opened.submissionId}`;
    const link = await h.as('officer').get(`${path}/files/0/download`);
    const downloaded = Buffer.from(await (await fetch(link.body.url)).arrayBuffer());
    const submission = await h.as('officer').get(path);

    // Assess
    expect(filed.status).toBe(200);
    expect(replaced.status).toBe(400);
    expect(await replaced.text()).toContain('<Code>BadDigest</Code>');
    expect(withoutChecksum.status).toBe(403);
    expect(again.status).toBe(200);
    expect(sha256(downloaded)).toBe(claims.files[0].sha256);
    expect(downloaded.equals(bytes)).toBe(true);
    expect(submission.body).toMatchObject({ status: 'filed', receipt: filed.body.receipt });
    expect(submission.body.files[0].sha256).toBe(sha256(bytes));
  });

  it('refuses an upload whose bytes are not the ones declared at open, and stores nothing', async () => {
    // Prepare
    const declared = pdf('What the platform declared');
    const id = await issuedNotice();
    const other = await h.as('x-corp-legal').post(`/notices/${id}/submissions`, {
      files: [{ name: 'response.pdf', size: declared.length, sha256: sha256(declared) }],
    });
    const { url, headers } = other.body.uploads[0];
    const sameLength = Buffer.from(declared.toString('latin1').replace('declared', 'replaced'), 'latin1');

    // Act
    const put = await fetch(url, { method: 'PUT', body: sameLength, headers });
    const download = await h
      .as('x-corp-legal')
      .get(`/notices/${id}/submissions/${other.body.submission.submissionId}/files/0/download`);

    // Assess
    expect(sameLength.length).toBe(declared.length);
    expect(put.status).toBe(400);
    expect(await put.text()).toContain('<Code>BadDigest</Code>');
    expect(download.status).toBe(404);
  });
});

describe('review', () => {
  it('reviews a filed response, asks for further information by a new due time, takes a second response, accepts and closes', async () => {
    const first = await openAndUpload([{ name: 'response.pdf', bytes: pdf('First response') }]);
    await finalize(first, manifestFor(first));
    const newDue = new Date(Date.now() + 10 * 86_400_000).toISOString();

    const review = await h.as('officer').post(`/notices/${first.noticeId}/review`);
    const asked = await h.as('officer').post(`/notices/${first.noticeId}/further-information`, {
      dueAt: newDue,
      reason: 'Break the figures down by month.',
    });
    const second = await openAndUpload([{ name: 'further.pdf', bytes: pdf('Monthly figures') }], first.noticeId);
    const filedAgain = await finalize(second, manifestFor(second));
    await h.as('officer').post(`/notices/${first.noticeId}/review`);
    const accepted = await h.as('officer').post(`/notices/${first.noticeId}/accept`, { reason: 'Complete.' });
    const closed = await h.as('officer').post(`/notices/${first.noticeId}/close`, {});
    const byPlatform = await h.as('x-corp-legal').post(`/notices/${first.noticeId}/review`);
    const afterClose = await h.as('x-corp-legal').post(`/notices/${first.noticeId}/submissions`, {
      files: [{ name: 'late.pdf', size: 10, sha256: 'a'.repeat(64) }],
    });
    const history = await h.as('officer').get(`/notices/${first.noticeId}/history`);

    expect(review.body.status).toBe('under-review');
    expect(asked.body).toMatchObject({ status: 'further-information-requested', dueAt: newDue });
    expect(asked.body.nextReminderAt).toBe(new Date(Date.parse(newDue) - 7 * 86_400_000).toISOString());
    expect(filedAgain.status).toBe(200);
    expect(filedAgain.body.receipt.number).not.toBe(undefined);
    expect(accepted.body.status).toBe('accepted');
    expect(closed.body).toMatchObject({ status: 'closed' });
    expect(closed.body.nextReminderAt).toBeUndefined();
    expect(byPlatform.status).toBe(403);
    expect(afterClose.status).toBe(409);
    expect(afterClose.body.error.message).toMatch(/closed; it does not accept a response/);
    expect(history.body.items.map((e: { kind: string }) => e.kind)).toEqual([
      'created',
      'issued',
      'submitted',
      'review-started',
      'further-information-requested',
      'submitted',
      'review-started',
      'accepted',
      'closed',
    ]);
    expect(verifyChain(history.body.items)).toEqual({ valid: true });
  });
});

describe('refusing a response that is wrong (and filing nothing)', () => {
  async function expectRefused(response: { status: number; body: any }, noticeId: string, pattern: RegExp) {
    expect(response.status).toBe(400);
    const text = response.body.error.issues
      .map((i: { path: string; message: string }) => `${i.path}: ${i.message}`)
      .join('\n');
    expect(text).toMatch(pattern);
    expect(await noticeStatus(noticeId)).toBe('issued');
  }

  it('refuses a manifest hash other than the one declared at open, naming the file', async () => {
    const opened = await openAndUpload([{ name: 'response.pdf', bytes: pdf('Real bytes') }]);
    const manifest = manifestFor(opened);
    defined(manifest.files[0], 'the manifest file').sha256 = sha256(pdf('Other bytes'));

    const response = await finalize(opened, manifest);
    const submission = await h.as('x-corp-legal').get(`/notices/${opened.noticeId}/submissions/${opened.submissionId}`);

    await expectRefused(
      response,
      opened.noticeId,
      /manifest\.files\.0\.sha256: "response\.pdf" was declared with SHA-256 [0-9a-f]{64} when the submission was opened/,
    );
    expect(submission.body).toMatchObject({ status: 'open' });
  });

  it('refuses a declared file that was never uploaded, and a manifest listing an extra file', async () => {
    const id = await issuedNotice();
    const opened = await h.as('x-corp-legal').post(`/notices/${id}/submissions`, {
      files: [{ name: 'response.pdf', size: 20, sha256: sha256(Buffer.alloc(20)) }],
    });
    const never: Opened = {
      noticeId: id,
      submissionId: opened.body.submission.submissionId,
      files: [{ name: 'response.pdf', bytes: Buffer.alloc(20) }],
      uploads: opened.body.uploads,
    };
    const uploaded = await openAndUpload([{ name: 'response.pdf', bytes: pdf('One file') }]);
    const extra = manifestFor(uploaded);
    extra.files.push({ name: 'secret-annex.pdf', size: 10, sha256: sha256(Buffer.alloc(10)) });

    await expectRefused(await finalize(never, manifestFor(never)), id, /has not been uploaded/);
    await expectRefused(await finalize(uploaded, extra), uploaded.noticeId, /"secret-annex\.pdf" was not uploaded/);
  });

  it('refuses a file over the 5 GiB limit when the submission is opened', async () => {
    const id = await issuedNotice();
    const response = await h.as('x-corp-legal').post(`/notices/${id}/submissions`, {
      files: [{ name: 'huge.zip', size: 5 * 1024 ** 3 + 1, sha256: 'a'.repeat(64) }],
    });
    expect(response.status).toBe(400);
    expect(response.body.error.issues[0]).toMatchObject({
      path: 'files.0.size',
      message: expect.stringMatching(/5 GiB/),
    });
  });

  it('refuses a manifest changed after signing', async () => {
    const opened = await openAndUpload([{ name: 'response.pdf', bytes: pdf('Tamper') }]);
    const manifest = manifestFor(opened);
    const signature = await sign(manifest);
    const tampered = { ...manifest, answers: [...manifest.answers.slice(0, 1), { question: '2', answer: 'Changed.' }] };

    await expectRefused(
      await finalize(opened, tampered, signature),
      opened.noticeId,
      /signature: does not match the manifest/,
    );
  });

  it('refuses a filing with a key revoked 60 s ago, though its manifest is back-dated 120 s', async () => {
    const key = await registeredKey('x-corp');
    const opened = await openAndUpload([{ name: 'response.pdf', bytes: pdf('Back-dated') }]);
    await h.as('admin').post(`/platforms/x-corp/signing-keys/${key.kid}/revoke`, {
      reason: 'Laptop stolen',
      effectiveAt: new Date(Date.now() - 60_000).toISOString(),
    });
    const manifest = manifestFor(opened, { signedAt: new Date(Date.now() - 120_000).toISOString() });

    await expectRefused(
      await finalize(opened, manifest, await sign(manifest, key)),
      opened.noticeId,
      /when the filing was received .* revoked/,
    );
  });

  it('refuses signatures by an unknown, a revoked and an expired key', async () => {
    const unknown = await newKey();
    const revoked = await registeredKey('x-corp');
    await h.as('admin').post(`/platforms/x-corp/signing-keys/${revoked.kid}/revoke`, {
      reason: 'Laptop stolen',
      effectiveAt: new Date(Date.now() - 60_000).toISOString(),
    });
    const expired = await registeredKey('x-corp', {
      validFrom: new Date(Date.now() - 2 * 86_400_000).toISOString(),
      validUntil: new Date(Date.now() - 86_400_000).toISOString(),
    });
    const opened = await openAndUpload([{ name: 'response.pdf', bytes: pdf('Keys') }]);
    const manifest = manifestFor(opened);

    await expectRefused(
      await finalize(opened, manifest, await sign(manifest, unknown)),
      opened.noticeId,
      /not registered/,
    );
    await expectRefused(await finalize(opened, manifest, await sign(manifest, revoked)), opened.noticeId, /revoked/);
    await expectRefused(await finalize(opened, manifest, await sign(manifest, expired)), opened.noticeId, /expired/);
  });

  it('refuses a signature made for another notice', async () => {
    const first = await openAndUpload([{ name: 'response.pdf', bytes: pdf('Replay') }]);
    const second = await openAndUpload([{ name: 'response.pdf', bytes: pdf('Replay') }]);
    const signedForFirst = manifestFor(first);
    const signature = await sign(signedForFirst);

    const replayed = await finalize(second, signedForFirst, signature);

    await expectRefused(replayed, second.noticeId, /manifest\.noticeId: the manifest was made for notice/);
  });

  it('refuses alg none, HS256 and a malformed JWS', async () => {
    const opened = await openAndUpload([{ name: 'response.pdf', bytes: pdf('Algorithms') }]);
    const manifest = manifestFor(opened);
    const header = (h: object) => Buffer.from(JSON.stringify(h)).toString('base64url');

    const none = `${header({ alg: 'none', kid: signer.kid })}..`;
    const hmac = `${header({ alg: 'HS256', kid: signer.kid })}..${Buffer.from('mac').toString('base64url')}`;

    await expectRefused(await finalize(opened, manifest, none), opened.noticeId, /signature:/);
    await expectRefused(await finalize(opened, manifest, hmac), opened.noticeId, /"HS256"; only EdDSA and ES256/);
    await expectRefused(await finalize(opened, manifest, 'not-a-jws'), opened.noticeId, /not a detached compact JWS/);
  });

  it('refuses unanswered questions without a reason', async () => {
    const opened = await openAndUpload([{ name: 'response.pdf', bytes: pdf('Gate') }]);
    const manifest = manifestFor(opened, {
      answers: [
        { question: '1', answer: 'Answered.' },
        { question: '2', cannotAnswer: { reason: 'No.' } },
      ],
    });
    const unanswered = manifestFor(opened, { answers: [{ question: '1', answer: 'Answered.' }] });

    await expectRefused(await finalize(opened, manifest), opened.noticeId, /cannotAnswer\.reason: must explain why/);
    await expectRefused(await finalize(opened, unanswered), opened.noticeId, /question 2 is unanswered/);
  });

  it('refuses a response to a withdrawn notice, and another platform’s submission as not found', async () => {
    const opened = await openAndUpload([{ name: 'response.pdf', bytes: pdf('Withdrawn') }]);
    const foreign = await finalize(opened, manifestFor(opened), undefined, 'videoshare-legal');
    await h.as('officer').post(`/notices/${opened.noticeId}/withdraw`, { reason: 'Withdrawn for this test.' });

    const late = await finalize(opened, manifestFor(opened));
    const reopen = await h
      .as('x-corp-legal')
      .post(`/notices/${opened.noticeId}/submissions`, { files: [{ name: 'a', size: 1, sha256: 'a'.repeat(64) }] });

    expect(foreign.status).toBe(404);
    expect(late.status).toBe(409);
    expect(late.body.error.message).toMatch(/withdrawn/);
    expect(reopen.status).toBe(409);
    expect(await noticeStatus(opened.noticeId)).toBe('withdrawn');
  });
});

describe('signing keys', () => {
  it('refuses one public key for a second platform (409) and JWK members a signing key does not have (400)', async () => {
    const key = await newKey('ES256');

    const forXCorp = await h.as('admin').post('/platforms/x-corp/signing-keys', { jwk: key.jwk });
    const forVideoshare = await h.as('admin').post('/platforms/videoshare/signing-keys', { jwk: key.jwk });
    const retried = await h.as('admin').post('/platforms/x-corp/signing-keys', { jwk: key.jwk });
    const other = await newKey('ES256');
    const encryption = await h
      .as('admin')
      .post('/platforms/x-corp/signing-keys', { jwk: { ...other.jwk, use: 'enc' } });
    const padded = await h
      .as('admin')
      .post('/platforms/x-corp/signing-keys', { jwk: { ...other.jwk, x5c: Array.from({ length: 5000 }, () => 1) } });
    const videoshareKeys = await h.as('admin').get('/platforms/videoshare/signing-keys');

    expect(forXCorp.status).toBe(201);
    expect(forVideoshare.status).toBe(409);
    expect(forVideoshare.body.error.message).toMatch(/already registered for platform x-corp/);
    expect(retried.status).toBe(200);
    expect(encryption.status).toBe(400);
    expect(encryption.body.error.issues).toEqual([{ path: 'jwk.use', message: expect.stringMatching(/"sig"/) }]);
    expect(padded.status).toBe(400);
    expect(padded.body.error.issues).toEqual([{ path: 'jwk.x5c', message: expect.any(String) }]);
    expect(videoshareKeys.body.items.map((k: { kid: string }) => k.kid)).not.toContain(key.kid);
  });

  it('lets only a regulator admin register and revoke keys, lists them, and refuses a private key', async () => {
    const key = await newKey('ES256');
    const { privateKey: _p, ...rest } = key;
    const privateJwk = await exportJWK(
      (await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true })).privateKey,
    );

    const byOfficer = await h.as('officer').post('/platforms/x-corp/signing-keys', { jwk: rest.jwk });
    const byAdmin = await h
      .as('admin')
      .post('/platforms/x-corp/signing-keys', { jwk: rest.jwk, label: 'Rotation 2026' });
    const again = await h.as('admin').post('/platforms/x-corp/signing-keys', { jwk: rest.jwk, label: 'Rotation 2026' });
    const withPrivate = await h.as('admin').post('/platforms/x-corp/signing-keys', { jwk: privateJwk });
    const listedByPlatform = await h.as('x-corp-legal').get('/platforms/x-corp/signing-keys');
    const listedByOther = await h.as('videoshare-legal').get('/platforms/x-corp/signing-keys');
    const revoked = await h
      .as('admin')
      .post(`/platforms/x-corp/signing-keys/${key.kid}/revoke`, { reason: 'Rotated out' });
    const revokedAgain = await h
      .as('admin')
      .post(`/platforms/x-corp/signing-keys/${key.kid}/revoke`, { reason: 'Twice' });

    expect(byOfficer.status).toBe(403);
    expect(byAdmin).toMatchObject({ status: 201, body: { kid: key.kid, alg: 'ES256' } });
    expect(again.status).toBe(200);
    expect(withPrivate.status).toBe(400);
    expect(withPrivate.body.error.issues[0].path).toBe('jwk.d');
    expect(listedByPlatform.body.items.map((k: { kid: string }) => k.kid)).toContain(key.kid);
    expect(listedByOther.status).toBe(404);
    expect(revoked.body.revocationReason).toBe('Rotated out');
    expect(revokedAgain.status).toBe(409);
  });
});
