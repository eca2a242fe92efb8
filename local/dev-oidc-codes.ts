import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The development identity provider's authorization codes (OIDC code flow with PKCE), kept in memory: a code lives
 * five minutes (as Cognito's do), so a restart loses at most a sign-in in progress, and nothing a code grants is
 * worth persisting. Each code is bound to the client, redirect URI and PKCE challenge of the request that asked
 * for it, and can be redeemed once: the first attempt consumes it, whatever its outcome, so a stolen or guessed
 * code gets one try at most.
 */
export const CODE_LIFETIME_MS = 5 * 60_000;

export interface CodeGrant {
  username: string;
  clientId: string;
  redirectUri: string;
  /** BASE64URL(SHA-256(code_verifier)), as sent to the authorize endpoint (RFC 7636 S256). */
  codeChallenge: string;
  scope: string;
  nonce?: string;
  /** When the user signed in (seconds since the epoch): the ID token's `auth_time`. */
  authTime: number;
}

export type Redemption = { ok: true; grant: CodeGrant } | { ok: false; reason: string };

export class AuthorizationCodes {
  private readonly codes = new Map<string, CodeGrant & { expiresAt: number }>();

  /** @param clock the portal's clock, so a moved development clock expires codes as it expires everything else. */
  constructor(private readonly clock: () => Date) {}

  issue(grant: CodeGrant): string {
    this.sweep();
    const code = randomBytes(32).toString('base64url');
    this.codes.set(code, { ...grant, expiresAt: this.clock().getTime() + CODE_LIFETIME_MS });
    return code;
  }

  /** Consumes the code, then checks it against the token request; every failure is RFC 6749 `invalid_grant`. */
  redeem(code: string, request: { clientId: string; redirectUri: string; codeVerifier: string }): Redemption {
    const grant = this.codes.get(code);
    this.codes.delete(code);
    if (!grant) return { ok: false, reason: 'The code is unknown or was already used.' };
    if (grant.expiresAt <= this.clock().getTime()) return { ok: false, reason: 'The code has expired.' };
    if (grant.clientId !== request.clientId) return { ok: false, reason: 'The code was issued to another client.' };
    if (grant.redirectUri !== request.redirectUri) {
      return { ok: false, reason: 'redirect_uri differs from the one the code was issued for.' };
    }
    if (!s256Matches(request.codeVerifier, grant.codeChallenge)) {
      return { ok: false, reason: 'code_verifier does not match the code_challenge.' };
    }
    const { expiresAt: _expiresAt, ...rest } = grant;
    return { ok: true, grant: rest };
  }

  private sweep(): void {
    const now = this.clock().getTime();
    for (const [code, grant] of this.codes) if (grant.expiresAt <= now) this.codes.delete(code);
  }
}

/** RFC 7636 §4.6: BASE64URL(SHA256(ASCII(code_verifier))) equals the challenge, compared in constant time. */
export function s256Matches(verifier: string, challenge: string): boolean {
  const computed = Buffer.from(createHash('sha256').update(verifier, 'ascii').digest('base64url'));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}
