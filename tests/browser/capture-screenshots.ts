import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { transparencyDraft } from '../integration/support/portal-harness';
import {
  type Call,
  finalizePath,
  openAndUpload,
  pollUntilFiled,
  registeredSigner,
  signedFinalize,
} from '../integration/support/response-filing';
import { type BrowserWorld, startBrowserWorld } from './support/browser-portal';
import { chooseFiles } from './support/file-chooser';
import { signIn } from './support/sign-in';

/**
 * `npm run screenshots`: the README's pictures of the web app, taken from the built app on a fresh local portal
 * with a few realistic notices in it. Not part of `npm test` (pictures are for people, not assertions).
 */
const OUT = join(__dirname, '..', '..', 'docs', 'screenshots');
const DAY = 86_400_000;

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const world = await startBrowserWorld();
  try {
    const officer = world.harness.as('officer');
    const noticeIds: string[] = [];
    const drafts = [
      transparencyDraft('x-corp'),
      transparencyDraft('videoshare', { title: 'Transparency notice: recommender systems and children' }),
      {
        ...transparencyDraft('x-corp', { title: 'Information request: volunteer moderators in Australia' }),
        type: 'information-request',
      },
      transparencyDraft('videoshare', { title: 'Transparency notice: livestream safety tools' }),
    ];
    for (const [index, draft] of drafts.entries()) {
      const created = await officer.post('/notices', draft);
      if (created.status !== 201) throw new Error(`draft ${index}: ${JSON.stringify(created.body)}`);
      noticeIds.push(created.body.id);
      if (index < 3) await officer.post(`/notices/${created.body.id}/issue`);
    }
    const [first] = noticeIds;
    const issued = await officer.get(`/notices/${first}`);
    await world.harness.as('x-corp-legal').post(`/notices/${first}/acknowledge`);
    await world.harness.as('x-corp-legal').post(`/notices/${first}/extensions`, {
      requestedDueAt: new Date(Math.floor((Date.parse(issued.body.dueAt) + 14 * DAY) / 60_000) * 60_000).toISOString(),
      reason: 'Our data warehouse is being migrated; the quarterly figures are not available until then.',
    });

    const { page } = await world.open();
    await signIn(page, 'officer');
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: join(OUT, 'dashboard.png'), fullPage: true });

    await page.goto('/notices');
    await page.getByRole('table').waitFor();
    // The whole page: the filters and the table under them.
    await page.screenshot({ path: join(OUT, 'notices-table.png'), fullPage: true });

    await page.goto('/notices/new');
    await page.getByRole('combobox', { name: 'Type of notice' }).selectOption('transparency-notice');
    await page.getByRole('group', { name: 'Platforms' }).getByText('X Corp. (x-corp)').click();
    await page.getByRole('textbox', { name: /^Title/ }).fill('Transparency notice: age assurance');
    await page
      .getByRole('textbox', { name: 'Question 1', exact: true })
      .fill('Which age assurance methods do you use?');
    await page.getByTestId('due-time-preview').getByText(/^Due /).first().waitFor();
    // The part of the form that shows the due time computed live, with its explanation.
    await page.getByTestId('due-time-preview').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(OUT, 'create-notice.png') });

    await page.goto(`/notices/${first}`);
    await page.getByRole('region', { name: 'History' }).waitFor();
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: join(OUT, 'notice-page.png') });

    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.getByRole('region', { name: 'History' }).waitFor();
    await page.screenshot({ path: join(OUT, 'notice-page-phone.png') });
    await platformScreenshots(world);
    console.log(`Screenshots written to ${OUT}`);
  } finally {
    await world.stop();
  }
}

/** The platform's side: its inbox, a response half prepared (task list), and a filed response's receipt. */
async function platformScreenshots(world: BrowserWorld): Promise<void> {
  const call: Call = (user, method, path, body) =>
    method === 'GET' ? world.harness.as(user).get(path) : world.harness.as(user).post(path, body);
  const filed = await openAndUpload(call, [
    { name: 'response.pdf', bytes: Buffer.from('%PDF-1.7\nresponse\n%%EOF\n') },
  ]);
  const finalized = await call(
    'x-corp-legal',
    'POST',
    finalizePath(filed),
    await signedFinalize(filed, await registeredSigner(call)),
  );
  if (finalized.status !== 200 && finalized.status !== 202)
    throw new Error(`not filed: ${JSON.stringify(finalized.body)}`);
  await pollUntilFiled(call, filed);
  const preparing = await openAndUpload(call, [
    { name: 'transparency-report.pdf', bytes: Buffer.from('%PDF-1.7\n%%EOF\n') },
  ]);
  await call('x-corp-legal', 'POST', `/notices/${preparing.noticeId}/response-draft`, {
    expectedVersion: 0,
    answers: [{ question: '1', answer: 'PhotoDNA on every upload, and an in-house classifier.' }, { question: '2' }],
    submissionId: preparing.submissionId,
  });

  const { page } = await world.open();
  await signIn(page, 'x-corp-legal');
  await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: join(OUT, 'inbox.png'), fullPage: true });

  await page.goto(`/notices/${preparing.noticeId}/respond`);
  await page.getByRole('heading', { level: 1, name: 'Respond to this notice' }).waitFor();
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: join(OUT, 'response-task-list.png'), fullPage: true });

  await page.goto(`/notices/${filed.noticeId}/receipt/${filed.submissionId}`);
  await page.getByRole('heading', { level: 1, name: 'Response filed' }).waitFor();
  await page.screenshot({ path: join(OUT, 'receipt.png'), fullPage: true });

  await uploadProgressScreenshot(world, page);

  await page.goto('/verify-receipt');
  await chooseFiles(page, 'Receipt file', {
    name: 'receipt.jws',
    mimeType: '',
    buffer: Buffer.from(finalized.body.receipt?.jws ?? (await pollUntilFiled(call, filed)).body.receipt.jws),
  });
  await page.getByRole('status').filter({ hasText: 'The receipt is valid' }).waitFor();
  await page.screenshot({ path: join(OUT, 'verify-receipt.png'), fullPage: true });
}

/** The files step mid-upload: a small file stored, a large one going up in parts (slowed so it is caught). */
async function uploadProgressScreenshot(world: BrowserWorld, page: Page): Promise<void> {
  const draft = await world.harness.as('officer').post('/notices', transparencyDraft('x-corp'));
  await world.harness.as('officer').post(`/notices/${draft.body.id}/issue`);
  const dir = mkdtempSync(join(tmpdir(), 'screenshots-'));
  writeFileSync(join(dir, 'covering-letter.pdf'), '%PDF-1.7\ncovering letter\n%%EOF\n');
  writeFileSync(join(dir, 'moderation-logs-2026.zip'), Buffer.alloc(72 * 1024 ** 2, 7));
  await page.route(/partNumber=/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.continue();
  });
  await page.goto(`/notices/${draft.body.id}/respond/files`);
  await page
    .locator('input[name="files"]')
    .setInputFiles([join(dir, 'covering-letter.pdf'), join(dir, 'moderation-logs-2026.zip')]);
  await page.getByRole('button', { name: 'Upload 2 files' }).click({ timeout: 30_000 });
  await page.waitForFunction(
    () => {
      const row = document.querySelector('[data-testid="upload-file"][data-file-name="moderation-logs-2026.zip"]');
      return Number(row?.getAttribute('data-parts-stored') ?? 0) >= 1;
    },
    undefined,
    { timeout: 30_000 },
  );
  await page.getByTestId('upload-panel').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(OUT, 'upload-progress.png'), fullPage: true });
  await page.getByRole('button', { name: 'Pause upload' }).click();
  await page.unroute(/partNumber=/);
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
