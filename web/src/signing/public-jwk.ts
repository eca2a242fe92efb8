import type { PublicJwk, SigningAlgorithm } from '../../../lambdas/domain/signing-keys';
import { jwkThumbprint } from '../components/admin/jwk-thumbprint';

/**
 * WebCrypto's own types, read off `crypto.subtle` so they are the DOM's in the web build and Node's in the unit
 * tests (which type-check these modules without the DOM library).
 */
type Subtle = typeof globalThis.crypto.subtle;
export type WebCryptoKey = Awaited<ReturnType<Subtle['importKey']>>;
type SignAlgorithm = Parameters<Subtle['sign']>[0];
type ImportAlgorithm = Parameters<Subtle['importKey']>[2];

/**
 * The public half of a signing key exactly as the portal registers it (lambdas/domain/signing-keys.ts
 * PublicJwkSchema, which is strict): kty, crv, x and, for P-256, y — nothing else. WebCrypto's exported JWKs carry
 * `ext` and `key_ops`, and a CLI private key file carries `d`, `alg` and `kid`; none of those may reach the regulator.
 */
export function publicJwkOf(jwk: { kty?: string; crv?: string; x?: string; y?: string }): PublicJwk {
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && typeof jwk.x === 'string') {
    return { kty: 'OKP', crv: 'Ed25519', x: jwk.x };
  }
  if (jwk.kty === 'EC' && jwk.crv === 'P-256' && typeof jwk.x === 'string' && typeof jwk.y === 'string') {
    return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
  }
  throw new Error('The key is not an Ed25519 (kty OKP, crv Ed25519) or P-256 (kty EC, crv P-256) key.');
}

export function algorithmOf(jwk: PublicJwk): SigningAlgorithm {
  return jwk.kty === 'OKP' ? 'EdDSA' : 'ES256';
}

/** The WebCrypto algorithm a JWS `alg` signs and verifies with; ECDSA's output is already JWS's r||s form. */
export function webCryptoAlgorithm(alg: SigningAlgorithm): SignAlgorithm {
  return alg === 'EdDSA' ? { name: 'Ed25519' } : { name: 'ECDSA', hash: 'SHA-256' };
}

export function importAlgorithm(alg: SigningAlgorithm): ImportAlgorithm {
  return alg === 'EdDSA' ? { name: 'Ed25519' } : { name: 'ECDSA', namedCurve: 'P-256' };
}

/**
 * The key id: the RFC 7638 SHA-256 thumbprint, computed by the same code as the admin's "Register a signing key"
 * dialog, so the id shown here is the one the admin reads back before registering.
 */
export async function keyIdOf(jwk: PublicJwk): Promise<string> {
  const result = await jwkThumbprint(JSON.stringify(jwk));
  if (!result.ok) throw new Error(result.problem);
  return result.thumbprint;
}

/** The file a regulator admin pastes from: the public JWK, pretty-printed as `keygen --public-out` writes it. */
export function publicKeyFileText(jwk: PublicJwk): string {
  return `${JSON.stringify(jwk, null, 2)}\n`;
}
