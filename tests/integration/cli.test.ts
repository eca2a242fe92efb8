import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { defined } from '../support/defined';
import { type NodeRun, runNode } from '../support/run-node';
import { type Harness, startHarness, transparencyDraft } from './support/portal-harness';

/**
 * The `notice-portal` CLI as a platform's legal team runs it: a child process against the real local portal
 * (embedded DynamoDB and S3), filing a folder with a small file and one large enough for a multipart upload.
 */
const MiB = 1024 * 1024;
/** Just over the single-PUT limit (SINGLE_PUT_MAX_BYTES), so the portal asks for a multipart upload. */
const LARGE_FILE_BYTES = 64 * MiB + 4096;
const COVER_LETTER = 'X Corp responds to the notice as follows.\n';
const CLI = [require.resolve('tsx/cli'), join(__dirname, '..', '..', 'cli', 'main.ts')];

let h: Harness;
let work: string;
beforeAll(async () => {
  h = await startHarness();
  work = mkdtempSync(join(tmpdir(), 'notice-portal-cli-'));
});
afterAll(async () => {
  await h?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

type Run = NodeRun;

/** Runs the CLI without blocking this process, which serves the portal the CLI talks to. */
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return runNode([...CLI, ...args], { NOTICE_PORTAL_API: h.portal.url, ...env });
}

async function platformEnv(): Promise<Record<string, string>> {
  return { NOTICE_PORTAL_TOKEN: await h.portal.identity.tokenFor('x-corp-legal') };
}

async function issuedNotice(): Promise<string> {
  const officer = h.as('officer');
  const created = await officer.post('/notices', transparencyDraft('x-corp'));
  expect(created.status).toBe(201);
  const issued = await officer.post(`/notices/${created.body.id}/issue`);
  expect(issued.status).toBe(200);
  return created.body.id;
}

/** A key made by the CLI, its public half registered for x-corp by a regulator admin. */
async function registeredKey(name: string): Promise<string> {
  const keyFile = join(work, `${name}.jwk`);
  const publicFile = join(work, `${name}.pub.jwk`);
  const made = await cli(['keygen', '--out', keyFile, '--public-out', publicFile, '--json']);
  expect(made).toEqual(expect.objectContaining({ code: 0 }));
  const registered = await h.as('admin').post('/platforms/x-corp/signing-keys', {
    jwk: JSON.parse(readFileSync(publicFile, 'utf8')),
  });
  expect(registered.status).toBeLessThan(300);
  expect(registered.body).toMatchObject({ kid: JSON.parse(made.stdout).kid });
  return keyFile;
}

/** Written in 1 MiB chunks, each different, so no part of the upload is a copy of another. */
async function writeLargeFile(path: string, size: number): Promise<void> {
  async function* chunks() {
    for (let offset = 0, i = 0; offset < size; offset += MiB, i++)
      yield Buffer.alloc(Math.min(MiB, size - offset), i % 251);
  }
  await pipeline(Readable.from(chunks()), createWriteStream(path));
}

async function responseFolder(name: string): Promise<{ dir: string; answers: string }> {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'a-cover-letter.txt'), COVER_LETTER);
  await writeLargeFile(join(dir, 'b-moderation-logs.bin'), LARGE_FILE_BYTES);
  const answers = join(work, `${name}-answers.json`);
  writeFileSync(
    answers,
    JSON.stringify([
      { question: '1', answer: 'Hash matching against known material, and classifiers for new material.' },
      { question: '2', cannotAnswer: { reason: 'The time to action a report is not recorded per report.' } },
    ]),
  );
  return { dir, answers };
}

function submitArgs(noticeId: string, folder: { dir: string; answers: string }, key: string, ...extra: string[]) {
  return [
    'submit',
    '--notice',
    noticeId,
    '--dir',
    folder.dir,
    '--answers',
    folder.answers,
    '--key',
    key,
    '--signer-name',
    'Xavier Counsel',
    '--signer-title',
    'General Counsel',
    '--json',
    ...extra,
  ];
}

function stateOf(dir: string) {
  return JSON.parse(readFileSync(join(dir, '.notice-portal-upload.json'), 'utf8'));
}

describe('notice-portal submit', () => {
  it('files a folder with a small and a multipart file, saves a receipt that verifies, and the notice is submitted', async () => {
    // Prepare
    const noticeId = await issuedNotice();
    const key = await registeredKey('filing-key');
    const folder = await responseFolder('filing');

    // Act
    const filed = await cli(submitArgs(noticeId, folder, key), await platformEnv());
    const result = JSON.parse(filed.stdout || '{}');
    const verified = await cli(['verify-receipt', result.receiptFile, '--dir', folder.dir]);
    const notice = await h.as('officer').get(`/notices/${noticeId}`);

    // Assess
    expect(filed).toEqual(expect.objectContaining({ code: 0 }));
    expect(result).toMatchObject({ noticeId, receiptNumber: expect.stringMatching(/^NRP-\d{4}-/), onTime: true });
    expect(readdirSync(folder.dir)).toContain(`receipt-${result.receiptNumber}.jws`);
    expect(result.transfer).toMatchObject({
      filesUploaded: 2,
      partsAlreadyStored: 0,
      bytesUploaded: LARGE_FILE_BYTES + COVER_LETTER.length,
    });
    expect(result.transfer.partsUploaded).toBeGreaterThanOrEqual(2);
    expect(verified).toEqual(expect.objectContaining({ code: 0 }));
    expect(verified.stdout).toContain(`Receipt ${result.receiptNumber}: signature valid (ES256`);
    expect(verified.stdout).toMatch(/ok\s+a-cover-letter\.txt/);
    expect(verified.stdout).toMatch(/ok\s+b-moderation-logs\.bin/);
    expect(notice.body.status).toBe('submitted');
  }, 180_000);

  it('resumes an interrupted multipart upload, sending only the parts the portal does not have', async () => {
    // Prepare: the first run stops after one part of the large file (test hook), one part in flight at a time.
    const noticeId = await issuedNotice();
    const key = await registeredKey('resume-key');
    const folder = await responseFolder('resume');
    const env = await platformEnv();
    const interrupted = await cli(submitArgs(noticeId, folder, key, '--parallel', '1'), {
      ...env,
      NOTICE_PORTAL_TEST_FAIL_AFTER_PARTS: '1',
    });
    const afterInterruption = stateOf(folder.dir);
    const large = afterInterruption.files.find((f: { name: string }) => f.name === 'b-moderation-logs.bin');

    // Act
    const resumed = await cli(submitArgs(noticeId, folder, key), env);
    const result = JSON.parse(resumed.stdout || '{}');
    const verified = await cli(['verify-receipt', result.receiptFile, '--dir', folder.dir]);

    // Assess
    expect(interrupted).toMatchObject({
      code: 3,
      stderr: expect.stringContaining('NOTICE_PORTAL_TEST_FAIL_AFTER_PARTS'),
    });
    expect(large).toMatchObject({
      done: false,
      parts: [{ partNumber: 1, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }],
    });
    expect(large.multipart.partCount).toBeGreaterThanOrEqual(2);
    expect(afterInterruption.files.find((f: { name: string }) => f.name === 'a-cover-letter.txt').done).toBe(true);
    expect(resumed).toEqual(expect.objectContaining({ code: 0 }));
    expect(resumed.stderr).not.toContain('could not list the stored parts'); // resumed from the portal's own list
    expect(resumed.stderr).toContain(`resuming; 1 of ${large.multipart.partCount} parts already stored`);
    expect(result.transfer).toEqual({
      filesUploaded: 1,
      filesAlreadyStored: 1,
      partsUploaded: large.multipart.partCount - 1,
      partsAlreadyStored: 1,
      bytesUploaded: LARGE_FILE_BYTES - large.multipart.partSize,
    });
    expect(verified).toEqual(expect.objectContaining({ code: 0 }));
    expect((await h.as('officer').get(`/notices/${noticeId}`)).body.status).toBe('submitted');
  }, 180_000);

  it('files a response of answers only from an empty folder with --no-files, and refuses the folder without it', async () => {
    // Prepare
    const noticeId = await issuedNotice();
    const key = await registeredKey('answers-only-key');
    const folder = { dir: join(work, 'answers-only'), answers: join(work, 'answers-only-answers.json') };
    mkdirSync(folder.dir);
    writeFileSync(
      folder.answers,
      JSON.stringify([
        { question: '1', answer: 'Hash matching.' },
        { question: '2', answer: 'Four hours.' },
      ]),
    );
    const env = await platformEnv();

    // Act
    const refused = await cli(submitArgs(noticeId, folder, key), env);
    const opened = await h.as('x-corp-legal').get(`/notices/${noticeId}/submissions`);
    const filed = await cli(submitArgs(noticeId, folder, key, '--no-files'), env);
    const result = JSON.parse(filed.stdout || '{}');
    const verified = await cli(['verify-receipt', result.receiptFile ?? '']);
    const submission = await h.as('officer').get(`/notices/${noticeId}/submissions/${result.submissionId}`);

    // Assess
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    expect(refused.stderr).toContain('pass --no-files');
    expect(opened.body.items).toEqual([]);
    expect(filed).toEqual(expect.objectContaining({ code: 0 }));
    expect(result).toMatchObject({ noticeId, receiptNumber: expect.stringMatching(/^NRP-\d{4}-/) });
    expect(result.transfer).toMatchObject({ filesUploaded: 0, bytesUploaded: 0 });
    expect(verified).toEqual(expect.objectContaining({ code: 0 }));
    expect(verified.stdout).toContain('files (0)');
    expect(submission.body).toMatchObject({ status: 'filed', files: [] });
    expect((await h.as('officer').get(`/notices/${noticeId}`)).body.status).toBe('submitted');
  }, 60_000);

  it('refuses before uploading anything when a question is left unanswered', async () => {
    const noticeId = await issuedNotice();
    const key = await registeredKey('incomplete-key');
    const dir = join(work, 'incomplete');
    mkdirSync(dir);
    writeFileSync(join(dir, 'letter.txt'), 'Partial response.\n');
    const answers = join(work, 'incomplete-answers.json');
    writeFileSync(answers, JSON.stringify([{ question: '1', answer: 'Hash matching.' }]));

    const run = await cli(submitArgs(noticeId, { dir, answers }, key), await platformEnv());

    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toContain('question 2 is unanswered');
    expect(readdirSync(dir)).toEqual(['letter.txt']);
  }, 60_000);

  it('refuses before uploading anything when the signing key is not registered', async () => {
    const noticeId = await issuedNotice();
    const unregistered = join(work, 'unregistered.jwk');
    expect(await cli(['keygen', '--out', unregistered])).toEqual(expect.objectContaining({ code: 0 }));
    const folder = { dir: join(work, 'unregistered'), answers: join(work, 'unregistered-answers.json') };
    mkdirSync(folder.dir);
    writeFileSync(join(folder.dir, 'letter.txt'), 'Response.\n');
    writeFileSync(
      folder.answers,
      JSON.stringify([
        { question: '1', answer: 'Hash matching.' },
        { question: '2', answer: 'Four hours.' },
      ]),
    );

    const run = await cli(submitArgs(noticeId, folder, unregistered), await platformEnv());

    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toMatch(/signing key \S+ is not registered for x-corp/);
  }, 60_000);
});

describe('notice-portal verify-receipt', () => {
  it('says why a receipt whose claims were altered is invalid, and exits 1', async () => {
    const noticeId = await issuedNotice();
    const key = await registeredKey('tamper-key');
    const dir = join(work, 'tamper');
    mkdirSync(dir);
    writeFileSync(join(dir, 'letter.txt'), 'Response.\n');
    const answers = join(work, 'tamper-answers.json');
    writeFileSync(
      answers,
      JSON.stringify([
        { question: '1', answer: 'Hash matching.' },
        { question: '2', answer: 'Four hours.' },
      ]),
    );
    const filed = await cli(submitArgs(noticeId, { dir, answers }, key), await platformEnv());
    expect(filed).toEqual(expect.objectContaining({ code: 0 }));
    const receiptFile = JSON.parse(filed.stdout).receiptFile;
    const [header, payload, signature] = readFileSync(receiptFile, 'utf8').trim().split('.');
    const claims = JSON.parse(Buffer.from(defined(payload, 'the receipt payload'), 'base64url').toString('utf8'));
    const forged = join(work, 'forged.jws');
    writeFileSync(
      forged,
      `${header}.${Buffer.from(JSON.stringify({ ...claims, onTime: !claims.onTime })).toString('base64url')}.${signature}`,
    );
    writeFileSync(join(dir, 'letter.txt'), 'Responses\n'); // same size, different bytes

    const forgedRun = await cli(['verify-receipt', forged]);
    const editedRun = await cli(['verify-receipt', receiptFile, '--dir', dir]);

    expect(forgedRun).toMatchObject({ code: 1, stderr: expect.stringContaining('the signature does not match') });
    expect(editedRun.code).toBe(1);
    expect(editedRun.stdout).toContain(
      `MISMATCH  letter.txt: has SHA-256 ${createHash('sha256').update('Responses\n').digest('hex')}`,
    );
  }, 60_000);
});
