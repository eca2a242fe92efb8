import { SIGNATURE_TYPES } from './signature-types';
import * as z from './zod';

/**
 * What checking a signed notice ("the notice as given") means, shared by the CLI (`notice-portal verify-notice`)
 * and the web app: the checks in the order they run, the words a reader is told when one fails, and the verifier
 * itself, with WebCrypto alone. Browser-safe (zod and `crypto.subtle`, no node:* imports, no jose), so the two can
 * never disagree about what "valid" is. Node 20+ has the same `crypto.subtle`, so the CLI runs exactly this code.
 */
export const NOTICE_ALGORITHMS = ['ES256'];
export const NOTICE_TYPES = SIGNATURE_TYPES.notice;

const Instant = /* @__PURE__ */ z.iso.datetime({ offset: true });
const Sha256Hex = /* @__PURE__ */ (() => z.string().check(z.regex(/^[0-9a-f]{64}$/)))();

/**
 * The payload of a signed notice (docs/evidence.md): the notice's content as given, the moment it was given, its
 * due time with the explanation, and which version of the content it is (seq and hash of the last content event).
 * The content's nested fields are checked against the events by the bundle verifier; here only their presence.
 */
export const NoticeAsGivenSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    typ: z.literal(NOTICE_TYPES.payload),
    noticeId: z.string(),
    platformId: z.string(),
    type: z.string(),
    title: z.string(),
    legalBasis: z.string(),
    requirements: z.record(z.string(), z.unknown()),
    mannerAndForm: z.string(),
    consequences: z.string(),
    timeZone: z.string(),
    jurisdiction: z.record(z.string(), z.unknown()),
    deadlineRule: z.optional(z.record(z.string(), z.unknown())),
    requestedDueAt: z.optional(Instant),
    contacts: z.array(z.string()),
    infringement: z.optional(z.record(z.string(), z.unknown())),
    givenAt: Instant,
    dueAt: z.optional(Instant),
    dueExplanation: z.optional(z.array(z.string())),
    contentSeq: z.number().check(z.int(), z.gte(1)),
    contentHash: Sha256Hex,
    checkpoint: z.optional(z.strictObject({ seq: z.number().check(z.int(), z.gte(1)), hash: Sha256Hex })),
    signedAt: Instant,
  }))();
export type NoticeAsGiven = z.infer<typeof NoticeAsGivenSchema>;

/** One published regulator key: the public JWK with the window in which it signed. */
export interface PublishedRegulatorKey {
  kty: string;
  crv?: string;
  x?: string;
  y?: string;
  kid: string;
  alg: 'ES256';
  use: 'sig';
  /** Its activation. */
  validFrom: string;
  /** The next key's activation; absent for the key signing now. */
  validUntil?: string;
  [member: string]: unknown;
}

/**
 * `/.well-known/regulator-keys.json` as published: `keys` (a JWKS whose keys carry `validFrom` / `validUntil`) and
 * the `log` they are derived from. A key activated again after another appears once per window.
 */
export const RegulatorKeySetSchema = /* @__PURE__ */ (() =>
  z.object({
    keys: z.array(
      z.catchall(
        z.object({ kty: z.string(), kid: z.string(), validFrom: Instant, validUntil: z.optional(Instant) }),
        z.unknown(),
      ),
    ),
    log: z.optional(z.array(z.unknown())),
  }))();
export type RegulatorKeySet = { keys: PublishedRegulatorKey[]; log?: unknown[] };

/** The checks a signed notice goes through, in order; a check runs only when every earlier one passed. */
export const NOTICE_CHECKS = [
  { id: 'form', label: 'The signed notice is a compact JWS (three base64url parts)' },
  { id: 'algorithm', label: 'It is signed with ES256, the only algorithm the regulator signs with' },
  { id: 'typ', label: `It is a signed notice: header typ ${NOTICE_TYPES.header}, payload typ ${NOTICE_TYPES.payload}` },
  { id: 'key', label: "Its key id is one of the regulator's published keys" },
  { id: 'signature', label: 'The signature is valid for that key' },
  { id: 'payload', label: 'It states what a notice as given states' },
  { id: 'key-validity', label: 'The key was the regulator’s signing key when the notice was signed (signedAt)' },
] as const;
export type NoticeCheckId = (typeof NOTICE_CHECKS)[number]['id'];

/** Why a signed notice failed, as the CLI prints it and the web page shows it. */
export const NOTICE_PROBLEMS = {
  notCompact: 'The signed notice is not a compact JWS (three base64url parts separated by dots).',
  malformed: (detail: string) => `The signed notice is not valid: it is not a well-formed JWS (${detail}).`,
  algorithm: (alg: string) =>
    `The signed notice is not valid: it is signed with ${alg}, but the regulator signs only with ${NOTICE_ALGORITHMS.join(', ')}.`,
  headerTyp: (typ: string | undefined) =>
    `The signature is not a signed notice: its header typ is ${typ === undefined ? 'missing' : `"${typ}"`}, not "${NOTICE_TYPES.header}" (another kind of signature offered as a notice).`,
  payloadTyp: (typ: unknown) =>
    `The signature is not a signed notice: its payload typ is ${typ === undefined ? 'missing' : JSON.stringify(typ)}, not "${NOTICE_TYPES.payload}".`,
  noKid: 'The signed notice is not valid: its header names no key (kid).',
  noKey: (kid: string) =>
    `The signed notice is not valid: key ${kid} is not one of the regulator's published keys (wrong key list, or not the regulator's key).`,
  badKey: (kid: string) => `The signed notice cannot be checked: the published key ${kid} is not a usable P-256 key.`,
  signature:
    'The signed notice is not valid: the signature does not match: it was altered after signing, or another key signed it.',
  payloadNotJson: 'The signed notice is signed, but its payload is not JSON.',
  payload: 'The signed notice is signed, but does not state what a notice as given states.',
  keyWindow: (kid: string, signedAt: string, windows: string) =>
    `The signed notice is not valid: it says it was signed at ${signedAt}, when key ${kid} was not the regulator's signing key (it was valid ${windows}).`,
} as const;

export const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export type CheckStatus = 'passed' | 'failed' | 'not-run';
export interface NoticeCheck {
  id: NoticeCheckId;
  label: string;
  status: CheckStatus;
  detail?: string;
}

export interface NoticeVerification {
  valid: boolean;
  checks: NoticeCheck[];
  header?: { alg?: string; kid?: string; typ?: string };
  /** When the signature is valid and the payload well-formed. */
  notice?: NoticeAsGiven;
  /** The published key (window) that covers signedAt, when every check passed. */
  key?: PublishedRegulatorKey;
  /** The first failure, in the words above. */
  reason?: string;
  /** Which check failed. */
  failed?: NoticeCheckId;
  details?: string[];
}

class CheckFailed extends Error {
  constructor(
    readonly check: NoticeCheckId,
    message: string,
    readonly details?: string[],
  ) {
    super(message);
  }
}

/** "from A until B", "from A (still in use)". */
export function describeWindow(key: Pick<PublishedRegulatorKey, 'validFrom' | 'validUntil'>): string {
  return key.validUntil ? `from ${key.validFrom} until ${key.validUntil}` : `from ${key.validFrom} (still in use)`;
}

/** The published window of `kid` that covers instant `at` ([validFrom, validUntil)), if any. */
export function keyWindowAt(
  keys: readonly PublishedRegulatorKey[],
  kid: string,
  at: string,
): PublishedRegulatorKey | undefined {
  const t = Date.parse(at);
  return keys.find(
    (k) =>
      k.kid === kid && Date.parse(k.validFrom) <= t && (k.validUntil === undefined || t < Date.parse(k.validUntil)),
  );
}

/** Decodes base64url; undefined for anything that is not. */
export function base64urlBytes(part: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(part) || part.length % 4 === 1) return undefined;
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
  try {
    const binary = atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '='));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

function decodeJson(bytes: Uint8Array): unknown {
  return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
}

/**
 * Runs every check in order against the regulator's published keys; the first failure stops the rest (reported as
 * not run). Never throws for a bad notice: the answer says which check failed and why.
 */
export async function verifySignedNotice(jws: string, keySet: RegulatorKeySet): Promise<NoticeVerification> {
  const passed = new Map<NoticeCheckId, string | undefined>();
  let header: NoticeVerification['header'];
  try {
    const parts = readForm(jws, (seen) => {
      header = seen;
    });
    const { headerPart, payloadPart, payloadBytes, signature } = parts;
    header = parts.header;
    passed.set('form', undefined);

    if (!header.alg || !NOTICE_ALGORITHMS.includes(header.alg)) {
      throw new CheckFailed('algorithm', NOTICE_PROBLEMS.algorithm(header.alg ?? 'no algorithm'));
    }
    passed.set('algorithm', header.alg);

    // The header's typ is checked before any key is looked up: a receipt or checkpoint offered as a notice is the
    // regulator's genuine signature, and must fail as what it is, not pass as a notice.
    if (header.typ !== NOTICE_TYPES.header) throw new CheckFailed('typ', NOTICE_PROBLEMS.headerTyp(header.typ));
    const payload = jsonOrUndefined(payloadBytes);
    const payloadTyp = (payload as { typ?: unknown } | undefined)?.typ;
    if (payload !== undefined && payloadTyp !== NOTICE_TYPES.payload) {
      throw new CheckFailed('typ', NOTICE_PROBLEMS.payloadTyp(payloadTyp));
    }
    passed.set('typ', NOTICE_TYPES.header);

    const { kid, windows, jwk } = publishedKeyOf(keySet, header.kid);
    passed.set('key', kid);

    const key = await importVerifyKey(jwk);
    const signed = new TextEncoder().encode(`${headerPart}.${payloadPart}`);
    // JWS ES256 signatures are the raw r||s pair (RFC 7518 §3.4), exactly what WebCrypto's ECDSA takes.
    const ok =
      signature.length === 64 &&
      (await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, signature, new Uint8Array(signed)));
    if (!ok) throw new CheckFailed('signature', NOTICE_PROBLEMS.signature);
    passed.set('signature', undefined);

    if (payload === undefined) throw new CheckFailed('payload', NOTICE_PROBLEMS.payloadNotJson);
    const parsed = NoticeAsGivenSchema.safeParse(payload);
    if (!parsed.success) {
      const lines = parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`);
      throw new CheckFailed('payload', NOTICE_PROBLEMS.payload, lines);
    }
    const notice = parsed.data;
    passed.set('payload', notice.noticeId);

    const window = keyWindowAt(keySet.keys, kid, notice.signedAt);
    if (!window) {
      throw new CheckFailed(
        'key-validity',
        NOTICE_PROBLEMS.keyWindow(kid, notice.signedAt, windows.map(describeWindow).join('; ')),
      );
    }
    passed.set('key-validity', describeWindow(window));
    return { valid: true, checks: listChecks(passed), header, notice, key: window };
  } catch (error) {
    if (!(error instanceof CheckFailed)) throw error;
    return {
      valid: false,
      checks: listChecks(passed, error),
      header,
      reason: error.message,
      failed: error.check,
      details: error.details,
    };
  }
}

interface JwsParts {
  headerPart: string;
  payloadPart: string;
  header: { alg?: string; kid?: string; typ?: string };
  payloadBytes: Uint8Array<ArrayBuffer>;
  signature: Uint8Array<ArrayBuffer>;
}

/** The `form` check: three base64url parts, a JSON object header with no `crit`; `seen` gets the header early. */
function readForm(jws: string, seen: (header: JwsParts['header']) => void): JwsParts {
  const token = jws.trim();
  if (!COMPACT_JWS.test(token)) throw new CheckFailed('form', NOTICE_PROBLEMS.notCompact);
  const [headerPart = '', payloadPart = '', signaturePart = ''] = token.split('.');
  const headerBytes = base64urlBytes(headerPart);
  const decoded = headerBytes ? jsonOrUndefined(headerBytes) : undefined;
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) {
    throw new CheckFailed('form', NOTICE_PROBLEMS.malformed('the header is not base64url-encoded JSON'));
  }
  const h = decoded as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const header = { alg: str(h.alg), kid: str(h.kid), typ: str(h.typ) };
  seen(header);
  const payloadBytes = base64urlBytes(payloadPart);
  const signature = base64urlBytes(signaturePart);
  if (!payloadBytes) throw new CheckFailed('form', NOTICE_PROBLEMS.malformed('the payload is not base64url'));
  if (!signature) throw new CheckFailed('form', NOTICE_PROBLEMS.malformed('the signature is not base64url'));
  if (h.crit !== undefined) {
    throw new CheckFailed('form', NOTICE_PROBLEMS.malformed('"crit" names an extension notices never use'));
  }
  return { headerPart, payloadPart, header, payloadBytes, signature };
}

/** The `key` check: the header names a kid, and the published keys hold it (one entry per window). */
function publishedKeyOf(keySet: RegulatorKeySet, kid: string | undefined) {
  if (!kid) throw new CheckFailed('key', NOTICE_PROBLEMS.noKid);
  const windows = keySet.keys.filter((k) => k.kid === kid);
  const jwk = windows[0];
  if (!jwk) throw new CheckFailed('key', NOTICE_PROBLEMS.noKey(kid));
  return { kid, windows, jwk };
}

function jsonOrUndefined(bytes: Uint8Array): unknown {
  try {
    return decodeJson(bytes);
  } catch {
    return undefined;
  }
}

function listChecks(passed: Map<NoticeCheckId, string | undefined>, failure?: CheckFailed): NoticeCheck[] {
  return NOTICE_CHECKS.map(({ id, label }) => {
    if (passed.has(id)) return { id, label, status: 'passed', detail: passed.get(id) };
    if (failure?.check === id) return { id, label, status: 'failed', detail: failure.message };
    return { id, label, status: 'not-run' };
  });
}

async function importVerifyKey(jwk: PublishedRegulatorKey): ReturnType<typeof crypto.subtle.importKey> {
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.x !== 'string' || typeof jwk.y !== 'string') {
    throw new CheckFailed('key', NOTICE_PROBLEMS.badKey(jwk.kid));
  }
  try {
    return await crypto.subtle.importKey(
      'jwk',
      { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y },
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['verify'],
    );
  } catch {
    throw new CheckFailed('key', NOTICE_PROBLEMS.badKey(jwk.kid));
  }
}

/** SHA-256 hex of a signed notice's ASCII bytes: what a platform's acknowledgement names (`signedNoticeSha256`). */
export async function signedNoticeSha256(jws: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(jws));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * What a platform signs to acknowledge a signed notice (docs/evidence.md), for the CLI and the web app alike:
 * sign the RFC 8785 canonical JSON of this with header `{alg, kid, typ: nrp-acknowledgement+jws}`.
 */
export async function acknowledgementPayload(input: {
  noticeId: string;
  platformId: string;
  signedNotice: string;
  acknowledgedAt: string;
}) {
  return {
    typ: SIGNATURE_TYPES.acknowledgement.payload,
    noticeId: input.noticeId,
    platformId: input.platformId,
    signedNoticeSha256: await signedNoticeSha256(input.signedNotice),
    acknowledgedAt: input.acknowledgedAt,
  };
}
