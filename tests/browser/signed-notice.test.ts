import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKey } from '../../cli/signing';
import { verifySignedNotice } from '../../lambdas/domain/notice-verification';
import { transparencyDraft } from '../integration/support/portal-harness';
import { type Call, openAndUpload } from '../integration/support/response-filing';
import { type BrowserWorld, startBrowserWorld } from './support/browser-portal';
import { signIn } from './support/sign-in';

/**
 * The signed notice on the platform's notice page: "Signed by the regulator" with the key id, the .jws to keep
 * (which verifies with the published keys), and "Acknowledge receipt" countersigned with the user's browser
 * signing key when one is registered — a plain acknowledgement when the browser holds none.
 */
let world: BrowserWorld;
let call: Call;
let dir: string;

beforeAll(async () => {
  world = await startBrowserWorld();
  const { harness } = world;
  call = (user, method, path, body) =>
    method === 'GET' ? harness.as(user).get(path) : harness.as(user).post(path, body);
  dir = mkdtempSync(join(tmpdir(), 'signed-notice-'));
}, 90_000);
afterEach(() => world.assertNoPageProblems());
afterAll(async () => {
  if (world) console.log(world.audit.summary());
  await world?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function issued(): Promise<{ id: string; signedNotice: string }> {
  const draft = await call('officer', 'POST', '/notices', transparencyDraft('x-corp'));
  return (await call('officer', 'POST', `/notices/${draft.body.id}/issue`)).body;
}

it('shows the regulator’s signature, offers the .jws, and acknowledges without a key as a plain acknowledgement', async () => {
  // Prepare
  const notice = await issued();
  const kid = JSON.parse(Buffer.from(notice.signedNotice.split('.')[0] as string, 'base64url').toString()).kid;
  const { page } = await world.open();
  await signIn(page, 'x-corp-legal', { path: `/notices/${notice.id}` });

  // Act
  const section = page.getByRole('region', { name: 'Signed by the regulator' });
  await section.getByText(kid).waitFor();
  await world.audit.check(page, 'notice page, signed notice');
  const downloading = page.waitForEvent('download');
  await section.getByRole('button', { name: 'Download signed notice (.jws)' }).click();
  const download = await downloading;
  const saved = join(dir, 'notice.jws');
  await download.saveAs(saved);
  await page.getByRole('button', { name: 'Acknowledge receipt' }).click();
  await page
    .getByText(/Receipt of ".*" acknowledged/)
    .first()
    .waitFor();

  // Assess
  expect(download.suggestedFilename()).toBe(`notice-${notice.id}.jws`);
  expect(readFileSync(saved, 'utf8')).toBe(notice.signedNotice);
  const keys = (await call('officer', 'GET', '/.well-known/regulator-keys.json')).body;
  expect(await verifySignedNotice(readFileSync(saved, 'utf8'), keys)).toMatchObject({ valid: true });
  const acknowledged = (await call('officer', 'GET', `/notices/${notice.id}`)).body;
  expect(acknowledged.status).toBe('acknowledged');
  expect(acknowledged.acknowledgementSignature).toBeUndefined();
});

it('countersigns the acknowledgement with the browser’s registered signing key', async () => {
  // Prepare: a keygen key imported into this browser (on the sign page, where keys are kept) and registered.
  const key = await generateSigningKey('ES256');
  const keyFile = join(dir, 'key.jwk');
  writeFileSync(keyFile, JSON.stringify(key.privateJwk));
  expect((await call('admin', 'POST', '/platforms/x-corp/signing-keys', { jwk: key.publicJwk })).status).toBe(201);
  const opened = await openAndUpload(call, [{ name: 'r.pdf', bytes: Buffer.from(`%PDF-1.7\n${Date.now()}\n`) }]);
  await call('x-corp-legal', 'POST', `/notices/${opened.noticeId}/response-draft`, {
    expectedVersion: 0,
    answers: [
      { question: '1', answer: 'We hash-match every upload.' },
      { question: '2', cannotAnswer: { reason: 'Not measured.' } },
    ],
    signer: { name: 'Xavier Counsel' },
    submissionId: opened.submissionId,
  });
  const { page } = await world.open();
  await signIn(page, 'x-corp-legal', { path: `/notices/${opened.noticeId}/respond/sign` });
  const choosing = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: /Import a key file made with the CLI/ }).click();
  await (await choosing).setFiles(keyFile);
  await page.getByTestId('key-registration').getByText('Registered: active').waitFor();
  const notice = await issued();

  // Act
  await page.goto(`/notices/${notice.id}`);
  await page.getByText(`Your acknowledgement will be countersigned with your signing key ${key.kid}.`).waitFor();
  await page.getByRole('button', { name: 'Acknowledge receipt' }).click();
  await page.getByText(`countersigned with key ${key.kid}`).first().waitFor();
  await world.audit.check(page, 'notice page, countersigned acknowledgement');

  // Assess
  const history = (await call('officer', 'GET', `/notices/${notice.id}/history`)).body;
  const event = history.items.find((e: { kind: string }) => e.kind === 'acknowledged');
  expect(event.data).toEqual({ signature: expect.any(String), kid: key.kid });
});
