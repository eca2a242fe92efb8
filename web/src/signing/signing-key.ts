import type { PublicJwk, SigningAlgorithm } from '../../../lambdas/domain/signing-keys';
import { utf8 } from './base64url';
import {
  algorithmOf,
  importAlgorithm,
  keyIdOf,
  publicJwkOf,
  type WebCryptoKey,
  webCryptoAlgorithm,
} from './public-jwk';

/**
 * A signing key held by this browser. The private key is a non-extractable CryptoKey: scripts on the page (ours
 * included) can ask the browser to sign with it, but can never read it, so it cannot be copied off the machine.
 */
export interface BrowserSigningKey {
  kid: string;
  alg: SigningAlgorithm;
  publicJwk: PublicJwk;
  privateKey: WebCryptoKey;
  publicKey: WebCryptoKey;
  createdAt: string;
  /** Made here, or imported from a private key file written by `notice-portal keygen`. */
  origin: 'generated' | 'imported';
}

const subtle = () => globalThis.crypto.subtle;

/** A fresh key pair; the private half non-extractable. Throws where the browser has no such algorithm. */
export async function generateBrowserKey(alg: SigningAlgorithm, now: Date = new Date()): Promise<BrowserSigningKey> {
  const params = alg === 'EdDSA' ? { name: 'Ed25519' } : { name: 'ECDSA', namedCurve: 'P-256' };
  const pair = (await subtle().generateKey(params, false, ['sign', 'verify'])) as {
    publicKey: WebCryptoKey;
    privateKey: WebCryptoKey;
  };
  // Public keys are always exportable; only the defining members are kept (never `ext` / `key_ops`).
  const publicJwk = publicJwkOf(await subtle().exportKey('jwk', pair.publicKey));
  return {
    kid: await keyIdOf(publicJwk),
    alg,
    publicJwk,
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    createdAt: now.toISOString(),
    origin: 'generated',
  };
}

export class KeyFileProblem extends Error {}

/**
 * Imports a private key file written by `notice-portal keygen` (an Ed25519 or P-256 private JWK) as a
 * non-extractable key. Only the key's own members are passed to WebCrypto (the file's `alg`/`kid` are for readers,
 * and the kid is recomputed); a probe signature proves the private part belongs to the public part.
 */
export async function importCliPrivateKey(text: string, now: Date = new Date()): Promise<BrowserSigningKey> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new KeyFileProblem('The file is not JSON: choose the private key file written by "notice-portal keygen".');
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    throw new KeyFileProblem('The file is not a JWK: choose the private key file written by "notice-portal keygen".');
  }
  const jwk = json as Record<string, unknown>;
  if (typeof jwk.d !== 'string') {
    throw new KeyFileProblem(
      'This is a public key. Choose the private key file (key.jwk), not the public one (pub.jwk).',
    );
  }
  let publicJwk: PublicJwk;
  try {
    publicJwk = publicJwkOf(jwk as { kty?: string });
  } catch (error) {
    throw new KeyFileProblem((error as Error).message);
  }
  const alg = algorithmOf(publicJwk);
  let privateKey: WebCryptoKey;
  let publicKey: WebCryptoKey;
  try {
    privateKey = await subtle().importKey('jwk', { ...publicJwk, d: jwk.d }, importAlgorithm(alg), false, ['sign']);
    publicKey = await subtle().importKey('jwk', publicJwk, importAlgorithm(alg), true, ['verify']);
  } catch (error) {
    throw new KeyFileProblem(
      alg === 'EdDSA'
        ? `This browser could not import the Ed25519 key (${(error as Error).message}). Make a P-256 key instead: notice-portal keygen --alg ES256.`
        : `The file does not hold a usable P-256 key: ${(error as Error).message}`,
    );
  }
  const probe = utf8('notice-portal key check');
  const signature = await subtle().sign(webCryptoAlgorithm(alg), privateKey, probe);
  if (!(await subtle().verify(webCryptoAlgorithm(alg), publicKey, signature, probe))) {
    throw new KeyFileProblem('The private part of this key does not match its public part (x/y): the file is damaged.');
  }
  return {
    kid: await keyIdOf(publicJwk),
    alg,
    publicJwk,
    privateKey,
    publicKey,
    createdAt: now.toISOString(),
    origin: 'imported',
  };
}
