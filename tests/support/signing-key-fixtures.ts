import {
  calculateJwkThumbprint,
  exportJWK,
  FlattenedSign,
  generateKeyPair,
  type JWK,
  type JWSHeaderParameters,
  type KeyLike,
  type SignOptions,
} from 'jose';
import { canonicalJson } from '../../lambdas/domain/canonical-json';
import type { PublicJwk, SigningAlgorithm, SigningKey } from '../../lambdas/domain/signing-keys';

/** A platform's key pair as a platform would hold it, made with jose rather than with the portal's own CLI. */
export interface PlatformKeyPair {
  alg: SigningAlgorithm;
  kid: string;
  publicJwk: PublicJwk;
  privateJwk: JWK;
  privateKey: KeyLike;
}

export async function generatePlatformKey(alg: SigningAlgorithm): Promise<PlatformKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(
    alg,
    alg === 'EdDSA' ? { crv: 'Ed25519', extractable: true } : { extractable: true },
  );
  const exported = await exportJWK(publicKey);
  const publicJwk = (
    exported.kty === 'OKP'
      ? { kty: 'OKP', crv: exported.crv, x: exported.x }
      : { kty: 'EC', crv: exported.crv, x: exported.x, y: exported.y }
  ) as PublicJwk;
  return {
    alg,
    kid: await calculateJwkThumbprint(publicJwk as JWK, 'sha256'),
    publicJwk,
    privateJwk: await exportJWK(privateKey),
    privateKey,
  };
}

/** The key as the portal stores it once a regulator admin has registered it. */
export function registeredKey(
  key: PlatformKeyPair,
  overrides: Partial<SigningKey> = {},
  platformId = 'x-corp',
): SigningKey {
  return {
    kid: key.kid,
    platformId,
    alg: key.alg,
    jwk: key.publicJwk,
    validFrom: '2026-01-01T00:00:00.000Z',
    registeredAt: '2026-01-01T00:05:00.000Z',
    registeredBy: { subject: 'sub-admin', role: 'regulator-admin' },
    ...overrides,
  };
}

/**
 * A detached compact JWS (`<protected>..<signature>`) over the canonical JSON of `payload`, as a platform signs
 * its manifest. `header` replaces the protected header (default: exactly `alg` and `kid`); `options` are jose's
 * (e.g. `crit` to sign with an extension header).
 */
export async function signDetached(
  payload: unknown,
  key: PlatformKeyPair,
  header: JWSHeaderParameters = { alg: key.alg, kid: key.kid },
  options?: SignOptions,
): Promise<string> {
  const jws = await new FlattenedSign(new TextEncoder().encode(canonicalJson(payload)))
    .setProtectedHeader(header)
    .sign(key.privateKey, options);
  return `${jws.protected}..${jws.signature}`;
}
