import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SINGLE_PUT_MAX_BYTES } from '../../../lambdas/domain/submission';
import { partSizeFor } from '../../../lambdas/domain/submission-service';
import { transparencyDraft } from '../../integration/support/portal-harness';
import { type NodeRun, runNode } from '../../support/run-node';
import { type BrowserWorld, type Session, startBrowserWorld } from './browser-portal';
import { chooseFiles } from './file-chooser';
import { signIn } from './sign-in';

/**
 * Issue 11's proof, end to end in Chromium against the built app on the real local portal: the platform signs in,
 * acknowledges, asks for more time; the officer grants it; the platform answers three questions (one "cannot
 * answer"), uploads a small file and one in parts with a reload mid-upload that resumes sending only the
 * missing parts, makes a key in the browser that the admin registers on the admin page, signs and
 * files; the receipt verifies in the browser (/verify-receipt) and with the CLI; the officer sees the verified
 * submission; the dev clock moves and another notice's reminder is in the outbox. Every platform page is scanned
 * with axe. The steps share one story, so each depends on the one before.
 *
 * A scan takes a second or more, so a page state that another file in `npm test` scans is not scanned again here
 * in `npm test` (`tests/browser/platform-filing-journey.test.ts`): it is recorded as covered by that file (see
 * `COVERED`), and the long twin (`platform-filing-journey.long.test.ts`, `npm run test:long`) walks the same journey
 * scanning those too. Never scanned here: the platform's acknowledged notice with an extension requested
 * (respond-pages.test.ts) and the officer's notice page with a filed response (review-journey.test.ts).
 */
const MiB = 1024 * 1024;
const TITLE = `Transparency notice ${Date.now()}`;
const QUESTIONS = [
  'Describe the tools you use to detect known child sexual abuse material.',
  'State the median time to action a user report.',
  'State the number of accounts suspended in the reporting period.',
];
const ANSWERS = [
  'Hash matching against known material, and classifiers for new material.',
  undefined, // cannot answer
  'We suspended 12,408 accounts in the period.',
];
const CANNOT_ANSWER = 'The time to action a report is not recorded per report.';
const SMALL = { name: 'cover-letter.txt', bytes: Buffer.from('X Corp responds to the notice as follows.\n') };
const LARGE_NAME = 'moderation-logs.bin';
/**
 * The smallest file the portal takes in parts: one byte over the single-PUT limit, in parts of the portal's size
 * (16 MiB: four full parts and a last part of one byte). The part size is the portal's answer, so a test cannot
 * make the parts smaller without changing the product.
 */
const LARGE_BYTES = SINGLE_PUT_MAX_BYTES + 1;
const LARGE_PARTS = Math.ceil(LARGE_BYTES / partSizeFor(LARGE_BYTES));
/** The parts storage answers before the reload: two, so the resume has both stored and missing parts. */
const STORED_BEFORE_RELOAD = [1, 2];
const CLI = join(__dirname, '..', '..', '..', 'cli', 'notice-portal.cjs');

let world: BrowserWorld;
let dir: string;
let platform: Session;
let officer: Session;
let noticeId: string;
let otherNotice: { id: string; nextReminderAt: string };
let submissionId: string;
let receiptFile: string;
let receiptNumber: string;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** `npx notice-portal …` as a platform runs it: the package's bin (cli/notice-portal.cjs) in a child process. */
function noticePortal(args: string[]): Promise<NodeRun> {
  return runNode([CLI, ...args], { NOTICE_PORTAL_API: `${world.url}/api` });
}

async function issue(draft: Record<string, unknown>) {
  const created = await world.harness.as('officer').post('/notices', draft);
  expect(created.status).toBe(201);
  const issued = await world.harness.as('officer').post(`/notices/${created.body.id}/issue`);
  expect(issued.status).toBe(200);
  return issued.body;
}

async function h1(page: Page, name: string | RegExp) {
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

/**
 * The page states this journey shows that another file in `npm test` scans in the same state at the same width
 * (1280 px): label → that file. The answers editor, the check page, the file step and the sign step are scanned
 * here although respond-pages and sign-step scan them too: they scan them at phone width, where the layout (and so
 * what axe checks, such as target sizes) differs.
 */
const COVERED = {
  'development sign-in (authorize)': 'regulator-journey.test.ts',
  'platform: inbox': 'respond-pages.test.ts',
  'admin: platform (browser key registered)': 'regulator-journey.test.ts',
} as const;

export interface JourneyOptions {
  /**
   * Scan the page states another file in `npm test` scans too (`COVERED`): the long twin does; `npm test`'s
   * version records them as covered by that file instead.
   */
  scanCoveredStates: boolean;
}

export function platformFilingJourney({ scanCoveredStates }: JourneyOptions): void {
  /** A page state `COVERED` names: scanned in the long twin, recorded as covered in `npm test`. */
  const scanUnlessCovered = async (page: Page, label: keyof typeof COVERED) => {
    if (scanCoveredStates) await world.audit.check(page, label);
    else world.audit.coveredBy(label, page.url(), COVERED[label]);
  };

  beforeAll(async () => {
    world = await startBrowserWorld();
    dir = mkdtempSync(join(tmpdir(), 'platform-filing-'));
    writeFileSync(join(dir, SMALL.name), SMALL.bytes);
    // Each MiB different, so no part of the multipart upload is a copy of another.
    const large = Buffer.alloc(LARGE_BYTES);
    for (let i = 0; i < Math.ceil(LARGE_BYTES / MiB); i++)
      large.fill(i % 251, i * MiB, Math.min(LARGE_BYTES, (i + 1) * MiB));
    writeFileSync(join(dir, LARGE_NAME), large);
    const questions = QUESTIONS.map((text, i) => ({ number: String(i + 1), text }));
    noticeId = (
      await issue(
        transparencyDraft('x-corp', {
          title: TITLE,
          requirements: { questions },
          contacts: ['legal@x-corp.example'],
        }),
      )
    ).id;
    otherNotice = await issue(
      transparencyDraft('x-corp', { title: `Another notice ${Date.now()}`, contacts: ['legal@x-corp.example'] }),
    );
    platform = await world.open();
    officer = await world.open();
  }, 120_000);
  afterEach(() => world.assertNoPageProblems());
  afterAll(async () => {
    if (world) console.log(world.audit.summary());
    await world?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe('a platform files a signed response in the browser', () => {
    it('signs in to the inbox and acknowledges the notice from its page', async () => {
      const { page } = platform;
      await signIn(page, 'x-corp-legal', { path: '/', audit: scanCoveredStates ? world.audit : undefined });
      if (!scanCoveredStates) {
        const authorize = `${world.url}/dev-idp/oauth2/authorize`;
        world.audit.coveredBy('development sign-in (authorize)', authorize, COVERED['development sign-in (authorize)']);
      }
      await h1(page, 'Inbox');
      await page.getByRole('link', { name: TITLE }).waitFor();
      await scanUnlessCovered(page, 'platform: inbox');

      await page.getByRole('link', { name: TITLE }).click();
      await h1(page, TITLE);
      await page.getByRole('button', { name: 'Acknowledge receipt' }).click();
      await page
        .getByText(/acknowledged/i)
        .first()
        .waitFor();
      const notice = await world.harness.as('x-corp-legal').get(`/notices/${noticeId}`);
      expect(notice.body.status).toBe('acknowledged');
    });

    it('asks for more time next to the due time', async () => {
      const { page } = platform;
      await page.getByRole('button', { name: 'Ask for more time' }).click();
      const dialog = page.getByRole('dialog', { name: 'Ask for more time' });
      await dialog.waitFor();
      // The field defaults to the current due time, on the notice's clock; a week later is typed over it.
      const field = dialog.getByLabel(/^New due time you are asking for/);
      const current = await field.inputValue();
      const wanted = new Date(`${current}:00Z`);
      wanted.setUTCDate(wanted.getUTCDate() + 7);
      await field.fill(wanted.toISOString().slice(0, 16));
      await dialog.getByLabel(/^Why you need more time/).fill('Our data warehouse is being migrated this month.');
      await world.audit.check(page, 'platform: ask for more time (dialog)');
      await dialog.getByRole('button', { name: 'Send request' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await page.getByText(/Request for more time sent/).waitFor();
      const notice = await world.harness.as('x-corp-legal').get(`/notices/${noticeId}`);
      expect(notice.body.extensions).toEqual([expect.objectContaining({ status: 'requested' })]);
    });

    it('the officer grants it, and the platform sees the decision inline', async () => {
      const { page } = officer;
      await signIn(page, 'officer', { path: `/notices/${noticeId}` });
      await h1(page, TITLE);
      await page.getByRole('button', { name: 'Grant extension' }).click();
      const dialog = page.getByRole('dialog', { name: 'Grant this extension' });
      await dialog.getByLabel(/^Legal basis/).fill('Online Safety Act 2021 (Cth) s 57(2)');
      await dialog.getByLabel(/^Reason/).fill('The migration is documented.');
      await dialog.getByRole('button', { name: 'Grant extension' }).click();
      await dialog.waitFor({ state: 'hidden' });
      const notice = await world.harness.as('officer').get(`/notices/${noticeId}`);
      expect(notice.body.extensions[0]).toMatchObject({ status: 'granted' });

      await platform.page.reload();
      await h1(platform.page, TITLE);
      await platform.page
        .getByText(/granted/i)
        .first()
        .waitFor();
      await world.audit.check(platform.page, 'platform: notice (extension granted)');
    });

    it('answers three questions, one of them "cannot answer", from the task list', async () => {
      const { page } = platform;
      await page.getByRole('link', { name: /Prepare a response|Continue your response/ }).click();
      await h1(page, 'Respond to this notice');
      await world.audit.check(page, 'platform: respond task list');
      await page.getByRole('link', { name: 'Answer the questions' }).click();
      for (const [i, answer] of ANSWERS.entries()) {
        if (answer) await page.getByLabel(`Your answer to question ${i + 1}`).fill(answer);
        else {
          // AgDS draws the box over the native input: focus it and press Space, as a person would.
          await page.getByRole('checkbox', { name: 'I cannot answer this question' }).nth(i).focus();
          await page.keyboard.press('Space');
          await page.getByLabel(`Why you cannot answer question ${i + 1}`).fill(CANNOT_ANSWER);
        }
      }
      await world.audit.check(page, 'platform: answers');
      await page.getByRole('button', { name: 'Save and continue' }).click();
      await h1(page, 'Respond to this notice');
      const draft = await world.harness.as('x-corp-legal').get(`/notices/${noticeId}/response-draft`);
      expect(draft.body.answers).toEqual([
        { question: '1', answer: ANSWERS[0] },
        { question: '2', cannotAnswer: { reason: CANNOT_ANSWER } },
        { question: '3', answer: ANSWERS[2] },
      ]);
    });

    it('uploads a small file and one in parts; a reload mid-upload resumes sending only the missing parts', async () => {
      const { page } = platform;
      await page.getByRole('link', { name: 'Add and upload files' }).click();
      // Storage is reached through a route that answers the first STORED_BEFORE_RELOAD parts and holds every other
      // part unanswered, as a connection that stalls does; after the reload it answers every part, but only once the
      // page has said what it resumed from. So which parts were stored at the reload is chosen, not raced.
      const sentBeforeReload: number[] = [];
      const sentAfterReload: number[] = [];
      let reloaded = false;
      let resumeShown!: () => void;
      const resumedMaySend = new Promise<void>((resolve) => (resumeShown = resolve));
      await page.route(/partNumber=/, async (route) => {
        const request = route.request();
        if (request.method() !== 'PUT') return route.continue();
        const part = Number(new URL(request.url()).searchParams.get('partNumber'));
        if (!reloaded) {
          sentBeforeReload.push(part);
          // Held: never answered. The reload cancels it in the browser.
          if (!STORED_BEFORE_RELOAD.includes(part)) return;
        } else {
          sentAfterReload.push(part);
          await resumedMaySend;
        }
        await route.continue();
      });
      await page
        .locator('input[type="file"][name="files"]')
        .setInputFiles([join(dir, SMALL.name), join(dir, LARGE_NAME)]);
      await page
        .getByText(/SHA-256 [0-9a-f]{64}/)
        .nth(1)
        .waitFor({ timeout: 30_000 });
      await world.audit.check(page, 'platform: files (hashed)');
      await page.getByRole('button', { name: 'Upload 2 files' }).click();
      const large = page.locator(`[data-testid="upload-file"][data-file-name="${LARGE_NAME}"]`);
      await large.getByText(`· ${LARGE_PARTS} parts`).waitFor();
      // The engine records a part as stored only once storage has answered for it. Each part is hashed (in a
      // Worker) before its URL is asked for: on a loaded machine the first parts take a while.
      await page
        .locator(
          `[data-testid="upload-file"][data-file-name="${LARGE_NAME}"][data-parts-stored="${STORED_BEFORE_RELOAD.length}"]`,
        )
        .waitFor({ timeout: 90_000 })
        .catch((error) => {
          throw new Error(`parts sent so far: [${sentBeforeReload.join(', ')}]; ${error.message}`);
        });
      await page.getByRole('progressbar', { name: `Upload of ${LARGE_NAME}` }).waitFor();
      await world.audit.check(page, 'platform: files (uploading)');

      reloaded = true;
      await page.reload();
      await page.locator('input[type="file"][name="rechosen-files"]').setInputFiles([join(dir, LARGE_NAME)]);
      // Choosing the file again is enough: the upload carries on by itself, from what the portal says it has.
      await large
        .getByText(`Resumed: ${STORED_BEFORE_RELOAD.length} of ${LARGE_PARTS} parts were already uploaded.`)
        .waitFor({ timeout: 90_000 });
      resumeShown();
      await page.getByRole('heading', { name: 'Your files are uploaded' }).waitFor({ timeout: 90_000 });
      await page.unroute(/partNumber=/);

      // Before the reload the parts went out (the stored ones among them); after it, exactly the missing parts, each
      // once: nothing storage had already answered for was sent again.
      expect(sentBeforeReload).toEqual(expect.arrayContaining(STORED_BEFORE_RELOAD));
      const missing = Array.from({ length: LARGE_PARTS }, (_, i) => i + 1).filter(
        (p) => !STORED_BEFORE_RELOAD.includes(p),
      );
      expect([...sentAfterReload].sort((x, y) => x - y)).toEqual(missing);
      const draft = await world.harness.as('x-corp-legal').get(`/notices/${noticeId}/response-draft`);
      submissionId = draft.body.submissionId;
      const submission = await world.harness.as('x-corp-legal').get(`/notices/${noticeId}/submissions/${submissionId}`);
      expect(
        submission.body.files.map((f: { name: string; completedAt?: string }) => [f.name, !!f.completedAt]),
      ).toEqual(
        expect.arrayContaining([
          [SMALL.name, true],
          [LARGE_NAME, true],
        ]),
      );
      await world.audit.check(page, 'platform: files (uploaded)');
    }, 240_000);

    it('shows exactly what will be signed on the check-your-response page', async () => {
      const { page } = platform;
      await page.goto(`/notices/${noticeId}/respond/review`);
      await h1(page, 'Check your response');
      for (const answer of [ANSWERS[0], CANNOT_ANSWER, ANSWERS[2]])
        await page
          .getByText(answer as string)
          .first()
          .waitFor();
      await page.getByText(sha256(SMALL.bytes)).first().waitFor();
      // Who signs is named here (the manifest's signer); the sign step refuses to sign without one.
      await page.getByLabel('Full name').fill('Xavier Counsel');
      await page.getByLabel('Job title').fill('General Counsel');
      await page.getByRole('button', { name: 'Mark as ready for signing' }).click();
      await page.getByText('Marked as ready for signing.').waitFor();
      await page.getByText('The manifest that will be signed').click();
      await world.audit.check(page, 'platform: review');
      const draft = await world.harness.as('x-corp-legal').get(`/notices/${noticeId}/response-draft`);
      expect(draft.body.signer).toMatchObject({ name: 'Xavier Counsel', title: 'General Counsel' });
    });

    it('makes a key in the browser, and the admin registers it on the admin page', async () => {
      const { page } = platform;
      await page.goto(`/notices/${noticeId}/respond/sign`);
      await h1(page, 'Sign the response');
      await page.getByRole('button', { name: 'Generate a new signing key' }).click();
      const thumbprint = (await page.getByTestId('key-thumbprint').textContent()) as string;
      const jwk = (await page.getByTestId('public-jwk').textContent()) as string;
      await page.getByTestId('key-registration').getByText('Not registered').waitFor();
      await world.audit.check(page, 'platform: sign (key not registered)');

      const admin = await world.open();
      await signIn(admin.page, 'admin', { path: '/admin/platforms/x-corp' });
      await admin.page.getByRole('button', { name: 'Register a signing key' }).click();
      const dialog = admin.page.getByRole('dialog', { name: 'Register a signing key' });
      await dialog.getByRole('textbox', { name: /^Key/ }).fill(jwk);
      await dialog.getByRole('textbox', { name: /^Label/ }).fill('Legal team browser key');
      await dialog.getByText(thumbprint).first().waitFor();
      await dialog.getByRole('button', { name: 'Register key' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await admin.page.getByRole('article', { name: `Signing key ${thumbprint}` }).waitFor();
      await scanUnlessCovered(admin.page, 'admin: platform (browser key registered)');

      await page.reload();
      await page.getByTestId('key-registration').getByText('Registered: active').waitFor();
      await world.audit.check(page, 'platform: sign (ready)');
    });

    it('signs and files; the confirmation gives the receipt number and the receipt to download', async () => {
      const { page } = platform;
      await page.getByRole('button', { name: 'Sign the response' }).click();
      await page.waitForURL((url) => url.pathname === `/notices/${noticeId}/respond/file`);
      await h1(page, 'File the response');
      await world.audit.check(page, 'platform: file');
      await page.getByRole('button', { name: 'File the response' }).click();
      // A single-page navigation: wait for the address, not for a load event.
      await page.waitForURL((url) => url.pathname === `/notices/${noticeId}/receipt/${submissionId}`, {
        timeout: 30_000,
        waitUntil: 'commit',
      });
      const submission = await world.harness.as('x-corp-legal').get(`/notices/${noticeId}/submissions/${submissionId}`);
      expect(submission.body.status).toBe('filed');
      receiptNumber = submission.body.receipt.number;
      await h1(page, 'Response filed');
      await page.getByText('Filed on time').waitFor();
      await page.getByText(receiptNumber, { exact: true }).first().waitFor();
      await world.audit.check(page, 'platform: receipt');

      const downloading = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Download the receipt (.jws)' }).click();
      const download = await downloading;
      expect(download.suggestedFilename()).toMatch(/\.jws$/);
      receiptFile = join(dir, download.suggestedFilename());
      await download.saveAs(receiptFile);
      expect(readFileSync(receiptFile, 'utf8').trim()).toBe(submission.body.receipt.jws);
    });

    it('the receipt verifies in the browser with the files, and with `npx notice-portal verify-receipt`', async () => {
      const { page } = platform;
      if (!receiptFile) throw new Error('there is no receipt to verify: the filing step did not finish');
      await page.goto('/verify-receipt');
      await h1(page, 'Verify a receipt');
      await chooseFiles(page, 'Receipt file', receiptFile);
      await chooseFiles(page, 'Response files', [join(dir, SMALL.name), join(dir, LARGE_NAME)]);
      await page.getByRole('status').filter({ hasText: 'The receipt is valid' }).waitFor({ timeout: 60_000 });
      await page.getByText('2 of 2 listed files match.').waitFor({ timeout: 60_000 });
      await page.getByText(receiptNumber, { exact: true }).first().waitFor();
      await world.audit.check(page, 'platform: verify a receipt (valid)');

      const cli = await noticePortal(['verify-receipt', receiptFile, '--dir', dir]);
      expect(cli).toMatchObject({ code: 0 });
      expect(cli.stdout).toContain(`Receipt ${receiptNumber}: signature valid (ES256`);
      expect(cli.stdout).toMatch(new RegExp(`ok\\s+${SMALL.name.replace('.', '\\.')}`));
      expect(cli.stdout).toMatch(new RegExp(`ok\\s+${LARGE_NAME.replace('.', '\\.')}`));
    }, 120_000);

    it('the officer sees the verified submission', async () => {
      const { page } = officer;
      if (!receiptNumber) throw new Error('nothing was filed: the filing step did not finish');
      await page.reload();
      const card = page.getByRole('article', { name: `Submission ${submissionId}` });
      await card.getByText(receiptNumber, { exact: true }).waitFor();
      await card.getByText(sha256(SMALL.bytes)).waitFor();
      await card
        .getByText(/Verified by the portal .*: the stored bytes match\./)
        .first()
        .waitFor();
    });

    it("moves the dev clock, and the other notice's reminder is in the outbox", async () => {
      const now = Date.parse((await world.harness.anonymous().get('/dev/clock')).body.now);
      const minutes = Math.ceil((Date.parse(otherNotice.nextReminderAt) - now) / 60_000) + 1;
      expect((await world.harness.anonymous().post('/dev/clock', { minutes })).status).toBe(200);
      await world.harness.anonymous().post('/dev/reminders/run');
      const outbox = await world.harness.anonymous().get('/dev/outbox');
      const reminders = outbox.body.items.filter(
        (m: { text: string; subject: string }) => m.text.includes(otherNotice.id) && /^Reminder: /.test(m.subject),
      );
      expect(reminders).toHaveLength(1);
    });
  });

  it('scanned every platform page the journey showed', () => {
    expect(world.audit.unscanned()).toEqual([]);
  });
}
