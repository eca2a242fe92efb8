import type { Page } from 'playwright-core';
import {
  type Call,
  finalizePath,
  openAndUpload,
  pollUntilFiled,
  registeredSigner,
  sha256,
  signedFinalize,
} from '../integration/support/response-filing';
import { type BrowserWorld, startBrowserWorld } from './support/browser-portal';
import { signIn } from './support/sign-in';

/**
 * A response filed by the platform (signed manifest, bytes straight to S3, as the CLI does it), then reviewed in the
 * browser: the officer sees the receipt, the signer, each file with the hash the portal verified, downloads the
 * exact bytes, starts the review, accepts the response, and the chain still verifies in the browser.
 */
let world: BrowserWorld;
let page: Page;
let call: Call;
const FILE = { name: 'response.pdf', bytes: Buffer.from(`%PDF-1.7\nThe platform's answers, ${Date.now()}\n%%EOF\n`) };
let filed: { noticeId: string; submissionId: string; receiptNumber: string };

beforeAll(async () => {
  world = await startBrowserWorld();
  const { harness } = world;
  call = (user, method, path, body) =>
    method === 'GET' ? harness.as(user).get(path) : harness.as(user).post(path, body);
  const signer = await registeredSigner(call);
  const opened = await openAndUpload(call, [FILE]);
  const finalized = await call('x-corp-legal', 'POST', finalizePath(opened), await signedFinalize(opened, signer));
  if (finalized.status !== 200 && finalized.status !== 202)
    throw new Error(`not filed: ${JSON.stringify(finalized.body)}`);
  const submission = await pollUntilFiled(call, opened);
  filed = { ...opened, receiptNumber: submission.body.receipt.number };
  page = (await world.open()).page;
}, 90_000);
afterEach(() => world.assertNoPageProblems());
afterAll(async () => {
  if (world) console.log(world.audit.summary());
  await world?.stop();
});

describe('reviewing a filed response in the browser', () => {
  it('shows the receipt, the signer and each file with the SHA-256 the portal verified', async () => {
    await signIn(page, 'officer', { path: `/notices/${filed.noticeId}` });
    const card = page.getByRole('article', { name: `Submission ${filed.submissionId}` });
    await card.getByText('On time').waitFor();
    await card.getByText(filed.receiptNumber, { exact: true }).waitFor();
    await card.getByText('Xavier Counsel, General Counsel').waitFor();
    await card.getByText(FILE.name, { exact: true }).waitFor();
    await card.getByText(sha256(FILE.bytes)).waitFor();
    await card.getByText(/Verified by the portal .*: the stored bytes match\./).waitFor();
    await world.audit.check(page, 'notice page (response filed)');
  });

  it('downloads exactly the bytes that were filed', async () => {
    const card = page.getByRole('article', { name: `Submission ${filed.submissionId}` });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      card.getByRole('button', { name: `Download ${FILE.name}` }).click(),
    ]);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);

    expect(sha256(Buffer.concat(chunks))).toBe(sha256(FILE.bytes));
  });

  it('starts the review and accepts the response; the history verifies in the browser', async () => {
    await page.getByRole('button', { name: 'Start review' }).click();
    const review = page.getByRole('dialog', { name: 'Start reviewing the response' });
    await review.getByRole('button', { name: 'Start review' }).click();
    await review.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Accept response' }).waitFor();

    await page.getByRole('button', { name: 'Accept response' }).click();
    const accept = page.getByRole('dialog', { name: 'Accept the response' });
    await accept.getByLabel(/^Note/).fill('Complete: every question answered or reasoned.');
    await world.audit.check(page, 'notice page (accept dialog)');
    await accept.getByRole('button', { name: 'Accept response' }).click();
    await accept.waitFor({ state: 'hidden' });

    const notice = await call('officer', 'GET', `/notices/${filed.noticeId}`);
    expect(notice.body.status).toBe('accepted');
    await page.getByRole('button', { name: 'Close notice' }).waitFor();
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page.getByText(/^Chain verified: all \d+ events passed/).waitFor();
    await world.audit.check(page, 'notice page (accepted, chain verified)');
  });
});
