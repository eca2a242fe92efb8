import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import type { DevUser, DevUserRegistry } from '../lambdas/adapters/dev-user-registry';

/**
 * A development identity provider for the local portal. It signs ID tokens with a local ES256 key (kept in the
 * data folder, so tokens survive a restart) in the claim shape Cognito uses, and serves the public key as a JWKS.
 * The API verifies these tokens through exactly the code path it uses with Cognito on AWS.
 */
export type { DevUser };

/** Seeded users: two regulator roles and a legal team for each of two platforms. */
export const DEV_USERS: readonly DevUser[] = [
  {
    username: 'admin',
    subject: '6f1c2a34-0000-4000-8000-00000000a001',
    name: 'Ada Admin',
    email: 'admin@regulator.example',
    groups: ['regulator-admin'],
  },
  {
    username: 'officer',
    subject: '6f1c2a34-0000-4000-8000-00000000a002',
    name: 'Oscar Officer',
    email: 'officer@regulator.example',
    groups: ['regulator-officer'],
  },
  {
    username: 'x-corp-legal',
    subject: '6f1c2a34-0000-4000-8000-00000000b001',
    name: 'Xavier Counsel',
    email: 'legal@x-corp.example',
    groups: ['platform-responder'],
    platformId: 'x-corp',
  },
  {
    username: 'videoshare-legal',
    subject: '6f1c2a34-0000-4000-8000-00000000b002',
    name: 'Vera Counsel',
    email: 'legal@videoshare.example',
    groups: ['platform-responder'],
    platformId: 'videoshare',
  },
];

export const DEV_AUDIENCE = 'notice-portal-local';
export const TOKEN_LIFETIME_SECONDS = 3600;

export interface DevIdentityProvider {
  issuer: string;
  audience: string;
  jwksUrl: string;
  jwks: { keys: JWK[] };
  /** Signs a token for a seeded user; `overrides` exist for tests of bad tokens. */
  tokenFor(
    username: string,
    overrides?: Record<string, unknown>,
    options?: { expiresInSeconds?: number },
  ): Promise<string>;
  /** The account a user name (or e-mail) names, enabled or not; undefined when there is none. */
  account(username: string): (DevUser & { enabled: boolean }) | undefined;
  /** Signs any claims with the provider's key (the OIDC access tokens, local/dev-oidc-tokens.ts). */
  sign(claims: JWTPayload): Promise<string>;
  /** Verifies a token this provider signed (signature, issuer, expiry) and returns its claims. */
  verify(token: string): Promise<JWTPayload>;
}

/** Seeded platforms, onboarded at start so the seeded platform users have somewhere to belong. */
export const DEV_PLATFORMS = [
  {
    platformId: 'x-corp',
    legalName: 'X Corp.',
    tradingNames: ['X', 'formerly Twitter'],
    jurisdiction: { country: 'US' },
    contacts: ['legal@x-corp.example'],
  },
  {
    platformId: 'videoshare',
    legalName: 'VideoShare Pty Ltd',
    tradingNames: ['VideoShare'],
    jurisdiction: { country: 'AU', state: 'NSW' },
    contacts: ['legal@videoshare.example'],
  },
] as const;

/**
 * Accounts come from the development registry (seeded users plus anyone invited through the API); a disabled
 * account gets no token, as in Cognito. With no registry, only the seeded users exist.
 */
export async function createDevIdentityProvider(
  keyFile: string,
  issuer: string,
  registry?: DevUserRegistry,
): Promise<DevIdentityProvider> {
  const { privateJwk, publicJwk } = await loadOrCreateKey(keyFile);
  const privateKey = await importJWK(privateJwk, 'ES256');
  const publicKeys = createLocalJWKSet({ keys: [publicJwk] });
  const sign = (claims: JWTPayload) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: publicJwk.kid, typ: 'JWT' }).sign(privateKey);
  const account = (username: string) => {
    if (registry) return registry.find(username);
    const seeded = DEV_USERS.find((u) => u.username === username);
    return seeded && { ...seeded, enabled: true };
  };
  return {
    issuer,
    audience: DEV_AUDIENCE,
    jwksUrl: `${issuer}/.well-known/jwks.json`,
    jwks: { keys: [publicJwk] },
    account,
    sign,
    async verify(token) {
      const { payload } = await jwtVerify(token, publicKeys, { issuer, algorithms: ['ES256'] });
      return payload;
    },
    async tokenFor(username, overrides = {}, options = {}) {
      const user = registry?.find(username) ?? DEV_USERS.find((u) => u.username === username);
      if (!user) throw new UnknownDevUser(username);
      if ('enabled' in user && !user.enabled) throw new DisabledDevUser(username);
      const now = Math.floor(Date.now() / 1000);
      const lifetime = options.expiresInSeconds ?? TOKEN_LIFETIME_SECONDS;
      // Overrides come last so tests can mint tokens with any claim wrong (issuer, audience, groups…).
      return sign({
        iss: issuer,
        aud: DEV_AUDIENCE,
        sub: user.subject,
        iat: now,
        exp: now + lifetime,
        token_use: 'id',
        auth_time: now,
        'cognito:username': user.username,
        'cognito:groups': user.groups,
        'custom:platformId': user.platformId,
        name: user.name,
        email: user.email,
        email_verified: true,
        ...overrides,
      });
    },
  };
}

export class UnknownDevUser extends Error {
  constructor(username: string) {
    super(`No development user "${username}"`);
  }
}

export class DisabledDevUser extends Error {
  constructor(username: string) {
    super(`The development user "${username}" is disabled`);
  }
}

async function loadOrCreateKey(keyFile: string): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  if (existsSync(keyFile)) {
    const privateJwk = JSON.parse(readFileSync(keyFile, 'utf8')) as JWK;
    return { privateJwk, publicJwk: publicPart(privateJwk) };
  }
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  privateJwk.kid = await calculateJwkThumbprint(privateJwk);
  privateJwk.alg = 'ES256';
  privateJwk.use = 'sig';
  mkdirSync(dirname(keyFile), { recursive: true });
  writeFileSync(keyFile, JSON.stringify(privateJwk), { mode: 0o600 });
  return { privateJwk, publicJwk: publicPart(privateJwk) };
}

function publicPart(jwk: JWK): JWK {
  const { d: _private, ...publicJwk } = jwk;
  return publicJwk;
}
