import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { DevAccount, DevUserRegistry } from '../lambdas/adapters/dev-user-registry';
import { signInPage, tokenPage, writeHtml } from './dev-identity-pages';
import { DEV_USERS, type DevIdentityProvider, DisabledDevUser, UnknownDevUser } from './dev-identity-provider';
import { readBody, writeJson } from './http-adapter';
import { parseJson } from './json-body';

/** Where the development identity provider is served: its JWKS, sign-in pages and token endpoints. */
export const IDP_PREFIX = '/dev-idp';

export async function serveIdentity(
  identity: DevIdentityProvider,
  registry: DevUserRegistry | undefined,
  request: IncomingMessage,
  url: URL,
  response: ServerResponse,
): Promise<void> {
  const method = request.method;
  const path = url.pathname.slice(IDP_PREFIX.length);
  if (method === 'GET' && path === '/.well-known/jwks.json') return writeJson(response, 200, identity.jwks);
  if (method === 'GET' && path === '/users') {
    const accounts = registry?.all() ?? DEV_USERS.map((u) => ({ ...u, enabled: true }));
    return writeJson(
      response,
      200,
      accounts.map(({ username, name, email, groups, platformId, enabled }) => ({
        username,
        name,
        email,
        groups,
        platformId,
        enabled,
      })),
    );
  }
  if (path === '/sign-in' && method === 'GET') return writeHtml(response, 200, signInPage(registry?.all() ?? []));
  if (path === '/sign-in' && method === 'POST') return await serveSignInForm(identity, registry, request, response);
  if (path === '/token' && method === 'POST')
    return await serveTokenForCredentials(identity, registry, request, response);
  const username = /^\/token\/([A-Za-z0-9@%._+-]+)$/.exec(path)?.[1];
  if (method === 'POST' && username !== undefined)
    return await serveTokenForUser(identity, registry, username, response);
  writeJson(response, 404, { error: { code: 'not-found', message: `No route ${method} ${url.pathname}.` } });
}

/** The sign-in form posted: the token page, or the form again with why not. */
async function serveSignInForm(
  identity: DevIdentityProvider,
  registry: DevUserRegistry | undefined,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const form = new URLSearchParams((await readBody(request)).toString('utf8'));
  const account = signIn(registry, form.get('username') ?? '', form.get('password') ?? undefined);
  if (!account) return writeHtml(response, 401, signInPage(registry?.all() ?? [], 'Unknown user or wrong password.'));
  if (!account.enabled) return writeHtml(response, 403, signInPage(registry?.all() ?? [], 'This account is disabled.'));
  return writeHtml(response, 200, tokenPage(account.username, await identity.tokenFor(account.username)));
}

/** `POST /dev-idp/token/<user>` → that user's ID token as text, no password asked (local only). */
async function serveTokenForUser(
  identity: DevIdentityProvider,
  registry: DevUserRegistry | undefined,
  encodedUsername: string,
  response: ServerResponse,
): Promise<void> {
  try {
    writeToken(response, await identity.tokenFor(decodeURIComponent(encodedUsername)));
  } catch (error) {
    if (error instanceof UnknownDevUser) {
      const known = (registry?.all() ?? DEV_USERS).map((u) => u.username).join(', ');
      return writeJson(response, 404, { error: { code: 'not-found', message: `${error.message}; try ${known}.` } });
    }
    if (error instanceof DisabledDevUser)
      return writeJson(response, 403, { error: { code: 'forbidden', message: error.message } });
    if (error instanceof URIError) {
      return writeJson(response, 404, { error: { code: 'not-found', message: 'Malformed user name.' } });
    }
    throw error;
  }
}

/**
 * `POST /dev-idp/token` with JSON `{"username", "password"?}` → the ID token as text, like `/token/<user>`: the
 * scriptable twin of the sign-in form. Seeded accounts need no password; invited ones need the temporary password
 * that `POST /users` returned.
 */
async function serveTokenForCredentials(
  identity: DevIdentityProvider,
  registry: DevUserRegistry | undefined,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const parsed = DevSignInSchema.safeParse(parseJson(await readBody(request)));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    return writeJson(response, 400, {
      error: { code: 'validation-failed', message: 'Send JSON {"username": "…", "password": "…"}.', issues },
    });
  }
  const account = signIn(registry, parsed.data.username, parsed.data.password);
  if (!account) {
    return writeJson(response, 401, { error: { code: 'unauthorized', message: 'Unknown user or wrong password.' } });
  }
  if (!account.enabled) {
    return writeJson(response, 403, { error: { code: 'forbidden', message: 'This account is disabled.' } });
  }
  writeToken(response, await identity.tokenFor(account.username));
}

const DevSignInSchema = z
  .object({ username: z.string().min(1).max(320), password: z.string().min(1).max(256).optional() })
  .strict();

/**
 * The account, if it exists and the password fits. Seeded accounts have no password (they are picked from the
 * list and must be signed into without one); invited ones sign in with their temporary password.
 */
export function signIn(
  registry: DevUserRegistry | undefined,
  username: string,
  password: string | undefined,
): DevAccount | undefined {
  const account = registry?.find(username);
  const allowed =
    account && (password === undefined ? !account.passwordHash : registry?.checkPassword(account, password));
  return allowed ? account : undefined;
}

function writeToken(response: ServerResponse, jwt: string): void {
  response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  response.end(jwt);
}
