import { createHash } from 'node:crypto';
import { ActorSchema } from './caller';
import { canonicalJson } from './canonical-json';
import { eventPayloadSchemas } from './event-payloads';
import { IsoInstantSchema, NoticeIdSchema } from './notice';
import * as z from './zod';

/**
 * Every change to a notice is an event: who, when, what kind, why, and the data it changed. Events form a hash
 * chain (each names the hash of the one before), so a copy of a notice's history can be checked offline for
 * gaps, reordering or edits.
 */
export const EVENT_KINDS = [
  'created',
  'draft-revised',
  'issued',
  'acknowledged',
  'withdrawn',
  'extension-requested',
  'extension-granted',
  'extension-refused',
  'reminder-sent',
  'payment-recorded',
  'non-payment-recorded',
  'payment-corrected',
  'submitted',
  'review-started',
  'further-information-requested',
  'accepted',
  'closed',
] as const;
export const EventKindSchema = /* @__PURE__ */ z.enum(EVENT_KINDS);
export type EventKind = z.infer<typeof EventKindSchema>;

export const HashSchema = /* @__PURE__ */ (() => z.string().check(z.regex(/^[0-9a-f]{64}$/)))();
export const GENESIS_HASH = '0'.repeat(64);

/** One kind of event: the fields every event has, and that kind's payload (event-payloads.ts). */
function eventSchema<K extends EventKind>(kind: K, payloads: ReturnType<typeof eventPayloadSchemas>) {
  return z.strictObject({
    noticeId: NoticeIdSchema,
    seq: z.number().check(z.int(), z.gte(1)),
    kind: z.literal(kind),
    at: IsoInstantSchema,
    actor: ActorSchema,
    reason: z.optional(z.string()),
    data: payloads[kind],
    /** Set when the request carried an Idempotency-Key, so that a retry can be recognised. */
    idempotencyKey: z.optional(z.string()),
    prevHash: HashSchema,
    /** SHA-256 of the RFC 8785 canonical JSON of every other field of this event. */
    hash: HashSchema,
  });
}

/**
 * Every kind of event, built on first use (z.lazy): its 17 variants are ~300 zod schemas, ~15 ms of CPU at a cold
 * start, and most functions never read an event back (they read a notice's projection and append).
 */
export const NoticeEventSchema = /* @__PURE__ */ (() =>
  z.described(z.lazy(noticeEventVariants), { id: 'NoticeEvent' }))();

/** The discriminated union itself; reached only through {@link NoticeEventSchema}. */
function noticeEventVariants() {
  const payloads = eventPayloadSchemas();
  return z.discriminatedUnion('kind', [
    eventSchema('created', payloads),
    eventSchema('draft-revised', payloads),
    eventSchema('issued', payloads),
    eventSchema('acknowledged', payloads),
    eventSchema('withdrawn', payloads),
    eventSchema('extension-requested', payloads),
    eventSchema('extension-granted', payloads),
    eventSchema('extension-refused', payloads),
    eventSchema('reminder-sent', payloads),
    eventSchema('payment-recorded', payloads),
    eventSchema('non-payment-recorded', payloads),
    eventSchema('payment-corrected', payloads),
    eventSchema('submitted', payloads),
    eventSchema('review-started', payloads),
    eventSchema('further-information-requested', payloads),
    eventSchema('accepted', payloads),
    eventSchema('closed', payloads),
  ]);
}
export type NoticeEvent = z.infer<typeof NoticeEventSchema>;
export type NoticeEventOf<K extends EventKind> = Extract<NoticeEvent, { kind: K }>;

/** `Omit` for each member of a union (the built-in one merges the members, losing which data goes with which kind). */
type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type UnsealedEvent = OmitEach<NoticeEvent, 'hash' | 'prevHash' | 'seq' | 'noticeId'>;
/** What a command decides to record: the kind, its data and the reason; the service adds who and when. */
export type EventDecision = OmitEach<UnsealedEvent, 'at' | 'actor' | 'idempotencyKey'>;

export function hashEvent(event: OmitEach<NoticeEvent, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(event)).digest('hex');
}

/** Gives an event its place in the notice's chain. */
export function sealEvent(noticeId: string, seq: number, prevHash: string, event: UnsealedEvent): NoticeEvent {
  const unsealed = { ...event, noticeId, seq, prevHash };
  return { ...unsealed, hash: hashEvent(unsealed) };
}

/** How a chain check ends: valid, or the first event that breaks it and why. */
export type ChainCheck = { valid: true } | { valid: false; seq: number; problem: string };

/**
 * Checks a complete hash chain (a notice's events, a key log): contiguous from 1, each linked to the one before
 * (the first to the genesis hash), each hash matching `hashOf` its content without the hash.
 */
export function verifyHashChain<E extends { seq: number; prevHash: string; hash: string }>(
  events: readonly E[],
  hashOf: (unhashed: Omit<E, 'hash'>) => string,
): ChainCheck {
  let prevHash = GENESIS_HASH;
  for (const [i, event] of events.entries()) {
    const { hash, ...rest } = event;
    if (event.seq !== i + 1) return { valid: false, seq: event.seq, problem: `expected event ${i + 1}` };
    if (event.prevHash !== prevHash)
      return { valid: false, seq: event.seq, problem: 'does not link to the event before' };
    if (hashOf(rest) !== hash) return { valid: false, seq: event.seq, problem: 'content does not match its hash' };
    prevHash = hash;
  }
  return { valid: true };
}

/** Checks a notice's complete history. */
export function verifyChain(events: readonly NoticeEvent[]): ChainCheck {
  return verifyHashChain(events, (unhashed) => hashEvent(unhashed as OmitEach<NoticeEvent, 'hash'>));
}
