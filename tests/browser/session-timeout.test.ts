import { type BrowserWorld, type Session, startBrowserWorld } from './support/browser-portal';
import { signIn } from './support/sign-in';

/**
 * GOV.UK's timeout warning, on the browser's own (fake) clock: two minutes before the one-hour session ends a
 * dialog offers to stay signed in, which renews the session with the refresh token; if the session ends anyway,
 * signing in again comes back to the same page with what was typed still in the form.
 */
let world: BrowserWorld;
let session: Session;
beforeAll(async () => {
  world = await startBrowserWorld();
  session = await world.open();
  // Fake timers from the first page on, so the test can move the browser's clock past the token's lifetime.
  await session.page.clock.install();
}, 60_000);
afterEach(() => world.assertNoPageProblems());
afterAll(async () => {
  if (world) console.log(world.audit.summary());
  await world?.stop();
});

const TITLE = 'Transparency notice: typed before the session ended';

describe('the session timeout warning', () => {
  it('warns two minutes before the session ends, and "Stay signed in" renews it without leaving the page', async () => {
    const { page } = session;
    await signIn(page, 'officer', { path: '/notices/new', audit: world.audit });
    await page.getByRole('textbox', { name: /^Title/ }).fill(TITLE);
    const expiresAt = await storedExpiry(page);

    // Act: 58.5 of the session's 60 minutes pass.
    await page.clock.fastForward('58:30');

    const warning = page.getByRole('dialog', { name: 'You will be signed out soon' });
    await warning.waitFor();
    await world.audit.check(page, 'session timeout warning');
    await warning.getByRole('button', { name: 'Stay signed in' }).click();

    // Assess: the dialog goes, the session was renewed (later expiry), the page and its text are as they were.
    await warning.waitFor({ state: 'detached' });
    expect(await storedExpiry(page)).toBeGreaterThan(expiresAt + 50 * 60);
    expect(await page.getByRole('textbox', { name: /^Title/ }).inputValue()).toBe(TITLE);
  });

  it('says when the session has ended, and signing in again returns to the page with the form as it was', async () => {
    const { page } = session;

    // Act: the renewed session runs out with nobody at the keyboard.
    await page.clock.fastForward('01:01:00');
    const ended = page.getByRole('dialog', { name: 'Your session has ended' });
    await ended.waitFor();
    await world.audit.check(page, 'session ended');
    await ended.getByRole('button', { name: 'Sign in again' }).click();
    await page.waitForURL((url) => url.pathname.endsWith('/dev-idp/oauth2/authorize'));
    await page.getByRole('radio', { name: 'Oscar Officer', exact: true }).check();
    await page.getByRole('button', { name: 'Sign in as the chosen account' }).click();

    // Assess: back on the create page, signed in, with the title typed before the session ended.
    await page.waitForURL((url) => url.pathname === '/notices/new');
    await page.getByRole('heading', { level: 1, name: 'Create a notice' }).waitFor();
    const title = page.getByRole('textbox', { name: /^Title/ });
    // The saved values are put back just after the form mounts.
    for (let i = 0; i < 50 && (await title.inputValue()) !== TITLE; i++) await page.waitForTimeout(100);
    expect(await title.inputValue()).toBe(TITLE);
    expect(await page.getByRole('dialog').count()).toBe(0);
  });
});

/** The session's expiry (seconds since the epoch) as oidc-client-ts stored it in sessionStorage. */
async function storedExpiry(page: Session['page']): Promise<number> {
  // Runs in the page; the root tsconfig has no DOM types, hence the narrow local shape.
  const stored = await page.evaluate(() => {
    const storage = (globalThis as unknown as { sessionStorage: Record<string, string> }).sessionStorage;
    const key = Object.keys(storage).find((k) => k.startsWith('oidc.user:'));
    return key ? (storage[key] ?? null) : null;
  });
  if (!stored) throw new Error('no stored session');
  return (JSON.parse(stored) as { expires_at: number }).expires_at;
}
