import { type BrowserWorld, type Session, startBrowserWorld } from './support/browser-portal';
import { assertFocusVisible, containsFocus, focusStop, isFocused, tabTo } from './support/keyboard';
import { signIn } from './support/sign-in';

/**
 * Create and issue a notice with the keyboard only: Tab, Shift+Tab, Enter, Space, the arrow keys and typing —
 * no mouse, no element.click(). Every focus stop on the way must show that it has focus, and a form submitted
 * with errors must move focus to its error summary (GOV.UK's pattern), where screen readers announce it.
 * A long suite (`npm run test:long`): it walks the flow regulator-journey walks by mouse, a Tab at a time, for about
 * half a minute of worker time; `npm test` keeps the keyboard-only filing (keyboard-filing.test.ts) and
 * dialog-error-focus.test.ts.
 */
let world: BrowserWorld;
let session: Session;
beforeAll(async () => {
  world = await startBrowserWorld();
  session = await world.open();
}, 60_000);
afterEach(() => world.assertNoPageProblems());
afterAll(async () => {
  if (world) console.log(world.audit.summary());
  await world?.stop();
});

const TITLE = 'Transparency notice: age assurance (keyboard)';

describe('creating and issuing a notice with the keyboard only', () => {
  it('signs in with the keyboard', async () => {
    await signIn(session.page, 'officer', { path: '/notices/new', keyboard: true });
    await session.page.getByRole('heading', { level: 1, name: 'Create a notice' }).waitFor();
  });

  it('moves focus to the error summary when the form is submitted with errors', async () => {
    const { page } = session;
    const save = page.getByRole('button', { name: 'Save as draft' });
    await save.waitFor();
    await tabTo(page, save);
    await page.keyboard.press('Enter');

    const summary = page.locator('#error-summary');
    await summary.getByText('There is a problem').waitFor();
    await waitUntil(() => containsFocus(summary), 'focus on the error summary').catch(async (error) => {
      throw new Error(`${error.message}; focus is on ${(await focusStop(page)).description}`);
    });
    await assertFocusVisible(page);
    await world.audit.check(page, 'create a notice (error summary)');
    // Its first link (the platforms) takes the user to the field it names.
    const first = summary.getByRole('link').first();
    await tabTo(page, first);
    const target = (await first.getAttribute('href'))?.split('#')[1] ?? '';
    await page.keyboard.press('Enter');
    await waitUntil(() => isFocused(page.locator(`[id="${target}"]`)), `focus on #${target}`);
  });

  it('fills in the form: a select by typing, a checkbox with Space, questions added with Enter', async () => {
    const { page } = session;
    const type = page.getByRole('combobox', { name: 'Type of notice' });
    await tabTo(page, type, { backwards: true });
    // A closed select changes with the arrow keys or by typing the start of an option.
    await page.keyboard.type('Transparency');
    expect(await type.inputValue()).toBe('transparency-notice');

    const xCorp = page.getByRole('checkbox', { name: 'X Corp. (x-corp)' });
    await tabTo(page, xCorp);
    await page.keyboard.press('Space');
    expect(await xCorp.isChecked()).toBe(true);

    await tabTo(page, page.getByRole('textbox', { name: /^Title/ }));
    await page.keyboard.type(TITLE);
    const questions = [
      'Which age assurance methods do you use at sign-up?',
      'What share of accounts were age-checked in 2025?',
      'How do you handle appeals against an age decision?',
    ];
    await tabTo(page, page.getByRole('textbox', { name: 'Question 1', exact: true }));
    await page.keyboard.type(questions[0] ?? '');
    for (const [index, text] of questions.entries()) {
      if (index === 0) continue;
      await tabTo(page, page.getByRole('button', { name: 'Add a question' }));
      await page.keyboard.press('Enter');
      // The new question sits just above the button.
      await tabTo(page, page.getByRole('textbox', { name: `Question ${index + 1}`, exact: true }), { backwards: true });
      await page.keyboard.type(text);
    }
    await page
      .getByTestId('due-time-preview')
      .getByText(/^Due .*\(Australia\/Sydney\)$/)
      .waitFor();
  });

  it('saves the draft, checks it and issues it with Enter', async () => {
    const { page } = session;
    await tabTo(page, page.getByRole('button', { name: 'Save as draft' }));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Check the notice before issuing it' }).waitFor();

    const issue = page.getByRole('button', { name: 'Issue notice' });
    await issue.waitFor();
    await tabTo(page, issue);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Notice issued' }).waitFor();
    const noticeId = (await page.getByTestId('reference-number').textContent()) ?? '';
    const issued = await world.harness.as('officer').get(`/notices/${noticeId}`);
    expect(issued.body).toMatchObject({ status: 'issued', title: TITLE, platformId: 'x-corp' });
    expect(issued.body.requirements.questions).toHaveLength(3);
  });
});

async function waitUntil(condition: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
