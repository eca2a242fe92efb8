import { randomUUID } from 'node:crypto';
import {
  base64url,
  calculateJwkThumbprint,
  decodeJwt,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  type KeyLike,
  SignJWT,
} from 'jose';
import { MACHINE_TOKEN_AUDIENCE, MACHINE_TOKEN_ISSUER } from '../../../../lambdas/config/auth';
import { defined } from '../../../support/defined';
import type { Harness } from '../portal-harness';
import type { Fixtures } from './fixtures';
import { crockford } from './unique-ids';

/** Ways to present a token that must never be accepted, whoever it names. */
export const HEADER_VARIANTS: { name: string; header: (valid: string) => string | undefined; basic?: true }[] = [
  { name: 'no Authorization header', header: () => undefined },
  {
    name: 'a Basic Authorization header',
    header: () => `Basic ${Buffer.from('officer:secret').toString('base64')}`,
    basic: true,
  },
  { name: 'a bearer value that is not a JWT', header: () => 'Bearer not-a-jwt' },
  { name: 'an empty bearer value', header: () => 'Bearer ' },
  { name: 'two bearer tokens', header: (valid) => `Bearer ${valid} ${valid}` },
];

export interface TokenVariant {
  name: string;
  /** Which callers' tokens it is built from (seeded usernames, or `x-corp-api-client`). */
  appliesTo: readonly string[];
  /** `as-caller`: the token is honoured but the directory decides (expect the caller's normal outcome). */
  expect: 401 | 403 | 'as-caller';
  make(t: TokenKit): Promise<string>;
}

export interface TokenKit {
  h: Harness;
  f: Fixtures;
  /** A good token of the caller, its payload, and the kid and public key of the key that signed it. */
  valid: string;
  payload: JWTPayload;
  kid: string;
  publicJwk: JWK;
  /** A token of the same caller with `overrides` (undefined removes a claim), signed by the portal's own key. */
  mint(overrides: Record<string, unknown>, expiresInSeconds?: number): Promise<string>;
  attacker: { privateKey: KeyLike; jwk: JWK; kid: string };
}

export const MACHINE_CALLER = 'x-corp-api-client';

const b64json = (value: unknown) => base64url.encode(JSON.stringify(value));
const signWith = (payload: JWTPayload, header: Record<string, unknown>, key: KeyLike | Uint8Array) =>
  new SignJWT(payload).setProtectedHeader({ alg: 'ES256', typ: 'JWT', ...header } as never).sign(key);
const hs256 = (t: TokenKit, secret: string) =>
  new SignJWT(t.payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: t.kid })
    .sign(new TextEncoder().encode(secret));

const USERS = ['officer', 'x-corp-legal'] as const;
const ANY = ['officer', 'x-corp-legal', MACHINE_CALLER] as const;
const nowSeconds = () => Math.floor(Date.now() / 1000);

export const TOKEN_VARIANTS: TokenVariant[] = [
  // Anyone's token, presented wrongly or tampered with.
  { name: 'an expired token', appliesTo: ANY, expect: 401, make: (t) => t.mint({}, -120) },
  {
    name: 'a token not valid yet (nbf in an hour)',
    appliesTo: ANY,
    expect: 401,
    make: (t) => t.mint({ nbf: nowSeconds() + 3600 }),
  },
  {
    name: 'a token issued in the future (iat in an hour)',
    appliesTo: ANY,
    expect: 401,
    make: (t) => t.mint({ iat: nowSeconds() + 3600 }, 7200),
  },
  { name: 'a token without exp', appliesTo: ANY, expect: 401, make: (t) => t.mint({ exp: undefined }) },
  { name: 'a token without iat', appliesTo: ANY, expect: 401, make: (t) => t.mint({ iat: undefined }) },
  { name: 'a token without sub', appliesTo: ANY, expect: 401, make: (t) => t.mint({ sub: undefined }) },
  {
    name: 'a token with a flipped signature byte',
    appliesTo: ANY,
    expect: 401,
    make: async (t) => {
      const [header, payload, signature] = t.valid.split('.');
      const bytes = base64url.decode(defined(signature, 'the token signature'));
      bytes[0] = defined(bytes[0], 'the first signature byte') ^ 0x01;
      return `${header}.${payload}.${base64url.encode(bytes)}`;
    },
  },
  {
    name: 'a token with its signature removed',
    appliesTo: ANY,
    expect: 401,
    make: async (t) => `${t.valid.split('.').slice(0, 2).join('.')}.`,
  },
  {
    name: "a token signed by another key under the portal's kid",
    appliesTo: ANY,
    expect: 401,
    make: (t) => signWith(t.payload, { kid: t.kid }, t.attacker.privateKey),
  },
  {
    name: 'a token signed by another key embedded in its header (jwk)',
    appliesTo: ANY,
    expect: 401,
    make: (t) => signWith(t.payload, { kid: t.attacker.kid, jwk: t.attacker.jwk }, t.attacker.privateKey),
  },
  {
    name: 'a token from another issuer',
    appliesTo: ANY,
    expect: 401,
    make: (t) => t.mint({ iss: 'https://evil.example' }),
  },
  { name: 'a token for another audience', appliesTo: ANY, expect: 401, make: (t) => t.mint({ aud: 'another-client' }) },
  {
    name: 'an alg:none token',
    appliesTo: ANY,
    expect: 401,
    make: async (t) => `${b64json({ alg: 'none', typ: 'JWT' })}.${t.valid.split('.')[1]}.`,
  },
  {
    name: "an HS256 token keyed with the portal's public key (x)",
    appliesTo: ANY,
    expect: 401,
    make: (t) => hs256(t, t.publicJwk.x as string),
  },
  {
    name: 'an HS256 token keyed with the whole public JWK',
    appliesTo: ANY,
    expect: 401,
    make: (t) => hs256(t, JSON.stringify(t.publicJwk)),
  },
  // ID tokens (people): Cognito's claims, checked against the directory.
  {
    name: 'an access token (token_use: access)',
    appliesTo: USERS,
    expect: 401,
    make: (t) => t.mint({ token_use: 'access' }),
  },
  { name: 'a token without token_use', appliesTo: USERS, expect: 401, make: (t) => t.mint({ token_use: undefined }) },
  {
    name: 'a token for a subject the portal does not know',
    appliesTo: USERS,
    expect: 401,
    make: (t) => t.mint({ sub: randomUUID() }),
  },
  {
    name: 'a token claiming regulator-admin (directory disagrees)',
    appliesTo: USERS,
    expect: 403,
    make: (t) => t.mint({ 'cognito:groups': ['regulator-admin'] }),
  },
  { name: 'a token with no groups', appliesTo: USERS, expect: 403, make: (t) => t.mint({ 'cognito:groups': [] }) },
  {
    name: 'a token claiming regulator-admin besides its own group (directory role wins)',
    appliesTo: USERS,
    expect: 'as-caller',
    make: (t) =>
      t.mint({ 'cognito:groups': [...((t.payload['cognito:groups'] as string[]) ?? []), 'regulator-admin'] }),
  },
  {
    name: 'a token whose custom:platformId claims videoshare (directory says x-corp)',
    appliesTo: ['x-corp-legal'],
    expect: 403,
    make: (t) => t.mint({ 'custom:platformId': 'videoshare' }),
  },
  {
    name: 'a platform token without custom:platformId',
    appliesTo: ['x-corp-legal'],
    expect: 403,
    make: (t) => t.mint({ 'custom:platformId': undefined }),
  },
  {
    name: 'an ID token naming the machine-token issuer and audience',
    appliesTo: ['x-corp-legal'],
    expect: 401,
    make: (t) => t.mint({ iss: MACHINE_TOKEN_ISSUER, aud: MACHINE_TOKEN_AUDIENCE }),
  },
  {
    name: 'a receipt signed by the regulator, presented as a bearer token',
    appliesTo: ['x-corp-legal'],
    expect: 401,
    make: async (t) => t.f.receiptJws,
  },
  {
    name: 'a regulator token carrying custom:platformId x-corp (ignored for regulators)',
    appliesTo: ['officer'],
    expect: 'as-caller',
    make: (t) => t.mint({ 'custom:platformId': 'x-corp' }),
  },
  {
    name: 'a token claiming platform-responder of x-corp (directory says officer)',
    appliesTo: ['officer'],
    expect: 403,
    make: (t) => t.mint({ 'cognito:groups': ['platform-responder'], 'custom:platformId': 'x-corp' }),
  },
  // Machine tokens (the portal's own access tokens), checked against the client's record.
  {
    name: "a machine token minted with the portal's token key (control)",
    appliesTo: [MACHINE_CALLER],
    expect: 'as-caller',
    make: (t) => t.mint({}),
  },
  {
    name: 'a machine token claiming regulator-admin groups (ignored)',
    appliesTo: [MACHINE_CALLER],
    expect: 'as-caller',
    make: (t) => t.mint({ 'cognito:groups': ['regulator-admin'] }),
  },
  {
    name: "a machine token whose custom:platformId claims videoshare (client is x-corp's)",
    appliesTo: [MACHINE_CALLER],
    expect: 403,
    make: (t) => t.mint({ 'custom:platformId': 'videoshare' }),
  },
  {
    name: 'a machine token whose client_id differs from sub',
    appliesTo: [MACHINE_CALLER],
    expect: 401,
    make: (t) => t.mint({ client_id: t.f.clients.videoshare.clientId }),
  },
  {
    name: "a machine token naming videoshare's client and platform (forged with another key)",
    appliesTo: [MACHINE_CALLER],
    expect: 401,
    make: (t) =>
      signWith(
        {
          ...t.payload,
          sub: t.f.clients.videoshare.clientId,
          client_id: t.f.clients.videoshare.clientId,
          'custom:platformId': 'videoshare',
        },
        { kid: t.kid, typ: 'at+jwt' },
        t.attacker.privateKey,
      ),
  },
  {
    name: 'a machine token for a client the portal does not know',
    appliesTo: [MACHINE_CALLER],
    expect: 401,
    make: (t) => {
      const unknown = `pac_${crockford(26)}`;
      return t.mint({ sub: unknown, client_id: unknown });
    },
  },
  {
    name: 'a fresh machine token for the revoked client',
    appliesTo: [MACHINE_CALLER],
    expect: 401,
    make: (t) => t.mint({ sub: t.f.revokedClient.clientId, client_id: t.f.revokedClient.clientId }),
  },
  {
    name: 'a machine token with token_use: id',
    appliesTo: [MACHINE_CALLER],
    expect: 401,
    make: (t) => t.mint({ token_use: 'id' }),
  },
  {
    name: "an ID token for admin signed with the portal's machine-token key",
    appliesTo: [MACHINE_CALLER],
    expect: 401,
    make: async (t) =>
      signWith(decodeJwt(await t.h.portal.identity.tokenFor('admin')), { kid: t.kid }, await machineKey(t.f)),
  },
];

const machineKey = (f: Fixtures) => importJWK(f.tokenKey, 'ES256') as Promise<KeyLike>;

export async function tokenKit(h: Harness, f: Fixtures, caller: string): Promise<TokenKit> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const attackerJwk = await exportJWK(publicKey);
  const attacker = { privateKey, jwk: attackerJwk, kid: await calculateJwkThumbprint(attackerJwk) };
  if (caller === MACHINE_CALLER) {
    const valid = f.clients['x-corp'].token;
    const payload = decodeJwt(valid);
    const { d: _private, ...publicJwk } = f.tokenKey;
    return {
      h,
      f,
      valid,
      payload,
      kid: f.tokenKey.kid as string,
      publicJwk,
      attacker,
      mint: async (overrides, expiresInSeconds = 900) => {
        const now = nowSeconds();
        return new SignJWT({ ...payload, iat: now, exp: now + expiresInSeconds, ...overrides })
          .setProtectedHeader({ alg: 'ES256', kid: f.tokenKey.kid, typ: 'at+jwt' })
          .sign(await machineKey(f));
      },
    };
  }
  const valid = await h.portal.identity.tokenFor(caller);
  const publicJwk = defined(h.portal.identity.jwks.keys[0], "the portal's token key");
  return {
    h,
    f,
    valid,
    payload: decodeJwt(valid),
    kid: publicJwk.kid as string,
    publicJwk,
    attacker,
    mint: (overrides, expiresInSeconds) =>
      h.portal.identity.tokenFor(caller, overrides, expiresInSeconds === undefined ? {} : { expiresInSeconds }),
  };
}
