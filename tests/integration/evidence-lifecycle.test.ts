import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompactSign } from 'jose';
import { ZipBundleReader } from '../../cli/zip-bundle-reader';
import { verifyBundle } from '../../lambdas/domain/bundle-verification';
import { canonicalJson } from '../../lambdas/domain/canonical-json';
import { SIGNATURE_TYPES } from '../../lambdas/domain/signature-types';
import { defined } from '../support/defined';
import { pollUntil } from '../support/poll';
import { type Harness, startHarness, transparencyDraft } from './support/portal-harness';
import {
  type Call,
  type OpenedResponse,
  pollUntilFiled,
  registeredSigner,
  signedFinalize,
} from './support/response-filing';

/**
 * The proof of the evidence as a whole: one notice taken through its whole lifecycle on the real local
 * portal (issued and signed, acknowledged with a countersignature, an extension asked for and granted, a response
 * filed, further information asked for, a second response filed, accepted), with checkpoints run along the way,
 * exported as an evidence bundle through the API, and verified offline by the verifier `verify-bundle` runs — with
 * the regulator's keys and the latest checkpoint fetched independently from the public endpoints.
 */
const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');
const HOUR = 3_600_000;

let harness: Harness;
let call: Call;
const folder = mkdtempSync(join(tmpdir(), 'evidence-lifecycle-'));
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
  rmSync(folder, { recursive: true, force: true });
});

async function ok(user: string, path: string, body?: unknown, expected = [200]) {
  const response = await call(user, 'POST', path, body);
  if (!expected.includes(response.status))
    throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** One checkpoint run now (POST /dev/checkpoints/run), which must sign a checkpoint: something changed since the last. */
async function runCheckpoint() {
  const run = await harness.anonymous().post('/dev/checkpoints/run');
  expect(run.status).toBe(200);
  expect(run.body.created.length).toBeGreaterThan(0);
}

/** Opens a submission on `noticeId` and uploads each file with a single presigned PUT. */
async function upload(noticeId: string, files: { name: string; bytes: Buffer }[]): Promise<OpenedResponse> {
  const opened = await ok(
    'x-corp-legal',
    `/notices/${noticeId}/submissions`,
    {
      files: files.map((f) => ({
        name: f.name,
        size: f.bytes.length,
        sha256: sha256(f.bytes),
        contentType: 'text/plain',
      })),
    },
    [201],
  );
  for (const u of opened.uploads) {
    expect(u.method).toBe('PUT');
    const put = await fetch(u.url, {
      method: 'PUT',
      body: new Uint8Array(defined(files[u.index], `file ${u.index}`).bytes),
      headers: { 'content-type': 'text/plain', ...u.headers },
    });
    expect(put.status).toBe(200);
  }
  return { noticeId, submissionId: opened.submission.submissionId, files };
}

async function file(noticeId: string, signer: Awaited<ReturnType<typeof registeredSigner>>, name: string) {
  const opened = await upload(noticeId, [{ name, bytes: Buffer.from(`${name}: the platform's answers\n`) }]);
  const path = `/notices/${noticeId}/submissions/${opened.submissionId}/finalize`;
  await ok('x-corp-legal', path, await signedFinalize(opened, signer), [200, 202]);
  return (await pollUntilFiled(call, opened)).body;
}

it('a notice through its whole lifecycle exports a bundle that verifies offline, every check passing', async () => {
  const signer = await registeredSigner(call);
  const draft = await ok('officer', '/notices', transparencyDraft('x-corp'), [201]);
  const noticeId: string = draft.id;
  const issued = await ok('officer', `/notices/${noticeId}/issue`);
  const signedNotice: string = defined(issued.signedNotice, 'signedNotice');
  await runCheckpoint();

  // Acknowledged with the platform's countersignature over the signed notice.
  const acknowledgement = await new CompactSign(
    new TextEncoder().encode(
      canonicalJson({
        typ: SIGNATURE_TYPES.acknowledgement.payload,
        noticeId,
        platformId: 'x-corp',
        signedNoticeSha256: sha256(signedNotice),
        acknowledgedAt: new Date().toISOString(),
      }),
    ),
  )
    .setProtectedHeader({ alg: 'EdDSA', kid: signer.kid, typ: SIGNATURE_TYPES.acknowledgement.header })
    .sign(signer.privateKey);
  await ok('x-corp-legal', `/notices/${noticeId}/acknowledge`, { signature: acknowledgement });

  const requestedDueAt = new Date(Date.parse(issued.dueAt) + 72 * HOUR).toISOString();
  const extension = await ok(
    'x-corp-legal',
    `/notices/${noticeId}/extensions`,
    { requestedDueAt, reason: 'The data warehouse migration blocks the figures until next week.' },
    [201],
  );
  const extensionId: string = defined(extension.extensions.at(-1), 'the extension').id;
  await ok('officer', `/notices/${noticeId}/extensions/${extensionId}/grant`, {
    reason: 'Reasonable in the circumstances.',
  });

  await file(noticeId, signer, 'first-response.txt');
  await runCheckpoint();
  await ok('officer', `/notices/${noticeId}/review`);
  await ok('officer', `/notices/${noticeId}/further-information`, {
    dueAt: new Date(Date.now() + 240 * HOUR).toISOString(),
    reason: 'Please break the figures down by month and by detection method.',
  });
  await file(noticeId, signer, 'further-information.txt');
  await ok('officer', `/notices/${noticeId}/review`);
  await ok('officer', `/notices/${noticeId}/accept`, {});
  await runCheckpoint();

  const history = (await call('officer', 'GET', `/notices/${noticeId}/history?limit=100`)).body.items;
  expect(history.map((e: { kind: string }) => e.kind)).toEqual([
    'created',
    'issued',
    'acknowledged',
    'extension-requested',
    'extension-granted',
    'submitted',
    'review-started',
    'further-information-requested',
    'submitted',
    'review-started',
    'accepted',
  ]);

  // Exported through the API, as a regulator would.
  const requested = await ok('officer', `/notices/${noticeId}/evidence-bundles`, { files: 'included' }, [202]);
  const ready = await pollUntil(
    () => harness.as('officer').get(`/notices/${noticeId}/evidence-bundles/${requested.bundleId}`),
    (r) => r.body.status !== 'building',
    { timeoutMs: 20_000, intervalMs: 100 },
  );
  expect(ready.body.status).toBe('ready');
  const zip = Buffer.from(await (await fetch(ready.body.downloadUrl)).arrayBuffer());
  const path = join(folder, 'bundle.zip');
  writeFileSync(path, zip);

  // What a third party fetches for itself, not from the bundle: the published keys and the latest checkpoint.
  const trustedKeys = (await harness.anonymous().get('/.well-known/regulator-keys.json')).body;
  const trustedCheckpoint = (await harness.anonymous().get('/checkpoints/latest')).body;
  const reader = await ZipBundleReader.open(path);
  const report = await verifyBundle(reader, { trustedKeys, trustedCheckpoint });
  const problems = report.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.problems.join('; ')}`);
  expect(problems).toEqual([]);
  expect(report.valid).toBe(true);
  expect(report.regulatorKeys.source).toBe('trusted');
  // Every kind of check had something to check in this bundle.
  const unexercised = report.checks.filter((c) => c.status !== 'pass').map((c) => c.id);
  expect(unexercised).toEqual([]);
});
