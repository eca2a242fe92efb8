import { toBase64url } from '../../signing/base64url';
import { sha256Bytes } from '../sha256';

/**
 * The members RFC 7638 §3.2 hashes for each key type, in lexicographic order. Only these, whatever else the
 * pasted JWK carries (kid, use, alg), so the thumbprint is the one the API will give the key as its `kid`.
 */
const REQUIRED_MEMBERS: Record<string, readonly string[]> = {
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  RSA: ['e', 'kty', 'n'],
  oct: ['k', 'kty'],
};

export type ThumbprintResult = { ok: true; thumbprint: string } | { ok: false; problem: string };

/**
 * Parses pasted text as a JWK and computes its RFC 7638 SHA-256 thumbprint (base64url, no padding). Returns a
 * problem in words for text that is not a JWK with the members its type needs; whether the API accepts the key
 * (its curve, a private part, extra members) is the API's to say, field by field.
 */
export async function jwkThumbprint(pasted: string): Promise<ThumbprintResult> {
  let jwk: unknown;
  try {
    jwk = JSON.parse(pasted);
  } catch {
    return { ok: false, problem: 'This is not JSON: paste the key as a JSON object, such as {"kty":"OKP",…}.' };
  }
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) {
    return { ok: false, problem: 'A JWK is a JSON object, such as {"kty":"OKP",…}.' };
  }
  const members = jwk as Record<string, unknown>;
  const kty = members.kty;
  if (typeof kty !== 'string') return { ok: false, problem: 'The key has no "kty" (key type) member.' };
  const required = REQUIRED_MEMBERS[kty];
  if (!required) return { ok: false, problem: `"${kty}" is not a key type this page knows (EC, OKP, RSA or oct).` };
  const missing = required.filter((name) => typeof members[name] !== 'string');
  if (missing.length > 0) {
    return { ok: false, problem: `This ${kty} key needs ${missing.map((m) => `"${m}"`).join(' and ')}.` };
  }
  // Members in order, no whitespace: JSON.stringify of an object built in that order is exactly RFC 7638's form.
  const canonical = JSON.stringify(Object.fromEntries(required.map((name) => [name, members[name]])));
  return { ok: true, thumbprint: toBase64url(await sha256Bytes(canonical)) };
}
