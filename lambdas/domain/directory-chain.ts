import { createHash } from 'node:crypto';
import { ActorSchema } from './caller';
import { canonicalJson } from './canonical-json';
import { IsoInstantSchema } from './notice';
import { type ChainCheck, HashSchema, verifyHashChain } from './notice-event';
import * as z from './zod';

/**
 * The directory records evidence depends on, as hash chains like a notice's events: each platform's signing keys
 * (registered, revoked, with their effect times) and the regulator's own signing keys (each activated at a time;
 * a key is valid from its activation until the next one). Checkpoints commit to their heads exactly as they do to
 * a notice's, so a verifier can tell that a key the portal shows now is the key it showed then.
 *
 * Chain ids name what a chain records; a checkpoint leaf is `(chain, seq, head)`.
 */
export const REGULATOR_KEYS_CHAIN = 'regulator-keys';
export const noticeChain = (noticeId: string) => `notice:${noticeId}`;
export const platformKeysChain = (platformId: string) => `platform-keys:${platformId}`;

export const DIRECTORY_EVENT_KINDS = ['key-registered', 'key-revoked', 'regulator-key-activated'] as const;

const DirectoryEventBase = {
  chain: z.string().check(z.minLength(1)),
  seq: z.number().check(z.int(), z.gte(1)),
  at: IsoInstantSchema,
  actor: z.optional(ActorSchema),
  prevHash: HashSchema,
  /** SHA-256 of the RFC 8785 canonical JSON of every other field of this event. */
  hash: HashSchema,
};

export const DirectoryEventSchema = /* @__PURE__ */ (() =>
  z.described(
    z.discriminatedUnion('kind', [
      z.strictObject({
        ...DirectoryEventBase,
        kind: z.literal('key-registered'),
        /** The platform signing key as registered (lambdas/domain/signing-keys.ts `SigningKey`, without revocation). */
        data: z.record(z.string(), z.unknown()),
      }),
      z.strictObject({
        ...DirectoryEventBase,
        kind: z.literal('key-revoked'),
        data: z.strictObject({
          kid: z.string(),
          revokedAt: IsoInstantSchema,
          revocationEffectiveAt: IsoInstantSchema,
          revocationReason: z.string(),
        }),
      }),
      z.strictObject({
        ...DirectoryEventBase,
        kind: z.literal('regulator-key-activated'),
        /** The regulator's public key (ES256, P-256) and when it began to sign; the one before stops then. */
        data: z.strictObject({
          kid: z.string(),
          jwk: z.record(z.string(), z.unknown()),
          activatedAt: IsoInstantSchema,
        }),
      }),
    ]),
    { id: 'DirectoryEvent' },
  ))();
export type DirectoryEvent = z.infer<typeof DirectoryEventSchema>;

type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type UnsealedDirectoryEvent = OmitEach<DirectoryEvent, 'hash' | 'prevHash' | 'seq' | 'chain'>;

export function hashDirectoryEvent(event: OmitEach<DirectoryEvent, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(event)).digest('hex');
}

export function sealDirectoryEvent(
  chain: string,
  seq: number,
  prevHash: string,
  event: UnsealedDirectoryEvent,
): DirectoryEvent {
  const unsealed = { ...event, chain, seq, prevHash } as OmitEach<DirectoryEvent, 'hash'>;
  return { ...unsealed, hash: hashDirectoryEvent(unsealed) } as DirectoryEvent;
}

/** Checks a complete directory chain: contiguous from 1, linked, each hash matching its content. */
export function verifyDirectoryChain(events: readonly DirectoryEvent[]): ChainCheck {
  return verifyHashChain(events, (unhashed) => hashDirectoryEvent(unhashed as OmitEach<DirectoryEvent, 'hash'>));
}

/** What a checkpoint commits to for one chain: its length and the hash of its last event at that moment. */
export interface CheckpointLeaf {
  chain: string;
  seq: number;
  head: string;
}
