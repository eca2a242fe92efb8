import type { DevAccount } from '../lambdas/adapters/dev-user-registry';
import type { AuthorizeParams } from './dev-oidc-requests';

/**
 * The OIDC sign-in page of the development identity provider (it stands in for Cognito's managed login), and the
 * page shown when a request cannot be sent back to the client. Plain HTML, no script; it is scanned with axe in the
 * browser tests, so: a language, a heading, one label per control, radio buttons grouped in a fieldset with a
 * legend, and an error summary whose links (and the fields' `aria-describedby`) point at the field in error.
 */

/** Which form and field an error belongs to, so it is shown next to that field and linked from the summary. */
export interface SignInError {
  form: 'seeded' | 'invited';
  message: string;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

const STYLE =
  'body{font:1rem/1.5 system-ui,sans-serif;color:#1a1a1a;max-width:40rem;margin:2rem auto;padding:0 1rem}' +
  'fieldset{border:1px solid #767676;padding:.5rem 1rem 1rem;margin:0 0 1rem}legend{font-weight:600}' +
  '.choice{margin:.4rem 0}.hint{color:#4a4a4a;display:block;margin-left:1.6rem}' +
  'label{font-weight:600}.field{margin:0 0 1rem}.field input{display:block;padding:.4rem;width:100%;max-width:22rem;border:2px solid #1a1a1a}' +
  'button{font:inherit;padding:.5rem 1rem;background:#1d4f6e;color:#fff;border:0;cursor:pointer}' +
  ':focus-visible{outline:3px solid #c75b00;outline-offset:2px}' +
  '.error{color:#a00000;font-weight:600}.error-summary{border:4px solid #a00000;padding:0 1rem;margin:0 0 1.5rem}' +
  '.error-summary a{color:#a00000}';

const OAUTH_FIELDS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
] as const;

function hiddenFields(params: AuthorizeParams): string {
  return OAUTH_FIELDS.filter((name) => params[name] !== undefined)
    .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(String(params[name]))}">`)
    .join('');
}

export function authorizePage(accounts: DevAccount[], params: AuthorizeParams, action: string, error?: SignInError) {
  const seeded = accounts.filter((a) => !a.passwordHash);
  const firstSeeded = seeded[0] ? `account-${seeded[0].username}` : 'username';
  const errorTarget = error?.form === 'seeded' ? firstSeeded : 'username';
  const seededError = error?.form === 'seeded' ? error.message : undefined;
  const invitedError = error?.form === 'invited' ? error.message : undefined;
  const choices = seeded
    .map((a) => {
      const id = `account-${escapeHtml(a.username)}`;
      const hint = `${a.groups.join(', ')}${a.platformId ? ` · ${a.platformId}` : ''}${a.enabled ? '' : ' · disabled'}`;
      const described = [`${id}-hint`, ...(seededError ? ['seeded-error'] : [])].join(' ');
      return (
        `<div class="choice"><input type="radio" name="username" id="${id}" value="${escapeHtml(a.username)}" ` +
        `aria-describedby="${described}"> <label for="${id}">${escapeHtml(a.name)}</label>` +
        `<span class="hint" id="${id}-hint">${escapeHtml(hint)}</span></div>`
      );
    })
    .join('');
  const summary = error
    ? `<div class="error-summary" role="alert" aria-labelledby="error-summary-title">` +
      `<h2 id="error-summary-title">There is a problem</h2>` +
      `<ul><li><a href="#${escapeHtml(errorTarget)}">${escapeHtml(error.message)}</a></li></ul></div>`
    : '';
  const invalid = invitedError ? ' aria-invalid="true" aria-describedby="username-error"' : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${error ? 'Error: ' : ''}Sign in · Notice portal (development)</title><style>${STYLE}</style></head><body><main>
<h1>Sign in to the notice portal</h1>
<p>Development identity provider: this page stands in for Cognito's sign-in page and exists only locally.</p>
${summary}
<h2>Seeded accounts</h2>
<form method="post" action="${escapeHtml(action)}" novalidate>${hiddenFields(params)}
<fieldset${seededError ? ' aria-describedby="seeded-error"' : ''}><legend>Choose an account</legend>
${seededError ? `<p class="error" id="seeded-error">Error: ${escapeHtml(seededError)}</p>` : ''}${choices}</fieldset>
<button type="submit">Sign in as the chosen account</button></form>
<h2>Invited accounts</h2>
<p>Sign in with the e-mail address and the temporary password that inviting the user returned.</p>
<form method="post" action="${escapeHtml(action)}" novalidate>${hiddenFields(params)}
<div class="field"><label for="username">User name (e-mail address)</label>
${invitedError ? `<p class="error" id="username-error">Error: ${escapeHtml(invitedError)}</p>` : ''}<input id="username" name="username" type="text" autocomplete="username" spellcheck="false"${invalid}></div>
<div class="field"><label for="password">Temporary password</label>
<input id="password" name="password" type="password" autocomplete="current-password"${invitedError ? ' aria-describedby="username-error"' : ''}></div>
<button type="submit">Sign in</button></form>
</main></body></html>`;
}

/** A request that cannot go back to the client (unknown client, or a redirect address that is not the portal's). */
export function oidcErrorPage(title: string, detail: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Error: ${escapeHtml(title)} · Notice portal (development)</title><style>${STYLE}</style></head><body><main>
<h1>${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p>
<p>Nothing was sent back to the application that asked. Start again from the notice portal.</p>
</main></body></html>`;
}
