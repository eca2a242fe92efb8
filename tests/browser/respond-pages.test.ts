import type { Page } from 'playwright-core';
import { transparencyDraft } from '../integration/support/portal-harness';
import { type Call, openAndUpload, registeredSigner, signedFinalize } from '../integration/support/response-filing';
import { type BrowserWorld, startBrowserWorld } from './support/browser-portal';
import { signIn } from './support/sign-in';

/**
 * The platform's own pages in Chromium against the real local portal: the inbox (acknowledge from the list), the
 * notice page (ask for more time beside the due time), the task list, the answers editor (autosaved, surviving a
 * reload), the check page (signer, ready for signing), the file step and the receipt. Signing itself is the sign
 * step's test; here the signed response is handed over the way the sign step does (sessionStorage).
 */
let world: BrowserWorld;
let call: Call;

beforeAll(async () => {
  world = await startBrowserWorld();
  const { harness } = world;
  call = (user, method, path, body) =>
    method === 'GET' ? harness.as(user).get(path) : harness.as(user).post(path, body);
}, 90_000);
afterEach(() => world.assertNoPageProblems());
afterAll(async () => {
  if (world) console.log(world.audit.summary());
  await world?.stop();
});

const ANSWER_1 = 'We use PhotoDNA and an in-house classifier on every upload.';
const REASON_2 = 'We do not measure time to action per report category.';

describe("the platform's inbox and notice page", () => {
  it('lists a new notice first, acknowledges it from the list, and asks for more time beside the due time', async () => {
    const title = 'Inbox: notice to acknowledge';
    const draft = await call('officer', 'POST', '/notices', transparencyDraft('x-corp', { title }));
    expect((await call('officer', 'POST', `/notices/${draft.body.id}/issue`)).status).toBe(200);

    const { page } = await world.open();
    await signIn(page, 'x-corp-legal', { path: '/' });
    await page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
    const fresh = page.getByRole('region', { name: /Not yet acknowledged/ });
    await fresh.getByRole('link', { name: title }).waitFor();
    await world.audit.check(page, 'inbox');
    await page.getByRole('button', { name: `Acknowledge receipt of ${title}` }).click();
    await page.getByRole('status').getByText(`Receipt of "${title}" acknowledged`).waitFor();
    await page
      .getByRole('region', { name: /Awaiting your response/ })
      .getByRole('link', { name: title })
      .click();

    await page.getByRole('heading', { name: title, level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Prepare a response' }).waitFor();
    await page.getByRole('button', { name: 'Ask for more time' }).click();
    const dialog = page.getByRole('dialog');
    // Two weeks after the current due time, typed on the notice's clocks (the field starts at the current one).
    const due = page.getByLabel('New due time you are asking for');
    const current = new Date(`${await due.inputValue()}:00Z`);
    await due.fill(new Date(current.getTime() + 14 * 86_400_000).toISOString().slice(0, 16));
    await page.getByLabel('Why you need more time').fill('Our records system is being migrated this week.');
    await dialog.getByRole('button', { name: 'Send request' }).click();
    await page.getByText('Awaiting a decision').waitFor();
    await world.audit.check(page, 'notice page, extension requested');
  });
});

describe('preparing and filing a response', () => {
  it('answers with autosave that survives a reload, checks, marks ready, files, and shows the receipt', async () => {
    const opened = await openAndUpload(call, [
      { name: 'response.pdf', bytes: Buffer.from('%PDF-1.7\nfiled\n%%EOF\n') },
    ]);
    // The files step records its submission in the draft (that is the uploads helper's page).
    const draft = await call('x-corp-legal', 'POST', `/notices/${opened.noticeId}/response-draft`, {
      expectedVersion: 0,
      answers: [],
      submissionId: opened.submissionId,
    });
    expect(draft.status).toBe(200);

    const { page } = await world.open();
    await signIn(page, 'x-corp-legal', { path: `/notices/${opened.noticeId}/respond` });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('heading', { name: 'Respond to this notice', level: 1 }).waitFor();
    await world.audit.check(page, 'task list');
    await page.getByRole('link', { name: /Answer the questions/ }).click();

    await page.getByRole('heading', { name: 'Answer the questions', level: 1 }).waitFor();
    await page.getByLabel('Your answer to question 1').fill(ANSWER_1);
    // Keys, as a keyboard user ticks it (AgDS draws its own box over the native input).
    await page.getByRole('checkbox', { name: 'I cannot answer this question' }).nth(1).focus();
    await page.keyboard.press('Space');
    await page.getByLabel('Why you cannot answer question 2').fill(REASON_2);
    await page
      .getByRole('status')
      .getByText(/^Saved at \d\d:\d\d \S+$/)
      .waitFor();
    await world.audit.check(page, 'answers editor');
    await page.reload();
    expect(await page.getByLabel('Your answer to question 1').inputValue()).toBe(ANSWER_1);
    expect(await page.getByLabel('Why you cannot answer question 2').inputValue()).toBe(REASON_2);
    await page.getByText('2 of 2 questions complete.').waitFor();
    await page.getByRole('button', { name: 'Save and continue' }).click();

    await page.getByRole('heading', { name: 'Respond to this notice', level: 1 }).waitFor();
    await page.getByRole('link', { name: /Check your response/ }).click();
    await page.getByRole('heading', { name: 'Check your response', level: 1 }).waitFor();
    await page.getByText(ANSWER_1, { exact: true }).waitFor();
    await page.getByLabel('Full name').fill('Xavier Counsel');
    await page.getByLabel('Job title').fill('General Counsel');
    await page.getByRole('button', { name: 'Mark as ready for signing' }).click();
    await page.getByText('Marked as ready for signing.').waitFor();
    await page.getByText(/Prepared by .*, ready for signing/).waitFor();
    await page.getByText('The manifest that will be signed').click();
    await world.audit.check(page, 'check your response');

    // Hand-over as the sign step makes it, for a key the admin registered.
    const signed = await signedFinalize(opened, await registeredSigner(call));
    await handOver(page, `signed-response:${opened.noticeId}:${opened.submissionId}`, signed);
    await page.goto(`/notices/${opened.noticeId}/respond/file`);
    await page.getByRole('heading', { name: 'File the response', level: 1 }).waitFor();
    await world.audit.check(page, 'file the response');
    await page.getByRole('button', { name: 'File the response' }).click();

    await page.waitForURL((url) => url.pathname === `/notices/${opened.noticeId}/receipt/${opened.submissionId}`);
    await page.getByRole('heading', { name: 'Response filed', level: 1 }).waitFor();
    await page.getByText('Filed on time').waitFor();
    await world.audit.check(page, 'receipt');
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download the receipt (.jws)' }).click();
    expect((await downloading).suggestedFilename()).toMatch(/^receipt-NRP-\d{4}-[0-9A-Z-]+\.jws$/);
  });
});

describe('a response of answers only', () => {
  it('declares "This response has no files", names the empty submission in the draft, and completes the files task', async () => {
    const draft = await call('officer', 'POST', '/notices', transparencyDraft('x-corp', { title: 'Answers only' }));
    const noticeId = draft.body.id;
    expect((await call('officer', 'POST', `/notices/${noticeId}/issue`)).status).toBe(200);

    const { page } = await world.open();
    await signIn(page, 'x-corp-legal', { path: `/notices/${noticeId}/respond/files` });
    await page.getByRole('button', { name: 'This response has no files' }).click();
    await page.getByText('It will be signed and filed with its answers alone').waitFor();
    await world.audit.check(page, 'files step, no files');
    const saved = await call('x-corp-legal', 'GET', `/notices/${noticeId}/response-draft`);
    const submission = await call('x-corp-legal', 'GET', `/notices/${noticeId}/submissions/${saved.body.submissionId}`);
    await page.getByRole('link', { name: 'Back to the task list' }).first().click();

    await page.getByRole('heading', { name: 'Respond to this notice', level: 1 }).waitFor();
    const filesTask = page.getByRole('listitem').filter({ hasText: 'Add and upload files' });
    await filesTask.getByText('Completed').waitFor();
    expect(submission.body).toMatchObject({ status: 'open', files: [] });
  });
});

describe('two people at the platform editing the answers', () => {
  it("shows a colleague's later save as a conflict and lets the user choose theirs, saving nothing over it", async () => {
    const draft = await call('officer', 'POST', '/notices', transparencyDraft('x-corp', { title: 'Conflict notice' }));
    await call('officer', 'POST', `/notices/${draft.body.id}/issue`);
    const noticeId: string = draft.body.id;
    const { page, problems } = await world.open();
    // The refused save is the point of the test: Chromium logs the 409 it answered.
    problems.expect(/status of 409 \(Conflict\).*response-draft/);
    await signIn(page, 'x-corp-legal', { path: `/notices/${noticeId}/respond/answers` });
    await page.getByLabel('Your answer to question 1').fill('My first words.');
    await page
      .getByRole('status')
      .getByText(/^Saved at/)
      .waitFor();

    // A colleague saves after this page last saved (the API is what their browser would call).
    const latest = await call('x-corp-legal', 'GET', `/notices/${noticeId}/response-draft`);
    const colleague = await call('x-corp-legal', 'POST', `/notices/${noticeId}/response-draft`, {
      expectedVersion: latest.body.version,
      answers: [{ question: '1', answer: "The colleague's answer." }, { question: '2' }],
    });
    expect(colleague.status).toBe(200);

    await page.getByLabel('Your answer to question 1').fill('My second words.');
    await page.getByRole('heading', { name: 'Someone else changed these answers' }).waitFor();
    await world.audit.check(page, 'answers editor, conflict');
    await page.getByRole('button', { name: 'Use their answers' }).click();
    expect(await page.getByLabel('Your answer to question 1').inputValue()).toBe("The colleague's answer.");
    const after = await call('x-corp-legal', 'GET', `/notices/${noticeId}/response-draft`);
    expect(after.body.version).toBe(colleague.body.version);
  });
});

async function handOver(page: Page, key: string, value: unknown) {
  await page.evaluate(
    ([k, v]) =>
      (globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } }).sessionStorage.setItem(
        k as string,
        v as string,
      ),
    [key, JSON.stringify(value)],
  );
}
