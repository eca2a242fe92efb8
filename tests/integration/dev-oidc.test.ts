import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { type Harness, startHarness } from './support/portal-harness';

/**
 * The development identity provider's OpenID Connect endpoints, driven as the web app's OIDC client drives them
 * (discovery → authorize page → form POST → code → token with the PKCE verifier → refresh → logout), against the
 * real local portal. Each refusal is checked for its RFC 6749 error.
 */
let harness: Harness;
let portal: string;
const CLIENT_ID = 'notice-portal-local';

beforeAll(async () => {
  harness = await startHarness();
  portal = harness.portal.url;
});
afterAll(() => harness.stop());

const callback = () => `${portal}/auth/callback`;

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeQuery(challenge: string, overrides: Record<string, string> = {}) {
  return new URLSearchParams({
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: callback(),
    scope: 'openid email profile',
    state: randomBytes(8).toString('hex'),
    nonce: randomBytes(8).toString('hex'),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  });
}

/** The hidden fields of the sign-in page's forms, as a browser would post them back. */
function hiddenFields(html: string): Record<string, string> {
  const unescapeHtml = (v: string) =>
    v
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)) {
    fields[match[1] as string] = unescapeHtml(match[2] as string);
  }
  return fields;
}

async function signIn(query: URLSearchParams, credentials: Record<string, string>) {
  const page = await fetch(`${portal}/dev-idp/oauth2/authorize?${query}`);
  const html = await page.text();
  const posted = await fetch(`${portal}/dev-idp/oauth2/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...hiddenFields(html), ...credentials }),
    redirect: 'manual',
  });
  return { page, html, posted, location: posted.headers.get('location') ?? '' };
}

async function codeFor(username: string, challenge: string, extra: Record<string, string> = {}) {
  const query = authorizeQuery(challenge);
  const { location } = await signIn(query, { username, ...extra });
  const url = new URL(location);
  return { code: url.searchParams.get('code') ?? '', state: url.searchParams.get('state'), query, url };
}

async function token(params: Record<string, string>) {
  const response = await fetch(`${portal}/dev-idp/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
}

const redeem = (code: string, verifier: string, overrides: Record<string, string> = {}) =>
  token({
    grant_type: 'authorization_code',
    client_id: CLIENT_ID,
    code,
    redirect_uri: callback(),
    code_verifier: verifier,
    ...overrides,
  });

describe('the OIDC code flow with PKCE', () => {
  it('signs an officer in, calls the API with the ID token, refreshes, and logs out', async () => {
    // Prepare: discovery, as the OIDC client starts.
    const discovery = (await (await fetch(`${portal}/dev-idp/.well-known/openid-configuration`)).json()) as any;
    const { verifier, challenge } = pkce();
    const query = authorizeQuery(challenge);

    // Act: the sign-in page, the form posted, the code redeemed.
    const { page, html, posted, location } = await signIn(query, { username: 'officer' });
    const redirect = new URL(location);
    const tokens = await redeem(redirect.searchParams.get('code') ?? '', verifier);
    const notices = await fetch(`${portal}/notices`, { headers: { authorization: `Bearer ${tokens.body.id_token}` } });
    const userInfo = await fetch(discovery.userinfo_endpoint, {
      headers: { authorization: `Bearer ${tokens.body.access_token}` },
    });
    const refreshed = await token({
      grant_type: 'refresh_token',
      client_id: CLIENT_ID,
      refresh_token: tokens.body.refresh_token,
    });
    const apiAfterRefresh = await fetch(`${portal}/api/notices`, {
      headers: { authorization: `Bearer ${refreshed.body.id_token}` },
    });
    const logout = await fetch(
      `${portal}/dev-idp/logout?${new URLSearchParams({ client_id: CLIENT_ID, logout_uri: `${portal}/signed-out` })}`,
      { redirect: 'manual' },
    );

    // Assess
    expect(discovery).toMatchObject({
      issuer: `${portal}/dev-idp`,
      authorization_endpoint: `${portal}/dev-idp/oauth2/authorize`,
      token_endpoint: `${portal}/dev-idp/oauth2/token`,
      userinfo_endpoint: `${portal}/dev-idp/oauth2/userInfo`,
      jwks_uri: `${portal}/dev-idp/.well-known/jwks.json`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      id_token_signing_alg_values_supported: ['ES256'],
    });
    expect(page.status).toBe(200);
    expect(html).toContain('<html lang="en">');
    expect(html).toMatch(/<h1>[^<]+<\/h1>/);
    expect(html).toMatch(/<fieldset[^>]*><legend>Choose an account<\/legend>/);
    expect(html).toContain('<label for="account-officer">Oscar Officer</label>');
    expect(html).toContain('<label for="password">');
    expect(posted.status).toBe(302);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(callback());
    expect(redirect.searchParams.get('state')).toBe(query.get('state'));

    expect(tokens.status).toBe(200);
    expect(tokens.headers.get('cache-control')).toBe('no-store');
    expect(tokens.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(typeof tokens.body.refresh_token).toBe('string');
    const idClaims = decodeJwt(tokens.body.id_token);
    // The ID token is what POST /dev-idp/token/<user> gives, plus the nonce and the sign-in's auth_time.
    const scripted = decodeJwt(await harness.portal.identity.tokenFor('officer'));
    const { iat: _a, exp: _b, auth_time: _c, ...scriptedClaims } = scripted;
    expect(idClaims).toMatchObject({ ...scriptedClaims, nonce: query.get('nonce'), token_use: 'id' });
    expect(typeof idClaims.auth_time).toBe('number');
    expect(notices.status).toBe(200);

    expect(decodeJwt(tokens.body.access_token)).toMatchObject({ token_use: 'access', client_id: CLIENT_ID });
    expect(userInfo.status).toBe(200);
    expect(await userInfo.json()).toMatchObject({ sub: idClaims.sub, username: 'officer', email: idClaims.email });

    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).toBeUndefined();
    const refreshedClaims = decodeJwt(refreshed.body.id_token);
    expect(refreshedClaims).toMatchObject({ sub: idClaims.sub, auth_time: idClaims.auth_time });
    expect(apiAfterRefresh.status).toBe(200);

    expect(logout.status).toBe(302);
    expect(logout.headers.get('location')).toBe(`${portal}/signed-out`);
  });

  it('keeps refusing the access token as an API credential', async () => {
    const { verifier, challenge } = pkce();
    const { code } = await codeFor('officer', challenge);
    const tokens = await redeem(code, verifier);

    const response = await fetch(`${portal}/notices`, {
      headers: { authorization: `Bearer ${tokens.body.access_token}` },
    });

    expect(response.status).toBe(401);
  });

  it('refuses a wrong code_verifier, and the code is then spent', async () => {
    const { verifier, challenge } = pkce();
    const { code } = await codeFor('officer', challenge);

    const wrong = await redeem(code, pkce().verifier);
    const right = await redeem(code, verifier);

    expect(wrong).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(wrong.body.error_description).toContain('code_verifier');
    expect(right).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('refuses a code used twice', async () => {
    const { verifier, challenge } = pkce();
    const { code } = await codeFor('x-corp-legal', challenge);

    const first = await redeem(code, verifier);
    const second = await redeem(code, verifier);

    expect(first.status).toBe(200);
    expect(second).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('refuses a code redeemed for another redirect_uri, and another client', async () => {
    const one = pkce();
    const two = pkce();
    const { code: first } = await codeFor('officer', one.challenge);
    const { code: second } = await codeFor('officer', two.challenge);

    const otherRedirect = await redeem(first, one.verifier, { redirect_uri: `${portal}/elsewhere` });
    const otherClient = await redeem(second, two.verifier, { client_id: 'someone-else' });

    expect(otherRedirect).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(otherClient).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('never redirects to an address that is not the portal callback', async () => {
    const { challenge } = pkce();

    const page = await fetch(
      `${portal}/dev-idp/oauth2/authorize?${authorizeQuery(challenge, { redirect_uri: 'https://evil.example/cb' })}`,
      { redirect: 'manual' },
    );
    const logout = await fetch(
      `${portal}/dev-idp/logout?${new URLSearchParams({ client_id: CLIENT_ID, logout_uri: 'https://evil.example/' })}`,
      { redirect: 'manual' },
    );

    expect(page.status).toBe(400);
    expect(page.headers.get('location')).toBeNull();
    expect(await page.text()).toContain(`${portal}/auth/callback`);
    expect(logout.status).toBe(400);
    expect(logout.headers.get('location')).toBeNull();
  });

  it('sends other authorize errors back to the client with its state', async () => {
    const query = authorizeQuery('too-short', { state: 'abc123' });

    const response = await fetch(`${portal}/dev-idp/oauth2/authorize?${query}`, { redirect: 'manual' });

    const location = new URL(response.headers.get('location') ?? '');
    expect(response.status).toBe(302);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toContain('code_challenge');
    expect(location.searchParams.get('state')).toBe('abc123');
  });

  it('refuses an unknown grant type and a malformed request', async () => {
    const unknown = await token({ grant_type: 'password', client_id: CLIENT_ID, username: 'officer' });
    const missing = await token({ grant_type: 'authorization_code', client_id: CLIENT_ID });
    const json = await fetch(`${portal}/dev-idp/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'refresh_token' }),
    });

    expect(unknown).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
    expect(missing).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(missing.body.error_description).toContain('code_verifier');
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ error: 'invalid_request' });
  });

  it("refuses a disabled user's sign-in and refresh", async () => {
    // Prepare: an invited platform user signs in with the temporary password, then is disabled.
    const admin = harness.as('admin');
    const invited = await admin.post('/users', {
      email: 'counsel@videoshare.example',
      name: 'Carla Counsel',
      role: 'platform-responder',
      platformId: 'videoshare',
    });
    const password = invited.body.temporaryPassword as string;
    const { verifier, challenge } = pkce();
    const { code } = await codeFor('counsel@videoshare.example', challenge, { password });
    const tokens = await redeem(code, verifier);
    await admin.post(`/users/${invited.body.user.subject}/disable`, { reason: 'Left the firm.' });

    // Act
    const refreshed = await token({
      grant_type: 'refresh_token',
      client_id: CLIENT_ID,
      refresh_token: tokens.body.refresh_token,
    });
    const again = await signIn(authorizeQuery(pkce().challenge), {
      username: 'counsel@videoshare.example',
      password,
    });

    // Assess
    expect(tokens.status).toBe(200);
    expect(refreshed).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(again.posted.status).toBe(403);
    const page = await again.posted.text();
    expect(page).toContain('This account is disabled');
    expect(page).toContain('aria-describedby="username-error"');
    expect(page).toContain('<a href="#username">');
  });

  it('shows the sign-in page again, with the error linked to the field, for a wrong password', async () => {
    const { posted } = await signIn(authorizeQuery(pkce().challenge), { username: 'nobody@x.example', password: 'x' });

    const page = await posted.text();
    expect(posted.status).toBe(401);
    expect(page).toContain('<p class="error" id="username-error">');
    expect(page).toContain('aria-invalid="true"');
  });

  // Last: it moves the portal's clock forward, which cannot be undone.
  it('refuses a code older than five minutes (development clock)', async () => {
    const { verifier, challenge } = pkce();
    const { code } = await codeFor('officer', challenge);
    await fetch(`${portal}/dev/clock`, { method: 'POST', body: JSON.stringify({ minutes: 6 }) });

    const expired = await redeem(code, verifier);

    expect(expired).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(expired.body.error_description).toContain('expired');
  });
});
