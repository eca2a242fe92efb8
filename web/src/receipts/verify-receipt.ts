import {
  asReceiptClaims,
  COMPACT_JWS,
  claimsIssueLines,
  RECEIPT_ALGORITHMS,
  RECEIPT_CHECKS,
  RECEIPT_PROBLEMS,
  type ReceiptCheckId,
  ReceiptClaimsSchema,
} from '../../../lambdas/domain/receipt-verification';
import type { ReceiptClaims } from '../../../lambdas/domain/submission';

/**
 * Verifies a receipt (compact JWS, ES256) against the regulator's published receipt keys with WebCrypto alone —
 * no network, no jose in the bundle — running the same checks in the same order as `notice-portal verify-receipt`
 * (cli/receipt.ts, which uses jose) and failing with the same words. Pure: runs in the browser and in Node's
 * WebCrypto, so unit tests hold it to receipts the portal's own signer makes.
 */

export interface PublicJwk {
  kty?: unknown;
  crv?: unknown;
  x?: unknown;
  y?: unknown;
  kid?: unknown;
  alg?: unknown;
  use?: unknown;
  key_ops?: unknown;
  [member: string]: unknown;
}

export interface ReceiptKeySet {
  keys: PublicJwk[];
}

export type CheckStatus = 'passed' | 'failed' | 'not-run';

export interface ReceiptCheck {
  id: ReceiptCheckId;
  label: string;
  status: CheckStatus;
  /** Why it failed (the message the CLI prints), or what it found when it passed. */
  detail?: string;
}

export interface ReceiptVerification {
  valid: boolean;
  checks: ReceiptCheck[];
  /** When the signature is valid and the claims well-formed. */
  claims?: ReceiptClaims;
  header?: { alg?: string; kid?: string; typ?: string };
  /** The first failure, as the CLI words it. */
  reason?: string;
  /** For a claims failure: which claims are missing or wrong. */
  details?: string[];
}

/** A JWKS as the CLI accepts one: `{"keys": [...]}` with at least one object. */
export function parseReceiptKeySet(json: unknown): ReceiptKeySet | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const keys = (json as { keys?: unknown }).keys;
  if (!Array.isArray(keys) || keys.length === 0) return undefined;
  if (!keys.every((k) => typeof k === 'object' && k !== null && !Array.isArray(k))) return undefined;
  return { keys: keys as PublicJwk[] };
}

function base64urlBytes(part: string): Uint8Array | undefined {
  if (part.length % 4 === 1) return undefined;
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
  try {
    const binary = atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '='));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/**
 * The keys that could have signed a token with this header, by the rules jose's local JWKS applies for ES256
 * (the CLI's verifier): an EC P-256 key, with the header's kid if it names one, and no alg / use / key_ops that
 * rule verification with ES256 out.
 */
export function candidateKeys(keys: PublicJwk[], header: { alg: string; kid?: string }): PublicJwk[] {
  return keys.filter(
    (jwk) =>
      jwk.kty === 'EC' &&
      (header.kid === undefined || jwk.kid === header.kid) &&
      (typeof jwk.alg !== 'string' || jwk.alg === header.alg) &&
      (typeof jwk.use !== 'string' || jwk.use === 'sig') &&
      (!Array.isArray(jwk.key_ops) || jwk.key_ops.includes('verify')) &&
      jwk.crv === 'P-256',
  );
}

class CheckFailed extends Error {
  constructor(
    readonly check: ReceiptCheckId,
    message: string,
    readonly details?: string[],
  ) {
    super(message);
  }
}

/** Runs every check in order; the first failure stops the rest (they are reported as not run). */
export async function verifyReceiptInBrowser(jws: string, jwks: ReceiptKeySet): Promise<ReceiptVerification> {
  const passed = new Map<ReceiptCheckId, string | undefined>();
  let header: ReceiptVerification['header'];
  try {
    const token = jws.trim();
    if (!COMPACT_JWS.test(token)) throw new CheckFailed('form', RECEIPT_PROBLEMS.notCompact);
    const [headerPart = '', payloadPart = '', signaturePart = ''] = token.split('.');
    const decoded = readHeader(headerPart);
    header = { alg: decoded.alg, kid: decoded.kid, typ: decoded.typ };
    const payload = base64urlBytes(payloadPart);
    const signature = base64urlBytes(signaturePart);
    if (!payload) throw new CheckFailed('form', RECEIPT_PROBLEMS.malformed('the payload is not base64url'));
    if (!signature) throw new CheckFailed('form', RECEIPT_PROBLEMS.malformed('the signature is not base64url'));
    passed.set('form', undefined);

    if (!RECEIPT_ALGORITHMS.includes(decoded.alg)) throw new CheckFailed('algorithm', RECEIPT_PROBLEMS.algorithm);
    passed.set('algorithm', decoded.alg);

    const candidates = candidateKeys(jwks.keys, { alg: decoded.alg, kid: decoded.kid });
    if (candidates.length === 0) throw new CheckFailed('key', RECEIPT_PROBLEMS.noKey);
    if (candidates.length > 1) throw new CheckFailed('key', RECEIPT_PROBLEMS.severalKeys);
    const jwk = candidates[0] as PublicJwk;
    passed.set('key', typeof jwk.kid === 'string' ? jwk.kid : undefined);

    const key = await importVerifyKey(jwk);
    const signed = new TextEncoder().encode(`${headerPart}.${payloadPart}`);
    // JWS ES256 signatures are the raw r||s pair (RFC 7518 §3.4), which is exactly what WebCrypto's ECDSA takes.
    const ok =
      signature.length === 64 &&
      (await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, asBuffer(signature), asBuffer(signed)));
    if (!ok) throw new CheckFailed('signature', RECEIPT_PROBLEMS.signature);
    passed.set('signature', undefined);

    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
    } catch {
      throw new CheckFailed('claims', RECEIPT_PROBLEMS.payloadNotJson);
    }
    const parsed = ReceiptClaimsSchema.safeParse(json);
    if (!parsed.success) {
      throw new CheckFailed('claims', RECEIPT_PROBLEMS.claims, claimsIssueLines(parsed.error));
    }
    const claims = asReceiptClaims(parsed.data);
    passed.set('claims', claims.typ);
    return { valid: true, checks: listChecks(passed), claims, header };
  } catch (error) {
    if (!(error instanceof CheckFailed)) throw error;
    return {
      valid: false,
      checks: listChecks(passed, error),
      header,
      reason: error.message,
      details: error.details,
    };
  }
}

function listChecks(passed: Map<ReceiptCheckId, string | undefined>, failure?: CheckFailed): ReceiptCheck[] {
  return RECEIPT_CHECKS.map(({ id, label }) => {
    if (passed.has(id)) return { id, label, status: 'passed', detail: passed.get(id) };
    if (failure?.check === id) return { id, label, status: 'failed', detail: failure.message };
    return { id, label, status: 'not-run' };
  });
}

/** The protected header, with jose's structural rules: a JSON object, a string alg, no unknown `crit`. */
function readHeader(part: string): { alg: string; kid?: string; typ?: string } {
  const bytes = base64urlBytes(part);
  let header: unknown;
  try {
    header = bytes ? JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) : undefined;
  } catch {
    header = undefined;
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new CheckFailed('form', RECEIPT_PROBLEMS.malformed('JWS Protected Header is invalid'));
  }
  const { alg, kid, typ, crit } = header as Record<string, unknown>;
  if (typeof alg !== 'string') {
    throw new CheckFailed(
      'form',
      RECEIPT_PROBLEMS.malformed('JWS "alg" (Algorithm) Header Parameter missing or invalid'),
    );
  }
  // jose refuses any critical extension it was not told about, and the CLI tells it about none.
  if (crit !== undefined) {
    throw new CheckFailed('form', RECEIPT_PROBLEMS.malformed('"crit" names an extension receipts never use'));
  }
  return { alg, kid: typeof kid === 'string' ? kid : undefined, typ: typeof typ === 'string' ? typ : undefined };
}

async function importVerifyKey(jwk: PublicJwk): ReturnType<typeof crypto.subtle.importKey> {
  try {
    return await crypto.subtle.importKey(
      'jwk',
      { kty: 'EC', crv: 'P-256', x: jwk.x as string, y: jwk.y as string },
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['verify'],
    );
  } catch {
    throw new CheckFailed('key', `${RECEIPT_PROBLEMS.noKey.replace(/\.$/, '')}: the published key is not a P-256 key.`);
  }
}

/** A fresh ArrayBuffer view (WebCrypto's BufferSource typing rejects views of a SharedArrayBuffer). */
function asBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer as ArrayBuffer;
}
