import { calculateJwkThumbprint, importJWK, type JWK } from 'jose';
import { z } from 'zod';
import { ActorSchema, PlatformIdSchema } from './caller';
import { ValidationFailed } from './errors';
import { IsoInstantSchema } from './notice';

/**
 * Platform signing keys: the public halves of the keys a platform signs its responses with, registered by a
 * regulator admin. Only Ed25519 (EdDSA) and ECDSA P-256 (ES256) — asymmetric, widely supported, and no
 * parameters to get wrong. A key is usable for a signature made at `t` when validFrom ≤ t < validUntil and it
 * was not revoked with effect at or before t.
 */
export const SIGNING_ALGORITHMS = ['EdDSA', 'ES256'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

const b64url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be base64url');

export const PublicJwkSchema = z.discriminatedUnion('kty', [
  z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: b64url }).strict(),
  z.object({ kty: z.literal('EC'), crv: z.literal('P-256'), x: b64url, y: b64url }).strict(),
]);
export type PublicJwk = z.infer<typeof PublicJwkSchema>;

export const RegisterKeyRequestSchema = z
  .object({
    /** The public key only; a JWK with a private part (`d`) is refused, and never stored. */
    jwk: z.looseObject({ kty: z.string() }),
    validFrom: IsoInstantSchema.optional(),
    validUntil: IsoInstantSchema.optional(),
    label: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
  .meta({ id: 'RegisterKeyRequest' });

export const RevokeKeyRequestSchema = z
  .object({
    /** Signatures made at or after this instant are refused; defaults to now. May be in the past (compromise). */
    effectiveAt: IsoInstantSchema.optional(),
    reason: z.string().trim().min(3).max(2000),
  })
  .strict()
  .meta({ id: 'RevokeKeyRequest' });

export const SigningKeySchema = z
  .object({
    kid: z.string(),
    platformId: PlatformIdSchema,
    alg: z.enum(SIGNING_ALGORITHMS),
    jwk: PublicJwkSchema,
    label: z.string().optional(),
    validFrom: IsoInstantSchema,
    validUntil: IsoInstantSchema.optional(),
    registeredAt: IsoInstantSchema,
    registeredBy: ActorSchema,
    revokedAt: IsoInstantSchema.optional(),
    revocationEffectiveAt: IsoInstantSchema.optional(),
    revokedBy: ActorSchema.optional(),
    revocationReason: z.string().optional(),
  })
  .meta({ id: 'SigningKey' });
export type SigningKey = z.infer<typeof SigningKeySchema>;

/** Validates a submitted JWK as a public Ed25519 or P-256 key; returns it with its RFC 7638 thumbprint as `kid`. */
export async function parsePublicKey(
  jwk: Record<string, unknown>,
): Promise<{ jwk: PublicJwk; kid: string; alg: SigningAlgorithm }> {
  if ('d' in jwk) {
    throw new ValidationFailed([{ path: 'jwk.d', message: 'this is a private key: register only the public key' }]);
  }
  const { kty, crv, x, y } = jwk as Record<string, unknown>;
  const parsed = PublicJwkSchema.safeParse(kty === 'OKP' ? { kty, crv, x } : { kty, crv, x, y });
  if (!parsed.success) {
    throw new ValidationFailed([
      { path: 'jwk', message: 'must be an Ed25519 (kty OKP, crv Ed25519) or P-256 (kty EC, crv P-256) public key' },
    ]);
  }
  const alg: SigningAlgorithm = parsed.data.kty === 'OKP' ? 'EdDSA' : 'ES256';
  try {
    await importJWK(parsed.data as JWK, alg);
  } catch {
    throw new ValidationFailed([{ path: 'jwk', message: 'is not a valid key (its coordinates do not form a key)' }]);
  }
  return { jwk: parsed.data, kid: await calculateJwkThumbprint(parsed.data as JWK, 'sha256'), alg };
}

/** Why the key may not be used for a signature made at `signedAt`, or undefined when it may. */
export function keyUnusableAt(key: SigningKey, signedAt: string): string | undefined {
  if (signedAt < key.validFrom) return `key ${key.kid} is not valid before ${key.validFrom}`;
  if (key.validUntil && signedAt >= key.validUntil) return `key ${key.kid} expired at ${key.validUntil}`;
  if (key.revocationEffectiveAt && signedAt >= key.revocationEffectiveAt) {
    return `key ${key.kid} was revoked with effect from ${key.revocationEffectiveAt}`;
  }
  return undefined;
}
