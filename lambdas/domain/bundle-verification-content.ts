import { createHash } from 'node:crypto';
import {
  type AcknowledgementPayloadSchema,
  SIGNED_CONTENT_FIELDS,
  type SignedNoticePayload,
} from './bundle-verification-formats';
import { canonicalJson } from './canonical-json';
import type { NoticeEventOf } from './notice-event';
import { keyUnusableAt, type SigningKey } from './signing-keys';
import type { Manifest, ReceiptClaims } from './submission';
import type * as z from './zod';

/**
 * Whether a signed statement says what the events say: the notice as given against the content and issued events,
 * a receipt against its `submitted` event and manifest. Each returns the mismatches in words (empty when none),
 * as tables of "this must equal that", so that every rule is one line a reader can check against docs/evidence.md.
 */
const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);
const sameInstant = (a: string | undefined, b: string | undefined) =>
  a === undefined || b === undefined ? a === b : Date.parse(a) === Date.parse(b);
const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** How far the signing time may be from the giving time (the notice is signed as it is issued). */
export const SIGNED_AT_TOLERANCE_MS = 5 * 60_000;

function failing(rules: readonly (readonly [boolean, string])[]): string[] {
  return rules.filter(([holds]) => !holds).map(([, message]) => message);
}

export function signedNoticeMismatches(
  p: SignedNoticePayload,
  content: NoticeEventOf<'created' | 'draft-revised'>,
  issued: NoticeEventOf<'issued'>,
): string[] {
  const fields = SIGNED_CONTENT_FIELDS.map(
    (field) =>
      [
        same(p[field], content.data[field]),
        `the signed notice's ${field} is not the ${field} of event ${content.seq}`,
      ] as const,
  );
  return failing([
    [
      p.contentSeq === content.seq && p.contentHash === content.hash,
      `the signed notice names content event ${p.contentSeq}; the content issued is event ${content.seq} (hash ${content.hash.slice(0, 12)}…)`,
    ],
    ...fields,
    [
      p.reminderPolicy === undefined || same(p.reminderPolicy, content.data.reminderPolicy),
      `the signed notice's reminderPolicy is not that of event ${content.seq}`,
    ],
    [
      sameInstant(p.givenAt, issued.at),
      `the signed notice says given at ${p.givenAt}; the issued event says ${issued.at}`,
    ],
    [
      sameInstant(p.dueAt, issued.data.dueAt),
      `the signed notice says due ${p.dueAt ?? 'never'}; the issued event says ${issued.data.dueAt ?? 'never'}`,
    ],
    [
      same(p.dueExplanation, issued.data.dueExplanation),
      "the signed notice's explanation of the due time is not the issued event's",
    ],
    [
      Math.abs(Date.parse(p.signedAt) - Date.parse(issued.at)) <= SIGNED_AT_TOLERANCE_MS,
      `the signed notice was signed at ${p.signedAt}, not when it was given (${issued.at})`,
    ],
  ]);
}

export function receiptMismatches(input: {
  what: string;
  claims: ReceiptClaims;
  jws: string;
  event: NoticeEventOf<'submitted'>;
  platformId: string | undefined;
  manifestBytes?: Uint8Array;
  manifest?: Manifest;
}): string[] {
  const { what, claims: c, jws, event, platformId, manifestBytes, manifest } = input;
  const e = event.data;
  return failing([
    [c.noticeId === event.noticeId, `${what} is for notice ${c.noticeId}, not ${event.noticeId}`],
    [c.submissionId === e.submissionId, `${what} is for submission ${c.submissionId}`],
    [c.platformId === platformId, `${what} is for platform ${c.platformId}`],
    [jws === e.receipt, `${what} is not the receipt recorded in event ${event.seq}`],
    [
      c.receiptNumber === e.receiptNumber,
      `${what} has number ${c.receiptNumber}; event ${event.seq} says ${e.receiptNumber}`,
    ],
    [sameInstant(c.filedAt, e.filedAt), `${what} says filed at ${c.filedAt}; event ${event.seq} says ${e.filedAt}`],
    [c.manifestSha256 === e.manifestSha256, `${what} receipts another manifest than event ${event.seq} filed`],
    [
      !manifestBytes || c.manifestSha256 === sha256Hex(manifestBytes),
      `${what} receipts another manifest than the bundle's`,
    ],
    [same(c.files, e.files), `${what} lists other files than event ${event.seq} filed`],
    [c.signedBy.kid === e.kid, `${what} names platform key ${c.signedBy.kid}; event ${event.seq} says ${e.kid}`],
    [
      !manifest || sameInstant(c.signedBy.signedAt, manifest.signedAt),
      `${what} says the manifest was signed at ${c.signedBy.signedAt}; the manifest says ${manifest?.signedAt}`,
    ],
  ]);
}

/** A countersigned acknowledgement against its event, the bundle's signed notice and the platform's keys. */
export function acknowledgementMismatches(input: {
  what: string;
  payload: z.infer<typeof AcknowledgementPayloadSchema>;
  event: NoticeEventOf<'acknowledged'>;
  platformId: string | undefined;
  signedNotice: string | undefined;
  key: SigningKey | undefined;
  headerKid: unknown;
}): string[] {
  const { what, payload: p, event, platformId, signedNotice, key } = input;
  const unusable = key && (keyUnusableAt(key, p.acknowledgedAt) ?? keyUnusableAt(key, event.at));
  return failing([
    [p.noticeId === event.noticeId, `${what} acknowledges notice ${p.noticeId}`],
    [p.platformId === platformId, `${what} is made for platform ${p.platformId}`],
    [signedNotice !== undefined, `${what} acknowledges a signed notice the bundle does not hold`],
    [
      signedNotice === undefined || p.signedNoticeSha256 === sha256Hex(Buffer.from(signedNotice, 'ascii')),
      `${what} acknowledges another signed notice than this one`,
    ],
    [key !== undefined, `${what} was made with key ${String(input.headerKid)}, not registered for the platform`],
    [
      !key || event.data.kid === undefined || event.data.kid === key.kid,
      `${what} is recorded as made with key ${event.data.kid}, but its header names ${key?.kid}`,
    ],
    [!unusable, `${what}: ${unusable}`],
  ]);
}
