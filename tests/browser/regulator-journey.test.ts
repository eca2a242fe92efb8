import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import type { Page, Response } from 'playwright-core';
import { verifyChain } from '../../lambdas/domain/notice-event';
import { formatInZone } from '../../web/src/components/notice-format';
import { type BrowserWorld, type Session, startBrowserWorld } from './support/browser-portal';
import { signIn } from './support/sign-in';

/**
 * The proof, in a real browser against the built app on a real local portal: an officer creates a notice
 * with three questions, sees its due time computed live, issues it, finds it in the table by filter; the platform
 * asks for an extension (through the API until the platform's pages exist); the officer grants it and the timeline
 * shows it with a verified chain. Then an admin onboards a platform and registers its signing key. Every page the
 * journeys show is scanned with axe; any console error or CSP violation fails the step that caused it.
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

const QUESTIONS = [
  'Describe the tools you use to detect known child sexual abuse material.',
  'State the median time to action a user report, for each quarter of 2025.',
  'How many trust and safety staff did you employ on 1 January 2026?',
];
interface DueTimePreview {
  givenAt: string;
  dueAt: string;
  dueExplanation: string[];
}

const TITLE = 'Transparency notice: detection of child sexual abuse material';

describe('a regulator officer, in the browser', () => {
  let officer: Session;
  let page: Page;
  let noticeId: string;
  let preview: DueTimePreview | undefined;

  beforeAll(async () => {
    officer = await world.open();
    page = officer.page;
    // The create page asks the portal for the due time as the draft changes; the last answer is what it shows.
    page.on('response', (response) => void keepPreview(response));
  });
  const keepPreview = async (response: Response) => {
    if (response.request().method() === 'POST' && response.url().endsWith('/api/due-time-preview') && response.ok()) {
      preview = await response.json();
    }
  };

  it('signs in with OIDC authorization code + PKCE and lands on the dashboard', async () => {
    await signIn(page, 'officer', { audit: world.audit });

    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await world.audit.check(page, 'dashboard');
  });

  it('creates a notice with three questions and sees the due time the preview endpoint computes, live', async () => {
    await page.getByRole('link', { name: 'Create a notice' }).click();
    await page.getByRole('heading', { level: 1, name: 'Create a notice' }).waitFor();
    await page.getByRole('combobox', { name: 'Type of notice' }).waitFor();
    await world.audit.check(page, 'create a notice (empty)');

    await page.getByRole('combobox', { name: 'Type of notice' }).selectOption('transparency-notice');
    // AgDS draws its own box over the input, so a person clicks the box or the name: the label.
    await page.getByRole('group', { name: 'Platforms' }).getByText('X Corp. (x-corp)').click();
    expect(await page.getByRole('checkbox', { name: 'X Corp. (x-corp)' }).isChecked()).toBe(true);
    await page.getByRole('textbox', { name: /^Title/ }).fill(TITLE);
    for (const [index, question] of QUESTIONS.entries()) {
      if (index > 0) await page.getByRole('button', { name: 'Add a question' }).click();
      await page.getByRole('textbox', { name: `Question ${index + 1}`, exact: true }).fill(question);
    }

    // The preview is asked for once the terms settle; what it shows is what the portal's deadline engine said.
    const dueTime = page.getByTestId('due-time-preview');
    await dueTime.getByText(/^Due .*\(Australia\/Sydney\)$/).waitFor();
    await waitFor(() => preview !== undefined, 'a due-time preview response');
    const shown = preview as DueTimePreview;
    await dueTime.getByText(`Due ${formatInZone(shown.dueAt, 'Australia/Sydney')} (Australia/Sydney)`).waitFor();
    expect(shown.dueExplanation.length).toBeGreaterThan(1);
    for (const step of shown.dueExplanation) await dueTime.getByText(step, { exact: true }).waitFor();
    await world.audit.check(page, 'create a notice (filled in, due time shown)');
  });

  it('checks the answers, issues the notice, and the confirmation states when it was given', async () => {
    await page.getByRole('button', { name: 'Save as draft' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check the notice before issuing it' }).waitFor();
    for (const question of QUESTIONS) await page.getByText(question).waitFor();
    await world.audit.check(page, 'check the notice');

    await page.getByRole('button', { name: 'Issue notice' }).click();
    await page.getByRole('heading', { level: 1, name: 'Notice issued' }).waitFor();
    noticeId = (await page.getByTestId('reference-number').textContent()) ?? '';
    expect(noticeId).toMatch(/^ntc_/);
    expect(new URL(page.url()).pathname).toBe(`/notices/${noticeId}/issued`);
    const issued = await world.harness.as('officer').get(`/notices/${noticeId}`);
    expect(issued.body).toMatchObject({ status: 'issued', title: TITLE, platformId: 'x-corp' });
    expect(issued.body.requirements.questions.map((q: { text: string }) => q.text)).toEqual(QUESTIONS);
    await page
      .getByText(`was given to X Corp. at ${formatInZone(issued.body.givenAt, issued.body.timeZone)}`)
      .waitFor();
    await world.audit.check(page, 'notice issued (confirmation)');
  });

  it('finds the notice in the table by filter; the filter is in the address and the back button returns', async () => {
    await page.getByRole('link', { name: 'Notices', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Notices' }).waitFor();
    await world.audit.check(page, 'notices table');

    await page.getByLabel('Status').selectOption('issued');
    await page.getByLabel('Platform').selectOption('x-corp');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL((url) => url.searchParams.get('status') === 'issued');
    expect(new URL(page.url()).searchParams.get('platformId')).toBe('x-corp');
    await page.getByRole('link', { name: TITLE }).waitFor();
    await world.audit.check(page, 'notices table (filtered)');

    await page.goBack();
    await page.waitForURL((url) => !url.searchParams.has('status'));
    expect(await page.getByLabel('Status').inputValue()).toBe('');
    await page.goForward();
    await page.waitForURL((url) => url.searchParams.get('status') === 'issued');
    expect(await page.getByLabel('Status').inputValue()).toBe('issued');
    await page.getByRole('link', { name: TITLE }).click();
    await page.waitForURL((url) => url.pathname === `/notices/${noticeId}`);
  });

  it('grants the extension the platform asked for; the timeline shows it and "Verify chain" passes', async () => {
    const notice = await world.harness.as('officer').get(`/notices/${noticeId}`);
    // Two weeks later, on a whole minute: the grant form's date-time field (defaulting to the time asked for)
    // has minutes, not seconds.
    const requestedDueAt = new Date(
      Math.floor((Date.parse(notice.body.dueAt) + 14 * 86_400_000) / 60_000) * 60_000,
    ).toISOString();
    const asked = await platformApi('x-corp-legal', `/notices/${noticeId}/extensions`, {
      requestedDueAt,
      reason: 'Our data warehouse is being migrated; the quarterly figures are not available until then.',
    });
    expect(asked.status).toBe(201);

    await page.reload();
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await page
      .getByText(/data warehouse is being migrated/)
      .first()
      .waitFor();
    await world.audit.check(page, 'notice page (extension requested)');

    await page.getByRole('button', { name: 'Grant extension' }).click();
    const dialog = page.getByRole('dialog', { name: 'Grant this extension' });
    await dialog.waitFor();
    await dialog.getByLabel(/^Legal basis/).fill('Online Safety Act 2021 (Cth) s 57(2)');
    await dialog.getByLabel(/^Reason/).fill('The migration is documented and the figures need it.');
    await world.audit.check(page, 'notice page (grant extension dialog)');
    await dialog.getByRole('button', { name: 'Grant extension' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const history = page.getByRole('region', { name: 'History' });
    await history.getByRole('heading', { name: /^\d+\. Extension granted$/ }).waitFor();
    const granted = await world.harness.as('officer').get(`/notices/${noticeId}`);
    expect(granted.body.dueAt).toBe(requestedDueAt);
    expect(granted.body.extensions[0]).toMatchObject({ status: 'granted', grantedDueAt: requestedDueAt });
    const events = await world.harness.as('officer').get(`/notices/${noticeId}/history`);
    expect(events.body.items.map((e: { kind: string }) => e.kind)).toEqual([
      'created',
      'issued',
      'extension-requested',
      'extension-granted',
    ]);
    expect(verifyChain(events.body.items)).toEqual({ valid: true });

    await history.getByRole('button', { name: 'Verify chain' }).click();
    await history.getByText('Chain verified: all 4 events passed').waitFor();
    await world.audit.check(page, 'notice page (extension granted, chain verified)');
  });
});

describe('a regulator admin, in the browser', () => {
  let page: Page;
  const platformId = 'pixel-forum';

  beforeAll(async () => {
    ({ page } = await world.open());
  });

  it('onboards a platform', async () => {
    // Through the menu from the notices table, as an admin gets there: that page fills the platforms cache first
    // (this once crashed the Platforms page, which read the cache in another shape).
    await signIn(page, 'admin', { path: '/notices' });
    await page.getByRole('table').waitFor();
    await page.getByRole('link', { name: 'Platforms', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Platforms' }).waitFor();
    await page.getByRole('table', { name: 'Onboarded platforms' }).waitFor();
    await world.audit.check(page, 'admin: platforms');

    await page.getByRole('button', { name: 'Onboard a platform' }).click();
    const dialog = page.getByRole('dialog', { name: 'Onboard a platform' });
    await dialog.getByRole('textbox', { name: /^Platform id/ }).fill(platformId);
    await dialog.getByRole('textbox', { name: /^Legal name/ }).fill('Pixel Forum Pty Ltd');
    await dialog.getByRole('textbox', { name: /^Country/ }).fill('AU');
    await dialog.getByRole('textbox', { name: /^Addresses for service/ }).fill('legal@pixel-forum.example');
    await world.audit.check(page, 'admin: onboard a platform (dialog)');
    await dialog.getByRole('button', { name: 'Onboard platform' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await page.getByRole('table', { name: 'Onboarded platforms' }).getByText('Pixel Forum Pty Ltd').waitFor();
    const stored = await world.harness.as('admin').get(`/platforms/${platformId}`);
    expect(stored.body).toMatchObject({ platformId, legalName: 'Pixel Forum Pty Ltd', status: 'active' });
  });

  it('registers a signing key by pasting its public JWK, and the key is listed with its thumbprint', async () => {
    const { publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const jwk = await exportJWK(publicKey);
    const thumbprint = await calculateJwkThumbprint(jwk, 'sha256');

    await page.getByRole('link', { name: 'Pixel Forum Pty Ltd' }).click();
    await page.getByRole('heading', { level: 1, name: 'Pixel Forum Pty Ltd' }).waitFor();
    await world.audit.check(page, 'admin: platform');
    await page.getByRole('button', { name: 'Register a signing key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Register a signing key' });
    await dialog.getByRole('textbox', { name: /^Key/ }).fill(JSON.stringify(jwk, null, 2));
    await dialog.getByRole('textbox', { name: /^Label/ }).fill('Legal team key 2026');
    // The thumbprint is computed in the browser as the key is pasted, before anything is sent.
    await dialog.getByText(thumbprint).first().waitFor();
    await world.audit.check(page, 'admin: register a signing key (dialog)');
    await dialog.getByRole('button', { name: 'Register key' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const listed = page.getByRole('article', { name: `Signing key ${thumbprint}` });
    await listed.getByText(thumbprint, { exact: true }).waitFor();
    const keys = await world.harness.as('admin').get(`/platforms/${platformId}/signing-keys`);
    expect(keys.body.items.map((k: { kid: string }) => k.kid)).toEqual([thumbprint]);
    await world.audit.check(page, 'admin: platform (key registered)');
  });
});

it('scanned every page the journeys showed', () => {
  expect(world.audit.unscanned()).toEqual([]);
});

/** The platform's side through the API with a development token, as `curl` would (part 2 adds its pages). */
async function platformApi(username: string, path: string, body: unknown) {
  const token = await (await fetch(`${world.url}/dev-idp/token/${username}`, { method: 'POST' })).text();
  const response = await fetch(`${world.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
