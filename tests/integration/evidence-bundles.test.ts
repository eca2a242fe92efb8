import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZipBundleReader } from '../../cli/zip-bundle-reader';
import { verifyBundle } from '../../lambdas/domain/bundle-verification';
import { pollUntil } from '../support/poll';
import { readZip } from '../support/read-zip';
import { runNode } from '../support/run-node';
import { type Harness, startHarness, transparencyDraft } from './support/portal-harness';
import {
  type Call,
  finalizePath,
  openAndUpload,
  pollUntilFiled,
  registeredSigner,
  signedFinalize,
} from './support/response-filing';

/**
 * Evidence bundles against the real local portal (embedded DynamoDB and S3 behind the signature guard): a filed
 * notice exported with its files and with hashes only, opened with yauzl and checked entry by entry against the
 * manifest; who may request and read a bundle; and idempotent requests.
 */
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let harness: Harness;
let call: Call;
beforeAll(async () => {
  harness = await startHarness();
  call = async (user, method, path, body) => {
    const client = harness.as(user);
    const response = method === 'GET' ? await client.get(path) : await client.post(path, body);
    return { status: response.status, body: response.body };
  };
});
afterAll(async () => {
  await harness?.stop();
});

const pdf = Buffer.from('%PDF-1.7\nAnswers to the transparency notice\n%%EOF\n');
const csv = Buffer.from('category,count\nreports,12\n');

async function filedNotice() {
  const signer = await registeredSigner(call);
  const opened = await openAndUpload(call, [
    { name: 'response.pdf', bytes: pdf },
    { name: 'figures.csv', bytes: csv },
  ]);
  const finalized = await call('x-corp-legal', 'POST', finalizePath(opened), await signedFinalize(opened, signer));
  expect([200, 202]).toContain(finalized.status);
  const filed = await pollUntilFiled(call, opened);
  expect(filed.body.receipt).toBeDefined();
  return opened;
}

async function exportBundle(user: string, noticeId: string, files: 'included' | 'hashes-only') {
  const requested = await harness.as(user).post(`/notices/${noticeId}/evidence-bundles`, { files });
  expect(requested.status).toBe(202);
  expect(requested.headers.get('location')).toBe(`/notices/${noticeId}/evidence-bundles/${requested.body.bundleId}`);
  expect(requested.body).toMatchObject({ status: 'building', files, noticeId });
  const ready = await pollUntil(
    () => harness.as(user).get(`/notices/${noticeId}/evidence-bundles/${requested.body.bundleId}`),
    (r) => r.body.status !== 'building',
    { timeoutMs: 15_000, intervalMs: 50 },
  );
  expect(ready.body.status).toBe('ready');
  const download = await fetch(ready.body.downloadUrl);
  expect(download.status).toBe(200);
  const zip = Buffer.from(await download.arrayBuffer());
  expect(ready.body.size).toBe(zip.length);
  expect(ready.body.sha256).toBe(sha256(zip));
  return { bundle: ready.body, zip, entries: await readZip(zip) };
}

function checkManifest(entries: { path: string; bytes: Buffer }[]) {
  const last = entries.at(-1);
  expect(last?.path).toBe('manifest.json');
  const manifest = JSON.parse(String(last?.bytes));
  expect(manifest.entries).toEqual(
    entries.slice(0, -1).map((e) => ({ path: e.path, size: e.bytes.length, sha256: sha256(e.bytes) })),
  );
  return manifest;
}

it('exports a filed notice with its files: every entry in order, the manifest last with each hash', async () => {
  // Prepare
  const opened = await filedNotice();
  // Act
  const { entries } = await exportBundle('officer', opened.noticeId, 'included');
  // Assess
  const sid = opened.submissionId;
  expect(entries.map((e) => e.path)).toEqual([
    'notice/notice.json',
    'notice/events.json',
    'notice/signed-notice.jws',
    `submissions/${sid}/submission.json`,
    `submissions/${sid}/manifest.json`,
    `submissions/${sid}/signature.jws`,
    `submissions/${sid}/receipt.jws`,
    `submissions/${sid}/files/response.pdf`,
    `submissions/${sid}/files/figures.csv`,
    'keys/regulator-keys.json',
    'keys/platform-keys.json',
    'checkpoints/checkpoints.json',
    'checkpoints/proofs.json',
    'deadline/rule.json',
    'deadline/holidays.json',
    'manifest.json',
  ]);
  const manifest = checkManifest(entries);
  expect(manifest).toMatchObject({
    format: 'notice-portal-evidence-bundle',
    version: 1,
    noticeId: opened.noticeId,
    platformId: 'x-corp',
    files: 'included',
  });
  const byPath = new Map(entries.map((e) => [e.path, e.bytes]));
  expect(byPath.get(`submissions/${sid}/files/response.pdf`)).toEqual(pdf);
  expect(byPath.get(`submissions/${sid}/files/figures.csv`)).toEqual(csv);
  const submission = (await call('officer', 'GET', `/notices/${opened.noticeId}/submissions/${sid}`)).body;
  // The manifest is the bytes the platform signed; the signature and receipt are as filed.
  expect(sha256(byPath.get(`submissions/${sid}/manifest.json`) as Buffer)).toBe(submission.finalize.manifestSha256);
  expect(String(byPath.get(`submissions/${sid}/signature.jws`))).toBe(submission.finalize.signature);
  expect(String(byPath.get(`submissions/${sid}/receipt.jws`))).toBe(submission.receipt.jws);
  const history = (await call('officer', 'GET', `/notices/${opened.noticeId}/history`)).body.items;
  expect(JSON.parse(String(byPath.get('notice/events.json')))).toEqual(history);
  const keys = (await harness.anonymous().get('/.well-known/regulator-keys.json')).body;
  expect(JSON.parse(String(byPath.get('keys/regulator-keys.json')))).toEqual(keys);
  const notice = (await call('officer', 'GET', `/notices/${opened.noticeId}`)).body;
  expect(String(byPath.get('notice/signed-notice.jws'))).toBe(notice.signedNotice);
  const platformKeys = JSON.parse(String(byPath.get('keys/platform-keys.json')));
  expect(platformKeys.platformId).toBe('x-corp');
  expect(platformKeys.log.map((e: { kind: string }) => e.kind)).toContain('key-registered');
  expect(JSON.parse(String(byPath.get('deadline/rule.json')))).toEqual({
    timeZone: notice.timeZone,
    jurisdiction: notice.jurisdiction,
    ...(notice.deadlineRule && { deadlineRule: notice.deadlineRule }),
    givenAt: notice.givenAt,
  });
  const holidays = JSON.parse(String(byPath.get('deadline/holidays.json')));
  const year = new Date(notice.givenAt).getUTCFullYear();
  expect(holidays.description).toMatch(/date-holidays \d+\.\d+\.\d+/);
  expect(holidays.dates[`${year}-12-25`]).toBe('Christmas Day');
  expect(holidays.dates[`${year + 1}-01-01`]).toBe("New Year's Day");
});

it('exports a notice to a platform with no signing key yet as a bundle that verifies', async () => {
  // Prepare: videoshare has registered no key, so its key log is empty (and so may the checkpoints be)
  const draft = await harness.as('officer').post('/notices', transparencyDraft('videoshare'));
  expect((await harness.as('officer').post(`/notices/${draft.body.id}/issue`)).status).toBe(200);
  const folder = mkdtempSync(join(tmpdir(), 'evidence-no-key-'));
  // Act
  const { entries, zip } = await exportBundle('officer', draft.body.id, 'included');
  const path = join(folder, 'bundle.zip');
  writeFileSync(path, zip);
  const report = await verifyBundle(await ZipBundleReader.open(path));
  // Assess: the entries the verifier requires are there, empty, and nothing fails
  const byPath = new Map(entries.map((e) => [e.path, e.bytes]));
  expect(JSON.parse(String(byPath.get('keys/platform-keys.json')))).toEqual({ platformId: 'videoshare', log: [] });
  expect(byPath.has('checkpoints/checkpoints.json')).toBe(true);
  expect(byPath.has('checkpoints/proofs.json')).toBe(true);
  expect(report.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.problems.join('; ')}`)).toEqual([]);
  expect(report.valid).toBe(true);
  rmSync(folder, { recursive: true, force: true });
});

it('exports hashes only: no file bytes, the same manifest, signature and receipt (the platform, its own)', async () => {
  const opened = await filedNotice();
  const { entries, bundle } = await exportBundle('x-corp-legal', opened.noticeId, 'hashes-only');
  expect(bundle.requestedBy).toMatchObject({ role: 'platform-responder', platformId: 'x-corp' });
  expect(entries.some((e) => e.path.includes('/files/'))).toBe(false);
  expect(entries.map((e) => e.path)).toContain(`submissions/${opened.submissionId}/manifest.json`);
  expect(checkManifest(entries).files).toBe('hashes-only');
});

it('shows bundles to regulators and the notice’s platform only; drafts have none', async () => {
  const opened = await filedNotice();
  const requested = await harness.as('officer').post(`/notices/${opened.noticeId}/evidence-bundles`, {
    files: 'hashes-only',
  });
  const path = `/notices/${opened.noticeId}/evidence-bundles/${requested.body.bundleId}`;
  expect((await harness.as('x-corp-legal').get(path)).status).toBe(200);
  expect((await harness.as('videoshare-legal').get(path)).status).toBe(404);
  const other = await harness.as('videoshare-legal').post(`/notices/${opened.noticeId}/evidence-bundles`, {
    files: 'included',
  });
  expect(other.status).toBe(404);
  const draft = await harness.as('officer').post('/notices', transparencyDraft('x-corp'));
  expect(
    (await harness.as('x-corp-legal').post(`/notices/${draft.body.id}/evidence-bundles`, { files: 'included' })).status,
  ).toBe(404);
  expect(
    (await harness.as('officer').post(`/notices/${draft.body.id}/evidence-bundles`, { files: 'included' })).status,
  ).toBe(409);
  const bad = await harness.as('officer').post(`/notices/${opened.noticeId}/evidence-bundles`, { files: 'all' });
  expect(bad.status).toBe(400);
  expect(bad.body.error.issues[0].path).toBe('files');
  await pollUntil(
    () => harness.as('officer').get(path),
    (r) => r.body.status === 'ready',
    { timeoutMs: 15_000, intervalMs: 50 },
  );
});

it('returns the same bundle for the same Idempotency-Key, and refuses the key for other files', async () => {
  const opened = await filedNotice();
  const url = `/notices/${opened.noticeId}/evidence-bundles`;
  const headers = { 'idempotency-key': 'bundle-request-0001' };
  const first = await harness.as('officer').post(url, { files: 'included' }, headers);
  const again = await harness.as('officer').post(url, { files: 'included' }, headers);
  expect(first.status).toBe(202);
  expect(again.status).toBe(202);
  expect(again.body.bundleId).toBe(first.body.bundleId);
  const otherFiles = await harness.as('officer').post(url, { files: 'hashes-only' }, headers);
  expect(otherFiles.status).toBe(409);
  const fresh = await harness.as('officer').post(url, { files: 'included' });
  expect(fresh.body.bundleId).not.toBe(first.body.bundleId);
  for (const id of [first.body.bundleId, fresh.body.bundleId]) {
    await pollUntil(
      () => harness.as('officer').get(`${url}/${id}`),
      (r) => r.body.status === 'ready',
      { timeoutMs: 15_000, intervalMs: 50 },
    );
  }
});

describe('notice-portal export-bundle', () => {
  const CLI = [require.resolve('tsx/cli'), join(__dirname, '..', '..', 'cli', 'main.ts')];
  const run = (args: string[], user: string) =>
    harness.portal.identity
      .tokenFor(user)
      .then((token) =>
        runNode([...CLI, ...args], { NOTICE_PORTAL_API: harness.portal.url, NOTICE_PORTAL_TOKEN: token }),
      );

  it('requests, waits for and downloads a bundle, checked against its recorded hash', async () => {
    // Prepare
    const opened = await filedNotice();
    const folder = mkdtempSync(join(tmpdir(), 'notice-portal-bundle-'));
    const out = join(folder, 'evidence.zip');
    // Act
    const withFiles = await run(['export-bundle', opened.noticeId, '--out', out], 'x-corp-legal');
    const hashesOnly = await run(['export-bundle', opened.noticeId, '--hashes-only', '--json'], 'officer');
    // Assess
    expect(withFiles).toMatchObject({ code: 0, stdout: `${out}\n` });
    expect(withFiles.stderr).toMatch(/Requested evidence bundle bdl_\w+ \(files included\)/);
    const entries = await readZip(readFileSync(out));
    checkManifest(entries);
    expect(entries.some((e) => e.path.endsWith('/files/response.pdf'))).toBe(true);
    expect(hashesOnly.code).toBe(0);
    const printed = JSON.parse(hashesOnly.stdout);
    expect(printed).toMatchObject({ status: 'ready', files: 'hashes-only' });
    const saved = readFileSync(printed.path);
    expect(sha256(saved)).toBe(printed.sha256);
    expect((await readZip(saved)).some((e) => e.path.includes('/files/'))).toBe(false);
    rmSync(printed.path);
    rmSync(folder, { recursive: true, force: true });
  });

  it('fails with the portal’s answer for another platform’s notice, and refuses a malformed id', async () => {
    const opened = await filedNotice();
    const refused = await run(['export-bundle', opened.noticeId], 'videoshare-legal');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/not found/i);
    const usage = await run(['export-bundle', 'not-a-notice'], 'officer');
    expect(usage.code).toBe(2);
  });
});
