import { calculateJwkThumbprint, compactVerify, flattenedVerify, importJWK, type JWK } from 'jose';
import type { BundleCheckId, CheckLog } from './bundle-verification-report';
import { canonicalJson } from './canonical-json';
import { type DirectoryEvent, verifyDirectoryChain } from './directory-chain';
import { COMPACT_JWS } from './receipt-verification';
import { SIGNATURE_TYPES, type SignatureKind } from './signature-types';
import { SIGNING_ALGORITHMS, type SigningKey, SigningKeySchema } from './signing-keys';

/**
 * Keys and signatures for the bundle verifier: the regulator's keys with their validity windows (from the key
 * log: a key signs from its activation until the next activation), the platform's keys with their revocations
 * (from its key chain), and one way of checking a regulator JWS of a given kind: both `typ`s first, so a
 * checkpoint can never be read as a receipt, then the key, then the signature.
 */
export interface RegulatorKey {
  kid: string;
  jwk: JWK;
  /** The JWK exactly as the key log's activation states it (kid, alg and use included); absent for trusted keys. */
  logged?: Record<string, unknown>;
  /** Half-open windows [from, until) in which the key signed; `until` absent for the key in force now. */
  windows: { from: string; until?: string }[];
}

const utf8 = new TextDecoder();

function base64urlJson(part: string): unknown {
  return JSON.parse(utf8.decode(Buffer.from(part, 'base64url')));
}

const publicMembers = (jwk: Record<string, unknown>): JWK =>
  (jwk.kty === 'OKP'
    ? { kty: jwk.kty, crv: jwk.crv, x: jwk.x }
    : { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }) as JWK;

/** A key id must be the RFC 7638 thumbprint of its key: anything else could name one key and hold another. */
async function thumbprintMatches(kid: string, jwk: Record<string, unknown>): Promise<boolean> {
  try {
    return (await calculateJwkThumbprint(publicMembers(jwk), 'sha256')) === kid;
  } catch {
    return false;
  }
}

/** The regulator's keys and windows from a verified key log (chain `regulator-keys`). */
export async function regulatorKeysFromLog(
  log: readonly DirectoryEvent[],
  checks: CheckLog,
  source: string,
): Promise<RegulatorKey[] | undefined> {
  const chain = verifyDirectoryChain(log);
  if (!chain.valid) {
    checks.fail('regulator-key-validity', `${source}: key log event ${chain.seq} ${chain.problem}`);
    return undefined;
  }
  const wrongChain = log.find((e) => e.chain !== 'regulator-keys');
  if (wrongChain) {
    checks.fail('regulator-key-validity', `${source}: event ${wrongChain.seq} is of chain "${wrongChain.chain}"`);
    return undefined;
  }
  const activations = log.filter((e) => e.kind === 'regulator-key-activated');
  const keys = new Map<string, RegulatorKey>();
  for (const [i, event] of activations.entries()) {
    const { kid, jwk, activatedAt } = event.data as { kid: string; jwk: Record<string, unknown>; activatedAt: string };
    if (!(await thumbprintMatches(kid, jwk))) {
      checks.fail(
        'regulator-key-validity',
        `${source}: key log event ${event.seq} names key ${kid}, which is not its thumbprint`,
      );
      continue;
    }
    const next = activations[i + 1]?.data as { activatedAt: string } | undefined;
    const key = keys.get(kid) ?? { kid, jwk: publicMembers(jwk), logged: jwk, windows: [] };
    key.windows.push({ from: activatedAt, until: next?.activatedAt });
    keys.set(kid, key);
  }
  checks.covered('regulator-key-validity', `${source}: key log of ${log.length} events, ${keys.size} keys`);
  return [...keys.values()];
}

/** Keys from a JWKS without a log (e.g. receipt-keys.json): their stated validity, or always when none is stated. */
export async function regulatorKeysFromList(
  keys: readonly { kid: string; validFrom?: string; validUntil?: string; [k: string]: unknown }[],
  checks: CheckLog,
  source: string,
): Promise<RegulatorKey[]> {
  const result: RegulatorKey[] = [];
  for (const key of keys) {
    if (!(await thumbprintMatches(key.kid, key))) {
      checks.fail('regulator-key-validity', `${source}: key ${key.kid} is not the thumbprint of its key`);
      continue;
    }
    result.push({
      kid: key.kid,
      jwk: publicMembers(key),
      windows: [{ from: key.validFrom ?? '0000-01-01T00:00:00Z', until: key.validUntil }],
    });
  }
  if (keys.some((k) => !k.validFrom)) {
    checks.note(
      'regulator-key-validity',
      `${source}: some keys state no validity window; they are taken as always valid`,
    );
  }
  return result;
}

/**
 * A key as keys/regulator-keys.json lists it must be the key its log activated, with the window the log gives it:
 * the list is what a JWKS client reads, the log what checkpoints pin, and they must not tell two stories.
 */
export function listedKeyProblems(
  listed: { kid: string; validFrom?: string; validUntil?: string; [k: string]: unknown },
  logged: readonly RegulatorKey[],
): string[] {
  const key = logged.find((k) => k.kid === listed.kid);
  if (!key) return [`it lists key ${listed.kid}, which its log never activated`];
  const problems: string[] = [];
  const jwk = key.logged ?? (key.jwk as unknown as Record<string, unknown>);
  // Every member but the window must be the logged JWK's, exactly: a list that drops or alters `alg` or `use`, or
  // adds a member, tells a JWKS client something the log never said.
  const { validFrom: _from, validUntil: _until, ...members } = listed;
  if (canonicalJson(members) !== canonicalJson(jwk)) {
    problems.push(
      `key ${listed.kid} is not listed exactly as its log activated it (${differingMembers(members, jwk)})`,
    );
  }
  const from = key.windows[0]?.from;
  const until = key.windows[key.windows.length - 1]?.until;
  const differs = (a: string | undefined, b: string | undefined) =>
    a === undefined || b === undefined ? a !== b : Date.parse(a) !== Date.parse(b);
  if (differs(listed.validFrom, from)) {
    problems.push(`it says key ${listed.kid} is valid from ${listed.validFrom}; its log says ${from}`);
  }
  if (differs(listed.validUntil, until)) {
    problems.push(
      `it says key ${listed.kid} is valid until ${listed.validUntil ?? '(no end)'}; its log says ${until ?? '(no end)'}`,
    );
  }
  return problems;
}

/** The members in which a listed key and the logged JWK differ, for the message. */
function differingMembers(listed: Record<string, unknown>, logged: Record<string, unknown>): string {
  const names = [...new Set([...Object.keys(listed), ...Object.keys(logged)])].sort();
  return names
    .filter((m) => canonicalJson(listed[m] ?? null) !== canonicalJson(logged[m] ?? null))
    .map((m) => (m in logged ? (m in listed ? `${m} differs` : `${m} missing`) : `${m} not in the log`))
    .join(', ');
}

export function validAt(key: RegulatorKey, at: string): boolean {
  const t = Date.parse(at);
  return key.windows.some((w) => t >= Date.parse(w.from) && (w.until === undefined || t < Date.parse(w.until)));
}

export function describeWindows(key: RegulatorKey): string {
  return key.windows.map((w) => `${w.from} to ${w.until ?? 'now'}`).join(', ');
}

export interface VerifiedJws {
  kid: string;
  payload: unknown;
  payloadBytes: Uint8Array;
}

const SIGNATURE_CHECK: Record<Exclude<SignatureKind, 'acknowledgement'>, BundleCheckId> = {
  notice: 'notice-signature',
  receipt: 'receipt-signature',
  checkpoint: 'checkpoint-signature',
};

/**
 * Checks a regulator JWS of `kind`: compact, header exactly {alg: ES256, kid, typ}, both typs of the kind, a known
 * key and a valid signature; `signedAt(payload)` names when it was signed, at which the key must be in force.
 * Returns the payload when it is genuinely of this kind (even if the key was out of its window, which is its own
 * failure), undefined when it cannot be read as one.
 */
export async function verifyRegulatorJws(input: {
  jws: string;
  kind: Exclude<SignatureKind, 'acknowledgement'>;
  what: string;
  keys: readonly RegulatorKey[];
  checks: CheckLog;
  signedAt: (payload: unknown) => string | undefined;
}): Promise<VerifiedJws | undefined> {
  const { kind, what, keys, checks } = input;
  const jws = input.jws.trim();
  const sigCheck = SIGNATURE_CHECK[kind];
  if (!COMPACT_JWS.test(jws)) {
    checks.fail(sigCheck, `${what} is not a compact JWS (three base64url parts)`);
    return undefined;
  }
  const [h = '', p = ''] = jws.split('.');
  let header: Record<string, unknown>;
  let payloadBytes: Uint8Array;
  let payload: unknown;
  try {
    header = base64urlJson(h) as Record<string, unknown>;
    payloadBytes = Buffer.from(p, 'base64url');
    payload = JSON.parse(utf8.decode(payloadBytes));
  } catch {
    checks.fail(sigCheck, `${what} has a header or payload that is not base64url-encoded JSON`);
    return undefined;
  }
  const expected = SIGNATURE_TYPES[kind];
  const payloadTyp = (payload as { typ?: unknown } | null)?.typ;
  checks.covered('typ', what);
  if (header.typ !== expected.header || payloadTyp !== expected.payload) {
    checks.fail(
      'typ',
      `${what} is not a ${kind}: its header typ is ${JSON.stringify(header.typ)} and payload typ ${JSON.stringify(payloadTyp)}, where a ${kind} has "${expected.header}" and "${expected.payload}"`,
    );
    checks.blocked(sigCheck, `${what} is not a ${kind} (see typ)`);
    return undefined;
  }
  const extra = Object.keys(header).filter((k) => !['alg', 'kid', 'typ'].includes(k));
  if (header.alg !== 'ES256' || typeof header.kid !== 'string' || extra.length > 0) {
    checks.fail(sigCheck, `${what} does not have the header {alg: "ES256", kid, typ} every regulator signature has`);
    return undefined;
  }
  const kid = header.kid;
  const key = keys.find((k) => k.kid === kid);
  if (!key) {
    checks.fail(
      'regulator-key-validity',
      `${what} is signed with key ${kid}, which is not one of the regulator's keys`,
    );
    checks.blocked(sigCheck, `${what}: its key is unknown`);
    return undefined;
  }
  try {
    await compactVerify(jws, await importJWK(key.jwk, 'ES256'), { algorithms: ['ES256'] });
  } catch {
    checks.fail(
      sigCheck,
      `${what}: the signature does not match; it was altered after signing, or another key made it`,
    );
    return undefined;
  }
  checks.covered(sigCheck, what);
  const at = input.signedAt(payload);
  if (at === undefined || Number.isNaN(Date.parse(at))) {
    checks.blocked('regulator-key-validity', `${what} states no signing time`);
  } else if (!validAt(key, at)) {
    checks.fail(
      'regulator-key-validity',
      `${what} was signed at ${at} with key ${kid}, which was in force only ${describeWindows(key)}`,
    );
  } else {
    checks.covered('regulator-key-validity', `${what}: key ${kid} at ${at}`);
  }
  return { kid, payload, payloadBytes };
}

/** The platform's keys as its key chain records them: registered, with any revocation applied. */
export async function platformKeysFromLog(
  platformId: string,
  log: readonly DirectoryEvent[],
  checks: CheckLog,
): Promise<Map<string, SigningKey> | undefined> {
  const chain = verifyDirectoryChain(log);
  if (!chain.valid) {
    checks.fail('platform-key-validity', `the platform key log event ${chain.seq} ${chain.problem}`);
    return undefined;
  }
  const expectedChain = `platform-keys:${platformId}`;
  const wrong = log.find((e) => e.chain !== expectedChain);
  if (wrong) {
    checks.fail(
      'platform-key-validity',
      `platform key log event ${wrong.seq} is of chain "${wrong.chain}", not "${expectedChain}"`,
    );
    return undefined;
  }
  const keys = new Map<string, SigningKey>();
  for (const event of log) {
    if (event.kind === 'key-registered') {
      const parsed = SigningKeySchema.safeParse(event.data);
      if (!parsed.success) {
        checks.fail('platform-key-validity', `platform key log event ${event.seq} is not a signing key record`);
        continue;
      }
      const key = parsed.data;
      if (key.platformId !== platformId) {
        checks.fail(
          'platform-key-validity',
          `platform key log event ${event.seq} registers a key of ${key.platformId}`,
        );
        continue;
      }
      if (!(await thumbprintMatches(key.kid, key.jwk))) {
        checks.fail(
          'platform-key-validity',
          `platform key log event ${event.seq} names key ${key.kid}, which is not its thumbprint`,
        );
        continue;
      }
      keys.set(key.kid, key);
    } else if (event.kind === 'key-revoked') {
      const key = keys.get(event.data.kid);
      if (!key) {
        checks.fail(
          'platform-key-validity',
          `platform key log event ${event.seq} revokes key ${event.data.kid}, never registered`,
        );
        continue;
      }
      keys.set(key.kid, {
        ...key,
        revokedAt: event.data.revokedAt,
        revocationEffectiveAt: event.data.revocationEffectiveAt,
        revocationReason: event.data.revocationReason,
      });
    } else {
      checks.fail('platform-key-validity', `platform key log event ${event.seq} is a ${event.kind} event`);
    }
  }
  return keys;
}

/**
 * Verifies a platform's detached JWS over `payload` (the manifest's bytes, or a signed notice's acknowledgement
 * when attached) and returns its header. Accepts the detached compact form `<header>..<signature>` (as filed) and
 * the flattened JSON form `{protected, signature}`.
 */
export async function verifyPlatformJws(
  signature: string,
  payload: Uint8Array | undefined,
  key: SigningKey,
): Promise<{ ok: true; payload: Uint8Array } | { ok: false; problem: string }> {
  let protectedHeader: string;
  let sig: string;
  let attached: string | undefined;
  const text = signature.trim();
  if (text.startsWith('{')) {
    try {
      const json = JSON.parse(text) as { protected?: unknown; signature?: unknown; payload?: unknown };
      if (typeof json.protected !== 'string' || typeof json.signature !== 'string') throw new Error('members');
      protectedHeader = json.protected;
      sig = json.signature;
      attached = typeof json.payload === 'string' ? json.payload : undefined;
    } catch {
      return { ok: false, problem: 'is not a JWS in flattened JSON form' };
    }
  } else {
    const parts = text.split('.');
    if (parts.length !== 3) return { ok: false, problem: 'is not a compact JWS' };
    [protectedHeader, attached, sig] = parts as [string, string, string];
    if (attached === '') attached = undefined;
  }
  const encoded = payload ? Buffer.from(payload).toString('base64url') : attached;
  if (encoded === undefined) return { ok: false, problem: 'carries no payload and none was given to check it against' };
  if (payload && attached !== undefined && attached !== encoded) {
    return { ok: false, problem: 'carries a payload other than the document it is said to sign' };
  }
  try {
    await flattenedVerify(
      { protected: protectedHeader, payload: encoded, signature: sig },
      await importJWK(key.jwk as JWK, key.alg),
      { algorithms: [key.alg] },
    );
  } catch {
    return { ok: false, problem: 'does not match: the document was changed after signing, or another key signed it' };
  }
  return { ok: true, payload: Buffer.from(encoded, 'base64url') };
}

/** The protected header of a platform JWS in either form, or undefined when it cannot be read. */
export function platformJwsHeader(signature: string): Record<string, unknown> | undefined {
  try {
    const text = signature.trim();
    const part = text.startsWith('{') ? (JSON.parse(text) as { protected: string }).protected : text.split('.')[0];
    const header = base64urlJson(part ?? '') as Record<string, unknown>;
    return header && typeof header === 'object' ? header : undefined;
  } catch {
    return undefined;
  }
}

export const PLATFORM_ALGORITHMS: readonly string[] = SIGNING_ALGORITHMS;

/** The detached compact form of a platform JWS in either form, to compare with what the filing recorded. */
export function detachedCompact(signature: string): string {
  const text = signature.trim();
  if (!text.startsWith('{')) {
    const [h, , s] = text.split('.');
    return `${h}..${s}`;
  }
  try {
    const json = JSON.parse(text) as { protected: string; signature: string };
    return `${json.protected}..${json.signature}`;
  } catch {
    return text;
  }
}
