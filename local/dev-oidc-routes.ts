import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DevUserRegistry } from '../lambdas/adapters/dev-user-registry';
import { now } from '../lambdas/runtime/clock';
import { writeHtml } from './dev-identity-pages';
import { DEV_AUDIENCE, type DevIdentityProvider, DisabledDevUser } from './dev-identity-provider';
import { IDP_PREFIX, signIn } from './dev-identity-routes';
import { AuthorizationCodes } from './dev-oidc-codes';
import { authorizePage, oidcErrorPage, type SignInError } from './dev-oidc-pages';
import { RefreshTokens } from './dev-oidc-refresh-tokens';
import {
  type AuthorizeParams,
  AuthorizeParamsSchema,
  ClientTargetSchema,
  CodeGrantSchema,
  describeIssues,
  LogoutParamsSchema,
  RefreshGrantSchema,
  SignInFormSchema,
  SUPPORTED_SCOPES,
  singleValued,
} from './dev-oidc-requests';
import { type TokenSet, tokenSetFor, userInfoOf } from './dev-oidc-tokens';
import { readBody } from './http-adapter';

/**
 * OpenID Connect on the development identity provider, shaped like Cognito's endpoints, so the web app signs in
 * with the same standard client locally and on AWS: discovery, `/oauth2/authorize` (code flow, PKCE S256 required),
 * `/oauth2/token` (authorization_code and refresh_token), `/oauth2/userInfo` and `/logout`. The one client is the
 * portal's web app (client id = the ID token audience), whose only redirect address is `<portal>/auth/callback`
 * and only logout address `<portal>/signed-out`, compared exactly, as Cognito compares its callback URLs. No
 * sign-in session is kept between authorize requests: each shows the account picker.
 */
export interface DevOidc {
  identity: DevIdentityProvider;
  registry?: DevUserRegistry;
  codes: AuthorizationCodes;
  refreshTokens: RefreshTokens;
  /** The portal's own URL (`http://127.0.0.1:<port>`): the redirect and logout addresses are on it. */
  portalUrl: string;
}

export const REDIRECT_PATH = '/auth/callback';
export const POST_LOGOUT_PATH = '/signed-out';

export function createDevOidc(
  identity: DevIdentityProvider,
  registry: DevUserRegistry | undefined,
  portalUrl: string,
  refreshTokenFile: string,
): DevOidc {
  return {
    identity,
    registry,
    portalUrl,
    codes: new AuthorizationCodes(now),
    refreshTokens: new RefreshTokens(refreshTokenFile, now),
  };
}

const OIDC_PATHS = new Set([
  '/.well-known/openid-configuration',
  '/oauth2/authorize',
  '/oauth2/token',
  '/oauth2/userInfo',
  '/logout',
]);

/** Whether a path under /dev-idp is one of the OIDC endpoints (the rest are the older development endpoints). */
export function isOidcPath(pathUnderPrefix: string): boolean {
  return OIDC_PATHS.has(pathUnderPrefix);
}

export async function serveOidc(
  oidc: DevOidc,
  request: IncomingMessage,
  url: URL,
  response: ServerResponse,
): Promise<void> {
  const path = url.pathname.slice(IDP_PREFIX.length);
  const method = request.method ?? 'GET';
  if (path === '/.well-known/openid-configuration' && method === 'GET') {
    return writeOauthJson(response, 200, discoveryDocument(oidc.identity.issuer));
  }
  if (path === '/oauth2/authorize' && method === 'GET') return serveAuthorize(oidc, url.searchParams, response);
  if (path === '/oauth2/authorize' && method === 'POST') {
    return serveSignIn(oidc, new URLSearchParams((await readBody(request)).toString('utf8')), response);
  }
  if (path === '/oauth2/token' && method === 'POST') return await serveToken(oidc, request, response);
  if (path === '/oauth2/userInfo' && (method === 'GET' || method === 'POST')) {
    return await serveUserInfo(oidc, request, response);
  }
  if (path === '/logout' && method === 'GET') return serveLogout(oidc, url.searchParams, response);
  response.writeHead(405, { allow: path === '/oauth2/token' ? 'POST' : 'GET', 'content-type': 'text/plain' });
  response.end(`${method} is not allowed on ${url.pathname}.`);
}

function discoveryDocument(issuer: string) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/oauth2/authorize`,
    token_endpoint: `${issuer}/oauth2/token`,
    userinfo_endpoint: `${issuer}/oauth2/userInfo`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    id_token_signing_alg_values_supported: ['ES256'],
    scopes_supported: [...SUPPORTED_SCOPES],
    subject_types_supported: ['public'],
    // A public client (the browser app): it proves itself with PKCE, not a secret.
    token_endpoint_auth_methods_supported: ['none'],
    claims_supported: ['sub', 'iss', 'aud', 'auth_time', 'nonce', 'name', 'email', 'email_verified', 'cognito:groups'],
  };
}

/** The redirect and logout addresses must be exactly the portal's own (no prefix or pattern matching). */
function clientTargetProblem(oidc: DevOidc, clientId: string, uri: string, path: string): string | undefined {
  if (clientId !== DEV_AUDIENCE) return `Unknown client_id "${clientId}"; this portal's web app is "${DEV_AUDIENCE}".`;
  if (uri !== `${oidc.portalUrl}${path}`) return `The address must be exactly ${oidc.portalUrl}${path}; got ${uri}.`;
  return undefined;
}

/**
 * Validates an authorize request (query or form). Problems with the client or its redirect address get an error
 * page (sending them to an unchecked address would make this an open redirector); any other problem goes back to
 * the client's redirect address as `error`, with its `state` (RFC 6749 §4.1.2.1).
 */
function checkAuthorize(
  oidc: DevOidc,
  raw: Record<string, string> | undefined,
  response: ServerResponse,
): AuthorizeParams | undefined {
  if (!raw) {
    writeHtml(response, 400, oidcErrorPage('Invalid sign-in request', 'A parameter was given more than once.'));
    return undefined;
  }
  const target = ClientTargetSchema.safeParse(raw);
  const problem = target.success
    ? clientTargetProblem(oidc, target.data.client_id, target.data.redirect_uri, REDIRECT_PATH)
    : describeIssues(target.error);
  if (problem !== undefined) {
    writeHtml(response, 400, oidcErrorPage('Invalid sign-in request', problem));
    return undefined;
  }
  const parsed = AuthorizeParamsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const responseTypeWrong = parsed.error.issues.some((i) => i.path[0] === 'response_type');
  const scopeWrong = parsed.error.issues.some((i) => i.path[0] === 'scope');
  const error = responseTypeWrong ? 'unsupported_response_type' : scopeWrong ? 'invalid_scope' : 'invalid_request';
  redirectTo(response, raw.redirect_uri ?? '', {
    error,
    error_description: describeIssues(parsed.error),
    ...(raw.state ? { state: raw.state } : {}),
  });
  return undefined;
}

function serveAuthorize(oidc: DevOidc, query: URLSearchParams, response: ServerResponse): void {
  const params = checkAuthorize(oidc, singleValued(query), response);
  if (params) writeHtml(response, 200, authorizePage(oidc.registry?.all() ?? [], params, authorizeAction()));
}

/** The sign-in form posted: a code sent to the portal's callback, or the page again saying what was wrong. */
function serveSignIn(oidc: DevOidc, form: URLSearchParams, response: ServerResponse) {
  const raw = singleValued(form);
  const params = checkAuthorize(oidc, raw, response);
  if (!params || !raw) return;
  const invited = raw.password !== undefined;
  const again = (status: number, message: string) =>
    writeHtml(
      response,
      status,
      authorizePage(oidc.registry?.all() ?? [], params, authorizeAction(), {
        form: invited ? 'invited' : 'seeded',
        message,
      } satisfies SignInError),
    );
  const signInForm = SignInFormSchema.safeParse(raw);
  if (!signInForm.success) {
    return again(400, invited ? 'Enter your user name (e-mail address)' : 'Choose an account to sign in as');
  }
  if (invited && !signInForm.data.password) return again(400, 'Enter your temporary password');
  const account = signIn(oidc.registry, signInForm.data.username, signInForm.data.password);
  if (!account) return again(401, 'Unknown user name or wrong password');
  if (!account.enabled) return again(403, 'This account is disabled: ask a regulator admin to enable it');
  const code = oidc.codes.issue({
    username: account.username,
    clientId: params.client_id,
    redirectUri: params.redirect_uri,
    codeChallenge: params.code_challenge,
    scope: params.scope,
    nonce: params.nonce,
    authTime: Math.floor(Date.now() / 1000),
  });
  redirectTo(response, params.redirect_uri, { code, ...(params.state ? { state: params.state } : {}) });
}

function authorizeAction(): string {
  return `${IDP_PREFIX}/oauth2/authorize`;
}

/** RFC 6749 §5.2: an OAuth error, as JSON. */
class OauthError extends Error {
  constructor(
    readonly status: 400 | 401,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

async function serveToken(oidc: DevOidc, request: IncomingMessage, response: ServerResponse): Promise<void> {
  try {
    const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    const body = await readBody(request);
    if (contentType !== 'application/x-www-form-urlencoded') {
      throw new OauthError(400, 'invalid_request', 'Send the parameters as application/x-www-form-urlencoded.');
    }
    const raw = singleValued(new URLSearchParams(body.toString('utf8')));
    if (!raw) throw new OauthError(400, 'invalid_request', 'A parameter was given more than once.');
    const tokens =
      raw.grant_type === 'authorization_code'
        ? await redeemCode(oidc, raw)
        : raw.grant_type === 'refresh_token'
          ? await refresh(oidc, raw)
          : undefined;
    if (!tokens) {
      throw raw.grant_type === undefined
        ? new OauthError(400, 'invalid_request', 'grant_type: is required.')
        : new OauthError(400, 'unsupported_grant_type', `grant_type "${raw.grant_type}" is not supported here.`);
    }
    writeOauthJson(response, 200, tokens);
  } catch (error) {
    if (!(error instanceof OauthError)) throw error;
    writeOauthJson(response, error.status, { error: error.error, error_description: error.description });
  }
}

function assertClient(clientId: string): void {
  if (clientId !== DEV_AUDIENCE) throw new OauthError(401, 'invalid_client', `Unknown client_id "${clientId}".`);
}

async function redeemCode(oidc: DevOidc, raw: Record<string, string>): Promise<TokenSet> {
  const parsed = CodeGrantSchema.safeParse(raw);
  if (!parsed.success) throw new OauthError(400, 'invalid_request', describeIssues(parsed.error));
  const { client_id, code, redirect_uri, code_verifier } = parsed.data;
  assertClient(client_id);
  const redeemed = oidc.codes.redeem(code, {
    clientId: client_id,
    redirectUri: redirect_uri,
    codeVerifier: code_verifier,
  });
  if (!redeemed.ok) throw new OauthError(400, 'invalid_grant', redeemed.reason);
  const grant = redeemed.grant;
  const tokens = await tokensUnlessDisabled(oidc, grant);
  const refreshToken = oidc.refreshTokens.issue({
    username: grant.username,
    clientId: grant.clientId,
    scope: grant.scope,
    authTime: grant.authTime,
  });
  return { ...tokens, refresh_token: refreshToken };
}

/** Cognito returns new ID and access tokens for a refresh token, and no new refresh token (no rotation). */
async function refresh(oidc: DevOidc, raw: Record<string, string>): Promise<TokenSet> {
  const parsed = RefreshGrantSchema.safeParse(raw);
  if (!parsed.success) throw new OauthError(400, 'invalid_request', describeIssues(parsed.error));
  assertClient(parsed.data.client_id);
  const grant = oidc.refreshTokens.find(parsed.data.refresh_token);
  if (!grant) throw new OauthError(400, 'invalid_grant', 'The refresh token is unknown or has expired.');
  if (grant.clientId !== parsed.data.client_id) {
    throw new OauthError(400, 'invalid_grant', 'The refresh token was issued to another client.');
  }
  return tokensUnlessDisabled(oidc, grant);
}

/** A disabled (or removed) account gets no tokens, whatever grant it holds, as in Cognito. */
async function tokensUnlessDisabled(
  oidc: DevOidc,
  grant: { username: string; clientId: string; scope: string; authTime: number; nonce?: string },
): Promise<TokenSet> {
  const account = oidc.identity.account(grant.username);
  if (!account) throw new OauthError(400, 'invalid_grant', 'The account no longer exists.');
  if (!account.enabled) throw new OauthError(400, 'invalid_grant', 'The account is disabled.');
  try {
    return await tokenSetFor(oidc.identity, grant);
  } catch (error) {
    if (error instanceof DisabledDevUser) throw new OauthError(400, 'invalid_grant', 'The account is disabled.');
    throw error;
  }
}

/** `GET /oauth2/userInfo` with the access token (RFC 6750): the signed-in user's attributes. */
async function serveUserInfo(oidc: DevOidc, request: IncomingMessage, response: ServerResponse): Promise<void> {
  await readBody(request);
  const token = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
  const refuse = (description: string) => {
    response.setHeader('www-authenticate', `Bearer error="invalid_token", error_description="${description}"`);
    writeOauthJson(response, 401, { error: 'invalid_token', error_description: description });
  };
  if (token === undefined) return refuse('Send the access token as a bearer token.');
  let claims: Awaited<ReturnType<DevIdentityProvider['verify']>>;
  try {
    claims = await oidc.identity.verify(token);
  } catch {
    return refuse('The access token is not valid.');
  }
  if (claims.token_use !== 'access' || typeof claims.username !== 'string') {
    return refuse('This is not an access token.');
  }
  const account = oidc.identity.account(claims.username);
  if (!account?.enabled) return refuse('The account is disabled.');
  writeOauthJson(response, 200, userInfoOf(account));
}

/** `GET /logout?client_id&logout_uri` → back to the portal's signed-out page (there is no session to end here). */
function serveLogout(oidc: DevOidc, query: URLSearchParams, response: ServerResponse) {
  const raw = singleValued(query);
  const parsed = LogoutParamsSchema.safeParse(raw ?? {});
  const problem = !raw
    ? 'A parameter was given more than once.'
    : parsed.success
      ? clientTargetProblem(oidc, parsed.data.client_id, parsed.data.logout_uri, POST_LOGOUT_PATH)
      : describeIssues(parsed.error);
  if (problem !== undefined || !parsed.success) {
    return writeHtml(response, 400, oidcErrorPage('Invalid sign-out request', problem ?? ''));
  }
  response.writeHead(302, { location: parsed.data.logout_uri, 'cache-control': 'no-store' });
  response.end();
}

function redirectTo(response: ServerResponse, uri: string, params: Record<string, string>): void {
  const location = new URL(uri);
  for (const [name, value] of Object.entries(params)) location.searchParams.set(name, value);
  response.writeHead(302, { location: location.toString(), 'cache-control': 'no-store' });
  response.end();
}

/** RFC 6749 §5.1: token responses (and errors) must not be cached. */
function writeOauthJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    pragma: 'no-cache',
  });
  response.end(JSON.stringify(body));
}
