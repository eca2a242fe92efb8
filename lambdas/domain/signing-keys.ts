import { calculateJwkThumbprint, importJWK, type JWK } from 'jose';
import { type Actor, ActorSchema, PlatformIdSchema } from './caller';
import { type FieldIssue, ValidationFailed } from './errors';
import { IsoInstantSchema } from './notice';
import { multilineText, text } from './text';
import * as z from './zod';

/**
 * Platform signing keys: the public halves of the keys a platform signs its responses with, registered by a
 * regulator admin. Only Ed25519 (EdDSA) and ECDSA P-256 (ES256) — asymmetric, widely supported, and no
 * parameters to get wrong. A key is usable for a signature made at `t` when validFrom ≤ t < validUntil and it
 * was not revoked with effect at or before t.
 */
export const SIGNING_ALGORITHMS = ['EdDSA', 'ES256'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

const b64url = /* @__PURE__ */ (() => z.string().check(z.regex(/^[A-Za-z0-9_-]+$/, 'must be base64url')))();

export const PublicJwkSchema = /* @__PURE__ */ (() =>
  z.discriminatedUnion('kty', [
    z.strictObject({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: b64url }),
    z.strictObject({ kty: z.literal('EC'), crv: z.literal('P-256'), x: b64url, y: b64url }),
  ]))();
export type PublicJwk = z.infer<typeof PublicJwkSchema>;

export const RegisterKeyRequestSchema = /* @__PURE__ */ (() =>
  z.described(
    z.strictObject({
      /** The public key only; a JWK with a private part (`d`) is refused, and never stored. */
      jwk: z.looseObject({ kty: text({ max: 16 }) }),
      validFrom: z.optional(IsoInstantSchema),
      validUntil: z.optional(IsoInstantSchema),
      label: z.optional(text({ min: 1, max: 200 })),
    }),
    { id: 'RegisterKeyRequest' },
  ))();

export const RevokeKeyRequestSchema = /* @__PURE__ */ (() =>
  z.described(
    z.strictObject({
      /** Signatures made at or after this instant are refused; defaults to now. May be in the past (compromise). */
      effectiveAt: z.optional(IsoInstantSchema),
      reason: multilineText({ min: 3, max: 2000 }),
    }),
    { id: 'RevokeKeyRequest' },
  ))();

export const SigningKeySchema = /* @__PURE__ */ (() =>
  z.described(
    z.object({
      kid: z.string(),
      platformId: PlatformIdSchema,
      alg: z.enum(SIGNING_ALGORITHMS),
      jwk: PublicJwkSchema,
      label: z.optional(z.string()),
      validFrom: IsoInstantSchema,
      validUntil: z.optional(IsoInstantSchema),
      registeredAt: IsoInstantSchema,
      registeredBy: ActorSchema,
      revokedAt: z.optional(IsoInstantSchema),
      revocationEffectiveAt: z.optional(IsoInstantSchema),
      revokedBy: z.optional(ActorSchema),
      revocationReason: z.optional(z.string()),
    }),
    { id: 'SigningKey' },
  ))();
export type SigningKey = z.infer<typeof SigningKeySchema>;

/**
 * The members a submitted signing key may carry besides the key itself (RFC 7517 §4): a kid (ignored: ours is the
 * thumbprint), its own algorithm, and a use or key operations that say "verify signatures". Anything else — an
 * encryption use, other operations, certificates, arbitrary extra members — is refused, so the record says exactly
 * what was registered and nothing a reader could take for a different kind of key.
 */
const JWK_METADATA = {
  kid: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  use: z.optional(z.literal('sig', { error: 'must be "sig": a signing key verifies signatures' })),
  key_ops: z.optional(
    z
      .unknown()
      .check(z.refine((ops) => Array.isArray(ops) && ops.length === 1 && ops[0] === 'verify', 'must be ["verify"]')),
  ),
};
const SubmittedJwkSchema = /* @__PURE__ */ (() =>
  z.discriminatedUnion('kty', [
    z.strictObject({
      kty: z.literal('OKP'),
      crv: z.literal('Ed25519'),
      x: b64url,
      alg: z.optional(z.literal('EdDSA', { error: 'must be "EdDSA" for an Ed25519 key' })),
      ...JWK_METADATA,
    }),
    z.strictObject({
      kty: z.literal('EC'),
      crv: z.literal('P-256'),
      x: b64url,
      y: b64url,
      alg: z.optional(z.literal('ES256', { error: 'must be "ES256" for a P-256 key' })),
      ...JWK_METADATA,
    }),
  ]))();
/** Members that make up the key itself: a problem there is reported as "not an acceptable key", at `jwk`. */
const KEY_MEMBERS = new Set(['kty', 'crv', 'x', 'y']);
const NOT_A_SIGNING_KEY = 'must be an Ed25519 (kty OKP, crv Ed25519) or P-256 (kty EC, crv P-256) public key';

/** Which platform a public key (by its thumbprint) was first registered for; it can be registered for no other. */
export interface KeyClaim {
  kid: string;
  platformId: string;
  claimedAt: string;
  claimedBy: Actor;
}

/** Validates a submitted JWK as a public Ed25519 or P-256 key; returns it with its RFC 7638 thumbprint as `kid`. */
export async function parsePublicKey(
  jwk: Record<string, unknown>,
): Promise<{ jwk: PublicJwk; kid: string; alg: SigningAlgorithm }> {
  if ('d' in jwk) {
    throw new ValidationFailed([{ path: 'jwk.d', message: 'this is a private key: register only the public key' }]);
  }
  const submitted = SubmittedJwkSchema.safeParse(jwk);
  if (!submitted.success) throw new ValidationFailed(jwkIssues(submitted.error.issues));
  const { kty, crv, x } = submitted.data;
  const parsed = PublicJwkSchema.safeParse(
    submitted.data.kty === 'OKP' ? { kty, crv, x } : { kty, crv, x, y: submitted.data.y },
  );
  if (!parsed.success) throw new ValidationFailed([{ path: 'jwk', message: NOT_A_SIGNING_KEY }]);
  const alg: SigningAlgorithm = parsed.data.kty === 'OKP' ? 'EdDSA' : 'ES256';
  if (parsed.data.kty === 'OKP' && !isSafeEd25519Key(parsed.data.x)) {
    throw new ValidationFailed([
      { path: 'jwk', message: 'is not an acceptable Ed25519 key (non-canonical or small-order point)' },
    ]);
  }
  try {
    await importJWK(parsed.data as JWK, alg);
  } catch {
    throw new ValidationFailed([{ path: 'jwk', message: 'is not a valid key (its coordinates do not form a key)' }]);
  }
  return { jwk: parsed.data, kid: await calculateJwkThumbprint(parsed.data as JWK, 'sha256'), alg };
}

/** One issue for the key itself (wrong type, curve or coordinates), one per other member that is not accepted. */
function jwkIssues(issues: z.core.$ZodIssue[]): FieldIssue[] {
  const result: FieldIssue[] = [];
  let keyInvalid = false;
  for (const issue of issues) {
    const member = issue.path[0] === undefined ? undefined : String(issue.path[0]);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        result.push({
          path: `jwk.${key}`,
          message: 'is not a member of a public signing key (JWK) this portal accepts',
        });
      }
    } else if (member === undefined || KEY_MEMBERS.has(member)) {
      keyInvalid = true;
    } else {
      result.push({ path: `jwk.${issue.path.map(String).join('.')}`, message: issue.message });
    }
  }
  return keyInvalid ? [{ path: 'jwk', message: NOT_A_SIGNING_KEY }, ...result] : result;
}

const ED25519_P = (1n << 255n) - 19n;
/**
 * Encodings (sign bit cleared) of the small-order points of edwards25519 — identity, order 2, 4 and 8. A "public
 * key" among them verifies forged signatures (S = 0 with a small-order R) for many messages, so whoever registered
 * it could later deny their own filings. Node's importer accepts any 32 bytes, hence this check (as libsodium does).
 */
const SMALL_ORDER_Y = new Set([
  '0100000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
]);

/** A canonical Ed25519 point encoding that is not of small order. */
export function isSafeEd25519Key(x: string): boolean {
  const bytes = Buffer.from(x, 'base64url');
  if (bytes.length !== 32) return false;
  const y = Buffer.from(bytes);
  y.writeUInt8(y.readUInt8(31) & 0x7f, 31);
  if (SMALL_ORDER_Y.has(y.toString('hex'))) return false;
  const value = BigInt(`0x${Buffer.from(y).reverse().toString('hex')}`);
  return value < ED25519_P;
}

/** Why the key may not be used for a signature made at `signedAt`, or undefined when it may. */
export function keyUnusableAt(key: SigningKey, signedAt: string): string | undefined {
  if (key.jwk.kty === 'OKP' && !isSafeEd25519Key(key.jwk.x)) return `key ${key.kid} is not an acceptable Ed25519 key`;
  // Instants, not strings: a manifest may state its time with an offset ("+10:00").
  const at = Date.parse(signedAt);
  if (Number.isNaN(at)) return `the signing time "${signedAt}" is not an instant`;
  if (at < Date.parse(key.validFrom)) return `key ${key.kid} is not valid before ${key.validFrom}`;
  if (key.validUntil && at >= Date.parse(key.validUntil)) return `key ${key.kid} expired at ${key.validUntil}`;
  if (key.revocationEffectiveAt && at >= Date.parse(key.revocationEffectiveAt)) {
    return `key ${key.kid} was revoked with effect from ${key.revocationEffectiveAt}`;
  }
  return undefined;
}
