import { readFileSync } from 'node:fs';
import { transparencyDraft } from '../integration/support/portal-harness';
import { readZip } from '../support/read-zip';
import { type BrowserWorld, startBrowserWorld } from './support/browser-portal';
import { signIn } from './support/sign-in';

/**
 * The notice page's "Download evidence bundle" section in a real browser: choose hashes only, request, hear the
 * progress and the outcome in the polite live region, download the ZIP; axe-checked once ready.
 */
let world: BrowserWorld;
beforeAll(async () => {
  world = await startBrowserWorld();
}, 60_000);
afterEach(() => world.assertNoPageProblems());
afterAll(async () => {
  if (world) console.log(world.audit.summary());
  await world?.stop();
});

it('requests an evidence bundle from the notice page, announces it ready, and downloads it', async () => {
  // Prepare: an issued notice
  const draft = await world.harness.as('officer').post('/notices', transparencyDraft('x-corp'));
  await world.harness.as('officer').post(`/notices/${draft.body.id}/issue`);
  const { page } = await world.open();
  await signIn(page, 'x-corp-legal', { path: `/notices/${draft.body.id}` });
  const section = page.getByRole('region', { name: 'Download evidence bundle' });
  await section.waitFor();
  // A choice is always made (files included by default), so the group is not marked "(optional)".
  expect(await section.getByText('(optional)').count()).toBe(0);

  // Act: hashes only, by keyboard-reachable controls
  const hashesOnly = section.getByRole('radio', { name: "Only the files' hashes (a smaller bundle)" });
  await hashesOnly.focus();
  await page.keyboard.press('Space');
  expect(await hashesOnly.isChecked()).toBe(true);
  await section.getByRole('button', { name: 'Request evidence bundle' }).focus();
  await page.keyboard.press('Enter');

  // Assess: the live region says it is ready, the download is the bundle
  const status = section.getByRole('status');
  await status.getByText('The evidence bundle is ready').waitFor({ timeout: 20_000 });
  await world.audit.check(page, 'notice: evidence bundle ready');
  const downloading = page.waitForEvent('download');
  await section.getByRole('button', { name: /^Download evidence bundle \(ZIP/ }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(new RegExp(`^evidence-${draft.body.id}-bdl_\\w+\\.zip$`));
  const path = await download.path();
  const entries = await readZip(readFileSync(path));
  expect(entries.at(-1)?.path).toBe('manifest.json');
  expect(JSON.parse(String(entries.at(-1)?.bytes))).toMatchObject({ noticeId: draft.body.id, files: 'hashes-only' });
});
