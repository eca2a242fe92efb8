import type { User } from 'oidc-client-ts';

/** The portal's roles, as the API knows them (Cognito groups). */
export type Role = 'regulator-admin' | 'regulator-officer' | 'platform-responder';

export interface SessionUser {
  subject: string;
  name: string;
  email: string;
  roles: Role[];
  /** Set for a platform's legal team. */
  platformId?: string;
  /** Seconds since the epoch when the tokens expire. */
  expiresAt: number;
  idToken: string;
}

const ROLES: readonly Role[] = ['regulator-admin', 'regulator-officer', 'platform-responder'];

/** Reads the claims the API itself trusts from the ID token's profile (oidc-client-ts has verified nothing the API won't). */
export function sessionUserFrom(user: User): SessionUser | undefined {
  const profile = user.profile as Record<string, unknown>;
  if (!user.id_token || user.expires_at === undefined) return undefined;
  const groups = Array.isArray(profile['cognito:groups']) ? (profile['cognito:groups'] as unknown[]) : [];
  const platformId = profile['custom:platformId'];
  return {
    subject: String(profile.sub),
    name: typeof profile.name === 'string' ? profile.name : String(profile.email ?? profile.sub),
    email: typeof profile.email === 'string' ? profile.email : '',
    roles: groups.filter((g): g is Role => ROLES.includes(g as Role)),
    platformId: typeof platformId === 'string' ? platformId : undefined,
    expiresAt: user.expires_at,
    idToken: user.id_token,
  };
}

export const isRegulator = (user: SessionUser) =>
  user.roles.includes('regulator-admin') || user.roles.includes('regulator-officer');
export const isAdmin = (user: SessionUser) => user.roles.includes('regulator-admin');
