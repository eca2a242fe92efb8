import { transparencyDraft } from '../integration/support/portal-harness';
import { type BrowserWorld, startBrowserWorld } from './support/browser-portal';
import { containsFocus } from './support/keyboard';
import { signIn } from './support/sign-in';

/** A dialog submitted with a required field empty: its error summary takes focus, as the create form's does. */
let world: BrowserWorld;
beforeAll(async () => {
  world = await startBrowserWorld();
}, 60_000);
afterEach(() => world.assertNoPageProblems());
afterAll(async () => {
  if (world) console.log(world.audit.summary());
  await world?.stop();
});

it("moves focus to a dialog's error summary when it is submitted with a required field empty", async () => {
  const draft = await world.harness.as('officer').post('/notices', transparencyDraft('x-corp'));
  await world.harness.as('officer').post(`/notices/${draft.body.id}/issue`);
  const { page } = await world.open();
  await signIn(page, 'officer', { path: `/notices/${draft.body.id}` });

  await page.getByRole('button', { name: 'Withdraw notice' }).click();
  const dialog = page.getByRole('dialog', { name: 'Withdraw this notice' });
  await dialog.getByRole('button', { name: 'Withdraw notice' }).click();

  const summary = dialog.locator(`[id="withdraw-${draft.body.id}-errors"]`);
  await summary.getByText('There is a problem').waitFor();
  for (let i = 0; i < 20 && !(await containsFocus(summary)); i++) await page.waitForTimeout(100);
  expect(await containsFocus(summary)).toBe(true);
  await world.audit.check(page, 'withdraw dialog (error summary)');
  const notice = await world.harness.as('officer').get(`/notices/${draft.body.id}`);
  expect(notice.body.status).toBe('issued');
});
