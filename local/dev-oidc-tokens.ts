import { randomUUID } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { type DevIdentityProvider, TOKEN_LIFETIME_SECONDS } from './dev-identity-provider';

/**
 * The tokens the OIDC token endpoint returns, shaped like Cognito's.
 *
 * - ID token: exactly what `tokenFor` signs (and the API accepts), plus `nonce` (from the authorize request) and
 *   the real `auth_time` of the sign-in, which stays the same across refreshes as OIDC clients check.
 * - Access token: Cognito's access-token claims (`token_use: "access"`, `client_id`, `scope`, `username`, no
 *   `aud`). It is for `/oauth2/userInfo` only; the API refuses it (no audience, wrong `token_use`), exactly as API
 *   Gateway's JWT authorizer in front of the portal takes only the ID token's audience.
 */
export interface TokenSet {
  id_token: string;
  access_token: string;
  refresh_token?: string;
  token_type: 'Bearer';
  expires_in: number;
}

export async function tokenSetFor(
  identity: DevIdentityProvider,
  grant: { username: string; clientId: string; scope: string; authTime: number; nonce?: string },
): Promise<TokenSet> {
  const idToken = await identity.tokenFor(grant.username, {
    auth_time: grant.authTime,
    ...(grant.nonce === undefined ? {} : { nonce: grant.nonce }),
  });
  return {
    id_token: idToken,
    access_token: await accessTokenFor(identity, grant),
    token_type: 'Bearer',
    expires_in: TOKEN_LIFETIME_SECONDS,
  };
}

async function accessTokenFor(
  identity: DevIdentityProvider,
  grant: { username: string; clientId: string; scope: string; authTime: number },
): Promise<string> {
  const account = identity.account(grant.username);
  if (!account) throw new Error(`invariant: the token endpoint checked that ${grant.username} exists`);
  const now = Math.floor(Date.now() / 1000);
  const claims: JWTPayload = {
    iss: identity.issuer,
    sub: account.subject,
    client_id: grant.clientId,
    token_use: 'access',
    scope: grant.scope,
    auth_time: grant.authTime,
    iat: now,
    exp: now + TOKEN_LIFETIME_SECONDS,
    jti: randomUUID(),
    username: account.username,
    'cognito:groups': account.groups,
  };
  return identity.sign(claims);
}

/** What `/oauth2/userInfo` says about the user an access token names (Cognito returns the user's attributes). */
export function userInfoOf(account: NonNullable<ReturnType<DevIdentityProvider['account']>>) {
  return {
    sub: account.subject,
    username: account.username,
    name: account.name,
    email: account.email,
    email_verified: 'true',
    ...(account.platformId ? { 'custom:platformId': account.platformId } : {}),
  };
}
