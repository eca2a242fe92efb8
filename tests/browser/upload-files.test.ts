import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Request } from 'playwright-core';
import { transparencyDraft } from '../integration/support/portal-harness';
import { type BrowserWorld, startBrowserWorld } from './support/browser-portal';
import { signIn } from './support/sign-in';

/**
 * The files step on the real local portal: a small file (single PUT) and an 80 MiB file (multipart, 5 parts) are
 * hashed in the Worker and uploaded; the tab is reloaded mid-upload and, once the files are chosen again, only
 * the parts storage does not have are sent.
 */
let world: BrowserWorld;
let dir: string;

beforeAll(async () => {
  world = await startBrowserWorld();
  dir = mkdtempSync(join(tmpdir(), 'upload-files-'));
  writeFileSync(join(dir, 'letter.txt'), 'Our answer is attached.\n');
  writeFileSync(join(dir, 'evidence.bin'), Buffer.alloc(80 * 1024 * 1024, 7));
});
afterAll(async () => world?.stop());
afterEach(() => world.assertNoPageProblems());

it('uploads a small and a multipart file, and after a reload sends only the missing parts', async () => {
  // Prepare: an issued notice for x-corp.
  const draft = await world.harness.as('officer').post('/notices', transparencyDraft('x-corp'));
  await world.harness.as('officer').post(`/notices/${draft.body.id}/issue`);
  const { page } = await world.open();
  const path = `/notices/${draft.body.id}/respond/files`;
  await signIn(page, 'x-corp-legal', { path });
  // Parts sent, and parts storage answered for. A part in flight at the reload may be stored without the page
  // ever hearing back (the reload cancels the request, not the upload), so "sent" is what must cover 1..5.
  const partOf = (request: Request) => {
    const url = new URL(request.url());
    return request.method() === 'PUT' ? url.searchParams.get('partNumber') : null;
  };
  const sent: string[] = [];
  const finished: string[] = [];
  page.on('request', (request) => {
    const part = partOf(request);
    if (part) sent.push(part);
  });
  page.on('requestfinished', (request) => {
    const part = partOf(request);
    if (part) finished.push(part);
  });
  // Slow the parts down so the reload lands mid-upload.
  await page.route(/partNumber=/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 700));
    await route.continue();
  });

  // Act: choose both files, upload, reload once two parts are stored.
  await page.locator('input[name="files"]').setInputFiles([join(dir, 'letter.txt'), join(dir, 'evidence.bin')]);
  await page
    .getByText(/SHA-256 [0-9a-f]{64}/)
    .nth(1)
    .waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Upload 2 files' }).click();
  await page.waitForFunction(
    () => {
      const row = document.querySelector('[data-testid="upload-file"][data-file-name="evidence.bin"]');
      return Number(row?.getAttribute('data-parts-stored') ?? 0) >= 2;
    },
    undefined,
    { timeout: 30_000 },
  );
  const storedBeforeReload = [...finished];
  const sentBeforeReload = sent.length;
  await page.reload();
  await page.locator('input[name="rechosen-files"]').setInputFiles([join(dir, 'evidence.bin')]);
  await page.getByRole('button', { name: 'Resume upload' }).click();
  await page.getByRole('heading', { name: 'Your files are uploaded' }).waitFor({ timeout: 60_000 });

  // Assess: every part sent once, the finished ones not again; the portal has both files stored.
  const after = sent.slice(sentBeforeReload);
  expect(after.length).toBeGreaterThan(0);
  expect(after.filter((p) => storedBeforeReload.includes(p))).toEqual([]);
  expect(new Set(sent)).toEqual(new Set(['1', '2', '3', '4', '5']));
  await page.getByRole('link', { name: 'Continue to check your response' }).waitFor();
  const response = await world.harness.as('x-corp-legal').get(`/notices/${draft.body.id}/response-draft`);
  const submission = await world.harness
    .as('x-corp-legal')
    .get(`/notices/${draft.body.id}/submissions/${response.body.submissionId}`);
  const big = submission.body.files.find((f: { name: string }) => f.name === 'evidence.bin');
  expect(big.completedAt).toBeDefined();
  await world.audit.check(page, 'files step, uploaded');
}, 180_000);
