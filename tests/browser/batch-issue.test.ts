import type { Page } from 'playwright-core';
import { type BrowserWorld, startBrowserWorld } from './support/browser-portal';
import { signIn } from './support/sign-in';

/**
 * The same notice to several platforms at once (eSafety gave one transparency notice to several companies): one
 * draft and one issue per platform, each its own record, and a result page that lists each platform's notice.
 */
let world: BrowserWorld;
let page: Page;
beforeAll(async () => {
  world = await startBrowserWorld();
  page = (await world.open()).page;
}, 60_000);
afterEach(() => world.assertNoPageProblems());
afterAll(async () => {
  if (world) console.log(world.audit.summary());
  await world?.stop();
});

const TITLE = 'Transparency notice: recommender systems (batch)';

describe('issuing one notice to several platforms', () => {
  it('drafts one notice per platform, issues each, and lists each platform with its own notice', async () => {
    await signIn(page, 'officer', { path: '/notices/new' });
    await page.getByLabel('Type of notice').selectOption('transparency-notice');
    // AgDS draws its tick over the input, so the click goes to the input itself.
    await page.getByRole('checkbox', { name: 'X Corp. (x-corp)' }).check({ force: true });
    await page.getByRole('checkbox', { name: 'VideoShare Pty Ltd (videoshare)' }).check({ force: true });
    await page.getByRole('textbox', { name: /^Title/ }).fill(TITLE);
    await page
      .getByRole('textbox', { name: 'Question 1', exact: true })
      .fill('How do your recommender systems treat children?');

    await page.getByRole('button', { name: 'Save 2 drafts' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check the notices before issuing them' }).waitFor();
    await world.audit.check(page, 'check the notices (batch)');
    await page.getByRole('button', { name: 'Issue 2 notices' }).click();
    await page.getByRole('heading', { level: 1, name: '2 of 2 notices issued' }).waitFor({ timeout: 20_000 });
    await world.audit.check(page, 'notices issued (batch result)');

    // Assess: exactly one issued notice per platform, each linked from the result page.
    const listed = await world.harness.as('officer').get('/notices?status=issued');
    const batch = (listed.body.items as { id: string; title: string; platformId: string }[]).filter(
      (n) => n.title === TITLE,
    );
    expect(batch.map((n) => n.platformId).sort()).toEqual(['videoshare', 'x-corp']);
    for (const notice of batch) await page.locator(`a[href="/notices/${notice.id}"]`).first().waitFor();
    const drafts = await world.harness.as('officer').get('/notices?status=draft');
    expect((drafts.body.items as { title: string }[]).filter((n) => n.title === TITLE)).toEqual([]);
  });
});
