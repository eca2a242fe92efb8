import { createRemoteJWKSet, type JWTVerifyGetKey, errors as joseErrors, jwtVerify } from 'jose';
import { type Caller, PlatformIdSchema, ROLES, type Role } from '../domain/caller';
import { Forbidden, Unauthenticated } from '../domain/errors';
import * as z from '../domain/zod';

/**
 * Turns a bearer token into a Caller. The same code runs everywhere: on AWS the keys come from the Cognito user
 * pool's JWKS, locally from the development identity provider's; only the URLs differ.
 */
export interface TokenVerifier {
  verify(token: string): Promise<Caller>;
}

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  jwksUrl: string;
}

/** The claims we rely on, as Cognito puts them in an ID token. */
const ClaimsSchema = z.object({
  sub: z.string().check(z.minLength(1)),
  token_use: z.literal('id'),
  name: z.optional(z.string()),
  email: z.optional(z.string()),
  'cognito:groups': z.optional(z.array(z.string())),
  'custom:platformId': z.optional(PlatformIdSchema),
});

// Asymmetric algorithms only: `none` and HMAC (whose key would be public) are refused before any key lookup.
const ALGORITHMS = ['RS256', 'ES256'];
/** Seconds of clock skew tolerated between the token's issuer and this function, at `exp`, `nbf` and `iat`. */
export const CLOCK_TOLERANCE_SECONDS = 5;

/**
 * jose checks `iat` against the clock only when a maximum token age is given, so a token "issued" in the future
 * (a forging or badly clocked issuer, or one minted to outlive its own expiry rules) would pass. Refuse it here.
 */
function assertIssuedInThePast(payload: { iat?: unknown }): void {
  const now = Math.floor(Date.now() / 1000);
  if (typeof payload.iat === 'number' && payload.iat > now + CLOCK_TOLERANCE_SECONDS) {
    throw new Unauthenticated("The token's iat claim is not accepted: it is in the future.");
  }
}

/** The portal's own access tokens for machine clients (client credentials): a second, separate issuer. */
export interface MachineTokenOptions {
  issuer: string;
  audience: string;
  keys: JWTVerifyGetKey;
}

const MachineClaimsSchema = z.object({
  sub: z.string().check(z.regex(/^pac_[0-9A-Z]{26}$/)),
  client_id: z.string(),
  token_use: z.literal('access'),
  'custom:platformId': PlatformIdSchema,
});

export function jwksTokenVerifier(
  options: TokenVerifierOptions,
  keys?: JWTVerifyGetKey,
  machine?: MachineTokenOptions,
): TokenVerifier {
  const getKey =
    keys ?? createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 600_000 });
  return {
    async verify(token: string): Promise<Caller> {
      // The unverified issuer only chooses the key set; verification then enforces that issuer, its audience and
      // its keys, so a token cannot pick a weaker path.
      if (machine && unverifiedIssuer(token) === machine.issuer) return verifyMachineToken(token, machine);
      const payload = await verifiedPayload(token, getKey, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ALGORITHMS,
      });
      return callerOfIdToken(payload);
    },
  };
}

/**
 * The payload of a token whose signature, issuer, audience, algorithm, expiry and issue time all check out;
 * anything else is Unauthenticated with the reason.
 */
async function verifiedPayload(
  token: string,
  keys: JWTVerifyGetKey,
  expected: { issuer: string; audience: string; algorithms: string[] },
): Promise<unknown> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      ...expected,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp', 'iat', 'sub'],
    }));
  } catch (error) {
    // A failure to reach the key set is ours to report (500, logged), not the caller's fault.
    if (!(error instanceof joseErrors.JOSEError) || error instanceof joseErrors.JWKSTimeout) throw error;
    throw new Unauthenticated(describeFailure(error));
  }
  assertIssuedInThePast(payload as { iat?: unknown });
  return payload;
}

async function verifyMachineToken(token: string, settings: MachineTokenOptions): Promise<Caller> {
  const payload = await verifiedPayload(token, settings.keys, {
    issuer: settings.issuer,
    audience: settings.audience,
    algorithms: ['ES256'],
  });
  const claims = MachineClaimsSchema.safeParse(payload);
  if (!claims.success || claims.data.client_id !== claims.data.sub) {
    throw new Unauthenticated('The token does not carry the claims this API needs.');
  }
  return {
    subject: claims.data.sub,
    roles: ['platform-responder'],
    platformId: claims.data['custom:platformId'],
    via: 'api-client',
  };
}

/** The caller a verified Cognito ID token names: its portal roles, and its platform if it is a platform user. */
function callerOfIdToken(payload: unknown): Caller {
  const claims = ClaimsSchema.safeParse(payload);
  if (!claims.success) throw new Unauthenticated('The token does not carry the claims this API needs.');
  const roles = (claims.data['cognito:groups'] ?? []).filter((g): g is Role =>
    (ROLES as readonly string[]).includes(g),
  );
  const platformId = claims.data['custom:platformId'];
  if (roles.includes('platform-responder') && !platformId) {
    throw new Forbidden('This platform user is not linked to a platform.');
  }
  // A platform id means something only for platform users; a regulator never carries one.
  return {
    subject: claims.data.sub,
    name: claims.data.name,
    email: claims.data.email,
    roles,
    platformId: roles.includes('platform-responder') ? platformId : undefined,
  };
}

function unverifiedIssuer(token: string): unknown {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')).iss;
  } catch {
    return undefined;
  }
}

function describeFailure(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'The token has expired.';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `The token's ${error.claim} claim is not accepted.`;
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'The token is not signed with an accepted algorithm.';
  return 'The token is not valid.';
}
