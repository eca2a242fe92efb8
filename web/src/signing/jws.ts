import { canonicalJson } from '../../../lambdas/domain/canonical-json';
import type { PublicJwk, SigningAlgorithm } from '../../../lambdas/domain/signing-keys';
import type { Manifest } from '../../../lambdas/domain/submission';
import { fromBase64url, toBase64url, utf8 } from './base64url';
import { algorithmOf, importAlgorithm, keyIdOf, type WebCryptoKey, webCryptoAlgorithm } from './public-jwk';

/**
 * Detached compact JWS over a manifest's canonical JSON, as the CLI (cli/signing.ts, jose's FlattenedSign) makes
 * it and the portal (lambdas/domain/submission.ts verifyManifestSignature) checks it: `<header>..<signature>`, the
 * header exactly `{"alg":…,"kid":…}` in that order (FlattenedSign JSON-stringifies the object it is given), no
 * `b64`/`crit`. Ed25519 is deterministic, so the same key and manifest give the CLI's bytes exactly; WebCrypto's
 * ECDSA signature is already the IEEE P1363 r||s that JWS's ES256 wants.
 */
export async function signManifest(
  manifest: Manifest,
  key: { alg: SigningAlgorithm; kid: string; privateKey: WebCryptoKey },
): Promise<string> {
  const header = toBase64url(utf8(JSON.stringify({ alg: key.alg, kid: key.kid })));
  const payload = toBase64url(utf8(canonicalJson(manifest)));
  const signature = await globalThis.crypto.subtle.sign(
    webCryptoAlgorithm(key.alg),
    key.privateKey,
    utf8(`${header}.${payload}`),
  );
  return `${header}..${toBase64url(new Uint8Array(signature))}`;
}

export interface JwsHeader {
  alg: SigningAlgorithm;
  kid: string;
}

export type HeaderResult = { ok: true; header: JwsHeader } | { ok: false; problem: string };

/** Reads a detached JWS's header with the portal's rules, so a signature it would refuse is refused here first. */
export function readDetachedHeader(jws: string): HeaderResult {
  const parts = jws.trim().split('.');
  if (parts.length !== 3 || parts[1] !== '' || !parts[0] || !parts[2]) {
    return {
      ok: false,
      problem: 'This is not a detached JWS: expected "<header>..<signature>" (two dots, nothing between).',
    };
  }
  const bytes = fromBase64url(parts[0]);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes ?? new Uint8Array([0xff])));
  } catch {
    return { ok: false, problem: "The signature's header is not base64url-encoded JSON." };
  }
  if (!header || typeof header !== 'object')
    return { ok: false, problem: "The signature's header is not a JSON object." };
  if (header.alg !== 'EdDSA' && header.alg !== 'ES256') {
    return {
      ok: false,
      problem: `The signature uses ${JSON.stringify(header.alg)}; only EdDSA and ES256 are accepted.`,
    };
  }
  if (header.crit !== undefined || header.b64 !== undefined) {
    return { ok: false, problem: 'The signature uses JWS extensions (crit, b64) the portal does not accept.' };
  }
  if (typeof header.kid !== 'string') return { ok: false, problem: 'The signature has no "kid" naming its key.' };
  return { ok: true, header: { alg: header.alg, kid: header.kid } };
}

export type VerifyResult = { ok: true; kid: string; alg: SigningAlgorithm } | { ok: false; problem: string };

/**
 * Checks a detached JWS (made here or with `notice-portal sign-manifest`) against the manifest and a public key:
 * the header as the portal requires it, the kid equal to the key's thumbprint, the algorithm the key's, and the
 * signature over exactly this manifest's canonical JSON.
 */
export async function verifyDetachedSignature(
  manifest: Manifest,
  jws: string,
  publicJwk: PublicJwk,
): Promise<VerifyResult> {
  const read = readDetachedHeader(jws);
  if (!read.ok) return read;
  const { alg, kid } = read.header;
  const expectedKid = await keyIdOf(publicJwk);
  if (kid !== expectedKid) return { ok: false, problem: `The signature was made with key ${kid}, not ${expectedKid}.` };
  if (algorithmOf(publicJwk) !== alg) {
    return { ok: false, problem: `The signature says ${alg} but key ${kid} is an ${algorithmOf(publicJwk)} key.` };
  }
  const [header, , signaturePart] = jws.trim().split('.') as [string, string, string];
  const signature = fromBase64url(signaturePart);
  if (!signature) return { ok: false, problem: 'The signature part is not base64url.' };
  const publicKey = await globalThis.crypto.subtle.importKey('jwk', publicJwk, importAlgorithm(alg), false, ['verify']);
  const input = utf8(`${header}.${toBase64url(utf8(canonicalJson(manifest)))}`);
  const valid = await globalThis.crypto.subtle.verify(webCryptoAlgorithm(alg), publicKey, signature, input);
  if (!valid) {
    return {
      ok: false,
      problem:
        'The signature does not match this manifest: it was made for other content (another signedAt?), or with another key.',
    };
  }
  return { ok: true, kid, alg };
}
