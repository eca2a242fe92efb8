import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { generateSigningKey, loadSigningKey, signManifest } from '../../cli/signing';
import {
  type Call,
  finalizePath,
  type OpenedResponse,
  openAndUpload,
  pollUntilFiled,
} from '../integration/support/response-filing';
import { type BrowserWorld, startBrowserWorld } from './support/browser-portal';
import { signIn } from './support/sign-in';

/**
 * The sign step in Chromium against the real local portal: a key made in the browser (WebCrypto, kept
 * non-extractable in IndexedDB) is registered by the admin from the public JWK the page shows, signs the manifest,
 * and the portal's finalize accepts what the page handed to the file step; then the same with a signature made by
 * the CLI (`sign-manifest`'s code) for the manifest the page downloaded.
 */
let world: BrowserWorld;
let call: Call;
let dir: string;

beforeAll(async () => {
  world = await startBrowserWorld();
  const { harness } = world;
  call = (user, method, path, body) =>
    method === 'GET' ? harness.as(user).get(path) : harness.as(user).post(path, body);
  dir = mkdtempSync(join(tmpdir(), 'sign-step-'));
}, 90_000);
afterEach(() => world.assertNoPageProblems());
afterAll(async () => {
  if (world) console.log(world.audit.summary());
  await world?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A notice with its files uploaded and the draft answered, a signer named: ready to sign. */
async function preparedResponse(): Promise<OpenedResponse> {
  const opened = await openAndUpload(call, [
    { name: 'response.pdf', bytes: Buffer.from(`%PDF-1.7\n${Date.now()}\n%%EOF\n`) },
  ]);
  const saved = await call('x-corp-legal', 'POST', `/notices/${opened.noticeId}/response-draft`, {
    expectedVersion: 0,
    answers: [
      { question: '1', answer: 'We hash-match every upload.' },
      { question: '2', cannotAnswer: { reason: 'We do not measure the time to action per report.' } },
    ],
    signer: { name: 'Xavier Counsel', title: 'General Counsel' },
    submissionId: opened.submissionId,
  });
  if (saved.status !== 200) throw new Error(`draft not saved: ${JSON.stringify(saved.body)}`);
  return opened;
}

async function handedOver(page: Page, opened: OpenedResponse) {
  await page.waitForURL((url) => url.pathname === `/notices/${opened.noticeId}/respond/file`);
  const held = await page.evaluate(
    (key) =>
      (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem(key),
    `signed-response:${opened.noticeId}:${opened.submissionId}`,
  );
  return JSON.parse(held as string) as { manifest: unknown; signature: string };
}

async function fileIt(opened: OpenedResponse, body: { manifest: unknown; signature: string }) {
  const finalized = await call('x-corp-legal', 'POST', finalizePath(opened), body);
  expect([200, 202]).toContain(finalized.status);
  const filed = await pollUntilFiled(call, opened);
  expect(filed.body.status).toBe('filed');
}

describe('signing a response in the browser', () => {
  it('makes a key, shows it for registration, signs, and the portal accepts the signed response', async () => {
    const opened = await preparedResponse();
    const { page } = await world.open();
    await signIn(page, 'x-corp-legal', { path: `/notices/${opened.noticeId}/respond/sign` });
    await page.setViewportSize({ width: 390, height: 844 }); // phone width from here on
    await page.getByRole('heading', { name: 'Sign the response', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Generate a new signing key' }).click();
    const thumbprint = (await page.getByTestId('key-thumbprint').textContent()) as string;
    await page.getByTestId('sign-result').getByText(`id ${thumbprint}`).waitFor();
    await page.getByTestId('key-registration').getByText('Not registered').waitFor();
    await world.audit.check(page, 'sign step, key not registered');
    const jwk = JSON.parse((await page.getByTestId('public-jwk').textContent()) as string);
    expect(Object.keys(jwk).sort()).toEqual(['crv', 'kty', 'x']);

    const registered = await call('admin', 'POST', '/platforms/x-corp/signing-keys', { jwk });
    expect(registered.status).toBe(201);
    expect(registered.body.kid).toBe(thumbprint);

    await page.reload(); // the key survives: it is in IndexedDB
    await page.getByTestId('key-registration').getByText('Registered: active').waitFor();
    await page.getByText('Show the manifest that will be signed').click();
    await world.audit.check(page, 'sign step, ready');
    await page.getByRole('button', { name: 'Sign the response' }).click();
    const signed = await handedOver(page, opened);
    expect(Object.keys(signed).sort()).toEqual(['manifest', 'signature']);
    await fileIt(opened, signed);
  });

  it('imports a keygen key file and signs byte for byte what the CLI signs with that key', async () => {
    const opened = await preparedResponse();
    const key = await generateSigningKey('EdDSA');
    const keyFile = join(dir, 'import.jwk');
    writeFileSync(keyFile, JSON.stringify(key.privateJwk, null, 2));
    expect((await call('admin', 'POST', '/platforms/x-corp/signing-keys', { jwk: key.publicJwk })).status).toBe(201);

    const { page } = await world.open();
    await signIn(page, 'x-corp-legal', { path: `/notices/${opened.noticeId}/respond/sign` });
    // AgDS's file input is a button that opens the chooser (the native input is hidden).
    const choosing = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: /Import a key file made with the CLI/ }).click();
    await (await choosing).setFiles(keyFile);
    await page.getByTestId('sign-result').getByText('you can delete import.jwk').waitFor();
    expect(await page.getByTestId('key-thumbprint').textContent()).toBe(key.kid);
    await page.getByTestId('key-registration').getByText('Registered: active').waitFor();
    await page.getByRole('button', { name: 'Sign the response' }).click();
    const signed = await handedOver(page, opened);
    // Ed25519 is deterministic: the CLI signing the browser's manifest with the same key gives the same JWS.
    expect(await signManifest(signed.manifest as never, await loadSigningKey(keyFile))).toBe(signed.signature);
    await fileIt(opened, signed);
  });

  it('attaches a signature made with the CLI for the manifest the page downloaded', async () => {
    const opened = await preparedResponse();
    const key = await generateSigningKey('ES256');
    const keyFile = join(dir, 'key.jwk');
    writeFileSync(keyFile, JSON.stringify(key.privateJwk));
    expect((await call('admin', 'POST', '/platforms/x-corp/signing-keys', { jwk: key.publicJwk })).status).toBe(201);

    const { page } = await world.open();
    await signIn(page, 'x-corp-legal', { path: `/notices/${opened.noticeId}/respond/sign` });
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download the manifest to sign' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`manifest-${opened.submissionId}.json`);
    const manifestFile = join(dir, 'manifest.json');
    await download.saveAs(manifestFile);
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    const jws = await signManifest(manifest, await loadSigningKey(keyFile));

    await page.reload(); // the fixed manifest (its signedAt) is kept, so the signature still matches
    await page.getByTestId('fixed-manifest').getByText(manifest.signedAt).waitFor();
    await page
      .getByLabel('Signature made with the CLI')
      .fill(`${Buffer.from('{"alg":"ES256","kid":"not-a-registered-key"}').toString('base64url')}..AAAA`);
    await page.getByRole('button', { name: 'Check and attach the signature' }).click();
    await page.getByText('not registered for your platform').first().waitFor();
    await page.getByLabel('Signature made with the CLI').fill(jws);
    await world.audit.check(page, 'sign step, CLI signature');
    await page.getByRole('button', { name: 'Check and attach the signature' }).click();
    const signed = await handedOver(page, opened);
    expect(signed).toEqual({ manifest, signature: jws });
    await fileIt(opened, signed);
  });
});
