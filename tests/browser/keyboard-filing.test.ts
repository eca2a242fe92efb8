import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { transparencyDraft } from '../integration/support/portal-harness';
import { type BrowserWorld, type Session, startBrowserWorld } from './support/browser-portal';
import { assertFocusVisible, tabTo } from './support/keyboard';
import { signIn } from './support/sign-in';

/**
 * Filing a response with the keyboard only (issue 11's quality bar): Tab, Shift+Tab, Enter, Space and typing —
 * answers, a file chosen and uploaded, the signer named, a key made in the browser, signed, filed, the receipt
 * downloaded. Every focus stop must show it has focus (tabTo fails otherwise). Only the admin's registration of the
 * key happens outside the platform's browser, through the API, as another person's work.
 */
let world: BrowserWorld;
let session: Session;
let noticeId: string;
let dir: string;
/** Set as each step finishes, so a later step says which earlier one it is waiting for instead of timing out. */
const done = new Set<string>();
const ANSWER = 'Hash matching against known material.';
const REASON = 'The time to action a report is not recorded per report.';

beforeAll(async () => {
  world = await startBrowserWorld();
  const created = await world.harness.as('officer').post('/notices', transparencyDraft('x-corp'));
  await world.harness.as('officer').post(`/notices/${created.body.id}/issue`);
  noticeId = created.body.id;
  dir = mkdtempSync(join(tmpdir(), 'keyboard-filing-'));
  writeFileSync(join(dir, 'letter.txt'), 'Our answer is attached.\n');
  session = await world.open();
}, 60_000);
afterEach(() => world.assertNoPageProblems());
afterAll(async () => {
  if (world) console.log(world.audit.summary());
  await world?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function requireStep(step: string) {
  if (!done.has(step)) throw new Error(`the step "${step}" did not finish`);
}

/** Tabs to `target` (forwards, or backwards when it is behind focus) and presses `key` on it. */
async function press(page: Page, target: Locator, key = 'Enter', backwards = false) {
  await tabTo(page, target, { backwards });
  await assertFocusVisible(page);
  await page.keyboard.press(key);
}

async function h1(page: Page, name: string) {
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

describe('filing a response with the keyboard only', () => {
  it('answers the questions, one of them "cannot answer"', async () => {
    const { page } = session;
    await page.bringToFront(); // Chromium opens file choosers from key presses only in the foreground tab
    await signIn(page, 'x-corp-legal', { path: `/notices/${noticeId}/respond`, keyboard: true });
    await h1(page, 'Respond to this notice');
    await press(page, page.getByRole('link', { name: /Answer the questions/ }));
    await h1(page, 'Answer the questions');
    await tabTo(page, page.getByLabel('Your answer to question 1'));
    await page.keyboard.type(ANSWER);
    await press(page, page.getByRole('checkbox', { name: 'I cannot answer this question' }).nth(1), 'Space');
    await tabTo(page, page.getByLabel('Why you cannot answer question 2'));
    await page.keyboard.type(REASON);
    await press(page, page.getByRole('button', { name: 'Save and continue' }));
    await h1(page, 'Respond to this notice');
    const draft = await world.harness.as('x-corp-legal').get(`/notices/${noticeId}/response-draft`);
    expect(draft.body.answers).toEqual([
      { question: '1', answer: ANSWER },
      { question: '2', cannotAnswer: { reason: REASON } },
    ]);
    done.add('answers');
  });

  it('chooses and uploads a file', async () => {
    const { page } = session;
    requireStep('answers');
    await press(page, page.getByRole('link', { name: /Add and upload files/ }));
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      press(page, page.getByRole('button', { name: /^Select files, Add files/ })),
    ]);
    await chooser.setFiles(join(dir, 'letter.txt'));
    await page
      .getByText(/SHA-256 [0-9a-f]{64}/)
      .first()
      .waitFor();
    await press(page, page.getByRole('button', { name: 'Upload 1 file' }));
    await page.getByRole('heading', { name: 'Your files are uploaded' }).waitFor({ timeout: 30_000 });
    done.add('files');
  });

  it('names the signer and marks the response ready for signing', async () => {
    const { page } = session;
    requireStep('files');
    await press(page, page.getByRole('link', { name: 'Continue to check your response' }));
    await h1(page, 'Check your response');
    await tabTo(page, page.getByLabel('Full name'));
    await page.keyboard.type('Xavier Counsel');
    await press(page, page.getByRole('button', { name: 'Mark as ready for signing' }));
    await page.getByText('Marked as ready for signing.').waitFor();
    done.add('review');
  });

  it('makes a key, signs once it is registered, files, and downloads the receipt', async () => {
    const { page } = session;
    requireStep('review');
    await press(page, page.getByRole('link', { name: 'Continue to signing' }));
    await h1(page, 'Sign the response');
    await press(page, page.getByRole('button', { name: 'Generate a new signing key' }));
    const jwk = JSON.parse((await page.getByTestId('public-jwk').textContent()) as string);
    expect((await world.harness.as('admin').post('/platforms/x-corp/signing-keys', { jwk })).status).toBe(201);
    await page.reload();
    await page.getByTestId('key-registration').getByText('Registered: active').waitFor();
    await press(page, page.getByRole('button', { name: 'Sign the response' }));
    await h1(page, 'File the response');
    await press(page, page.getByRole('button', { name: 'File the response' }));
    await h1(page, 'Response filed');
    const downloading = page.waitForEvent('download');
    await press(page, page.getByRole('button', { name: 'Download the receipt (.jws)' }));
    expect((await downloading).suggestedFilename()).toMatch(/^receipt-NRP-.*\.jws$/);
    const notice = await world.harness.as('officer').get(`/notices/${noticeId}`);
    expect(notice.body.status).toBe('submitted');
  });
});
