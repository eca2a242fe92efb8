import { createHash } from 'node:crypto';
import { compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { ValidationFailed } from './errors';
import type { Notice } from './notice';
import { SIGNATURE_TYPES } from './signature-types';
import { keyUnusableAt, SIGNING_ALGORITHMS, type SigningKey } from './signing-keys';
import * as z from './zod';

/**
 * A platform's countersigned acknowledgement (docs/evidence.md): a compact JWS made with one of the platform's
 * registered signing keys, over "we received exactly this signed notice". It proves what the platform received,
 * not only that somebody clicked; the portal records it in the `acknowledged` event.
 */
export const ACKNOWLEDGEMENT_TYPES = SIGNATURE_TYPES.acknowledgement;

export const AcknowledgementPayloadSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    typ: z.literal(ACKNOWLEDGEMENT_TYPES.payload),
    noticeId: z.string(),
    platformId: z.string(),
    /** SHA-256 hex of the signed notice JWS's ASCII bytes. */
    signedNoticeSha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
    /** The platform's own claim of when it acknowledged. */
    acknowledgedAt: z.iso.datetime({ offset: true }),
  }))();
export type AcknowledgementPayload = z.infer<typeof AcknowledgementPayloadSchema>;

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'ascii').digest('hex');

/**
 * Checks a countersignature over `notice.signedNotice` against the keys registered for `platformId` (the caller's
 * platform), usable at `now`. Any problem is a 400 on the field `signature`, naming it.
 */
/** Any problem with the countersignature: a 400 on the field `signature`, naming it. */
function fail(message: string): never {
  throw new ValidationFailed([{ path: 'signature', message }], 'The acknowledgement signature is not valid.');
}

/** The compact form and the protected header, by the portal's rules: EdDSA or ES256, this typ, a kid, no extensions. */
function readHeader(signature: string): { alg: string; kid: string } {
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(signature)) {
    fail('is not a compact JWS with its payload ("<header>.<payload>.<signature>")');
  }
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(signature) as Record<string, unknown>;
  } catch {
    return fail('has a header that is not base64url-encoded JSON');
  }
  const alg = header.alg;
  if (typeof alg !== 'string' || !(SIGNING_ALGORITHMS as readonly string[]).includes(alg)) {
    fail(`uses algorithm ${JSON.stringify(alg)}; only ${SIGNING_ALGORITHMS.join(' and ')} are accepted`);
  }
  if (header.typ !== ACKNOWLEDGEMENT_TYPES.header) {
    fail(`has header typ ${JSON.stringify(header.typ)}; an acknowledgement's is "${ACKNOWLEDGEMENT_TYPES.header}"`);
  }
  if (header.crit !== undefined || header.b64 !== undefined) fail('uses JWS extensions this portal does not accept');
  if (typeof header.kid !== 'string') fail('has no "kid" naming the registered key it was made with');
  return { alg: alg as string, kid: header.kid as string };
}

export async function verifyAcknowledgement(input: {
  signature: string;
  notice: Notice;
  platformId: string;
  findKey: (platformId: string, kid: string) => Promise<SigningKey | undefined>;
  now: Date;
}): Promise<{ kid: string }> {
  const { notice, signature } = input;
  if (!notice.signedNotice) fail(`notice ${notice.id} has no signed notice to countersign; acknowledge without one`);
  const { alg, kid } = readHeader(signature);
  const key = await input.findKey(input.platformId, kid);
  if (!key) return fail(`was made with key ${kid}, which is not registered for platform ${input.platformId}`);
  const unusable = keyUnusableAt(key, input.now.toISOString());
  if (unusable) fail(`cannot be accepted: ${unusable}`);
  if (key.alg !== alg) fail(`says ${alg} but key ${kid} is an ${key.alg} key`);
  let payloadBytes: Uint8Array;
  try {
    ({ payload: payloadBytes } = await compactVerify(signature, await importJWK(key.jwk as JWK, key.alg), {
      algorithms: [...SIGNING_ALGORITHMS],
    }));
  } catch {
    return fail(`does not verify with key ${kid}: it was changed after signing, or another key signed it`);
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payloadBytes));
  } catch {
    return fail('is signed, but its payload is not JSON');
  }
  const parsed = AcknowledgementPayloadSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return fail(`does not state an acknowledgement: ${first?.path.join('.') || 'payload'}: ${first?.message}`);
  }
  const payload = parsed.data;
  if (payload.noticeId !== notice.id) fail(`acknowledges notice ${payload.noticeId}, not ${notice.id}`);
  if (payload.platformId !== notice.platformId) {
    fail(`names platform ${payload.platformId}; notice ${notice.id} was given to ${notice.platformId}`);
  }
  if (payload.signedNoticeSha256 !== sha256Hex(notice.signedNotice as string)) {
    fail("names a signed notice other than this notice's (signedNoticeSha256 does not match)");
  }
  return { kid };
}
