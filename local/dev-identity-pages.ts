import type { ServerResponse } from 'node:http';
import type { DevAccount } from '../lambdas/adapters/dev-user-registry';

/** The development identity provider's HTML pages: the sign-in page that stands in for Cognito's, and the token. */

export function writeHtml(response: ServerResponse, status: number, html: string): void {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; form-action 'self'",
  });
  response.end(html);
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

const PAGE_STYLE =
  'body{font:16px system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}button{margin:.2rem 0;padding:.4rem .8rem}' +
  'textarea{width:100%;height:9rem;font:12px monospace}.error{color:#a00}li{list-style:none;margin:.3rem 0}';

/** The development sign-in page: pick a seeded account, or sign in as an invited one with its password. */
export function signInPage(accounts: DevAccount[], error?: string): string {
  const pick = accounts
    .filter((a) => !a.passwordHash)
    .map(
      (a) =>
        `<li><form method="post"><input type="hidden" name="username" value="${escapeHtml(a.username)}">` +
        `<button${a.enabled ? '' : ' disabled'}>${escapeHtml(a.name)}</button> ${escapeHtml(a.groups.join(', '))}` +
        `${a.platformId ? ` · ${escapeHtml(a.platformId)}` : ''}${a.enabled ? '' : ' · disabled'}</form></li>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in · development</title><style>${PAGE_STYLE}</style></head><body>
<h1>Notice portal — development sign-in</h1>
<p>Local only: this page stands in for Cognito's hosted sign-in. Tokens have Cognito's claim shape and last one hour.</p>
${error ? `<p class="error">${escapeHtml(error)}</p>` : ''}
<h2>Seeded accounts</h2><ul>${pick}</ul>
<h2>Invited account</h2>
<form method="post"><label>E-mail <input name="username" type="email" required></label>
<label>Password <input name="password" type="password" required></label> <button>Sign in</button></form>
</body></html>`;
}

export function tokenPage(username: string, token: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Token · development</title><style>${PAGE_STYLE}</style></head><body>
<h1>Signed in as ${escapeHtml(username)}</h1>
<p>Your ID token (valid for one hour). Use it as <code>Authorization: Bearer &lt;token&gt;</code>.</p>
<textarea readonly id="token">${escapeHtml(token)}</textarea>
<p><button onclick="navigator.clipboard.writeText(document.getElementById('token').value)">Copy</button>
<a href="sign-in">Sign in as someone else</a></p></body></html>`;
}
