import type { Page } from 'playwright-core';
import { DEV_USERS } from '../../../local/dev-identity-provider';
import type { AccessibilityAudit } from './accessibility-audit';
import { assertFocusVisible, isFocused, tabTo } from './keyboard';

export type DevUsername = (typeof DEV_USERS)[number]['username'];

/**
 * Signs in the way a person does: open a page, press "Sign in", pick the account on the development identity
 * provider's authorize page (it stands in for Cognito's hosted UI), and come back through /auth/callback, where
 * oidc-client-ts redeems the code with its PKCE verifier. Resolves on the page that was opened, signed in.
 * The authorize page is scanned too: it is part of the journey. With `keyboard`, only keys are pressed.
 */
export async function signIn(
  page: Page,
  username: DevUsername,
  options: { path?: string; audit?: AccessibilityAudit; keyboard?: boolean } = {},
): Promise<void> {
  const user = DEV_USERS.find((u) => u.username === username);
  if (!user) throw new Error(`no seeded user ${username}`);
  const path = options.path ?? '/';
  await page.goto(path);
  const signInButton = page.getByRole('button', { name: 'Sign in', exact: true });
  await signInButton.waitFor();
  if (options.keyboard) {
    await tabTo(page, signInButton);
    await page.keyboard.press('Enter');
  } else await signInButton.click();
  await page.waitForURL((url) => url.pathname.endsWith('/dev-idp/oauth2/authorize'));
  const authorize = new URL(page.url());
  // The app asked for the code flow with PKCE (S256), not the implicit flow.
  for (const [name, value] of [
    ['response_type', 'code'],
    ['code_challenge_method', 'S256'],
  ] as const) {
    if (authorize.searchParams.get(name) !== value)
      throw new Error(`authorize request has ${name}≠${value}: ${authorize}`);
  }
  if (!authorize.searchParams.get('code_challenge'))
    throw new Error(`authorize request has no code_challenge: ${authorize}`);
  await options.audit?.check(page, 'development sign-in (authorize)');
  const account = page.getByRole('radio', { name: user.name, exact: true });
  const submit = page.getByRole('button', { name: 'Sign in as the chosen account' });
  if (options.keyboard) {
    // Tab enters a radio group once; the arrow keys move (and select) within it.
    await tabTo(page, page.getByRole('radio').first());
    for (let i = 0; i < 10 && !(await isFocused(account)); i++) await page.keyboard.press('ArrowDown');
    if (!(await account.isChecked())) throw new Error(`the arrow keys did not select ${user.name}`);
    await assertFocusVisible(page);
    await tabTo(page, submit);
    await page.keyboard.press('Enter');
  } else {
    await account.check();
    await submit.click();
  }
  await page.waitForURL((url) => url.pathname === new URL(path, 'http://x').pathname);
  // The header shows who is signed in once the session is adopted.
  await page.getByText(user.name, { exact: true }).first().waitFor();
}
