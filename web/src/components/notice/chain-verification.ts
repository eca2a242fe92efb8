// The server's own canonicalisation (pure, no Node imports): the browser hashes exactly the bytes the server did.
import { canonicalJson } from '../../../../lambdas/domain/canonical-json';
import { sha256Hex } from '../sha256';

/** The hash an event names as its predecessor when it is the first (lambdas/domain/notice-event.ts). */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields the chain rule reads; every other field of the event is hashed as it came from the API. */
export interface ChainEvent {
  seq: number;
  prevHash: string;
  hash: string;
}

export interface EventCheck {
  seq: number;
  /** The hash recomputed here, from the event's other fields. */
  computedHash: string;
  /** The recomputed hash equals the one the event carries. */
  hashMatches: boolean;
  /** The event names the hash of the event before it (the genesis hash for the first). */
  linksToPrevious: boolean;
  /** The event is numbered one after the event before it (no gap, nothing reordered). */
  inSequence: boolean;
  ok: boolean;
}

export interface ChainCheck {
  valid: boolean;
  events: EventCheck[];
  /** The first event that failed, if any. */
  firstFailure?: EventCheck;
}

/** The rule of notice-event.ts `hashEvent`: SHA-256 of the RFC 8785 canonical JSON of every field but `hash`. */
export async function computeEventHash(event: ChainEvent): Promise<string> {
  const { hash: _hash, ...rest } = event;
  return sha256Hex(canonicalJson(rest));
}

/**
 * Checks a notice's complete history, oldest first, as the server's `verifyChain` does — but reports every
 * event, not only the first failure, so the timeline can mark each one. A later event is checked against the
 * hash its predecessor *carries*, so one edited event shows as one failure (its own hash), not a cascade.
 */
export async function verifyEventChain(events: readonly ChainEvent[]): Promise<ChainCheck> {
  const checks: EventCheck[] = [];
  let previous: ChainEvent | undefined;
  for (const event of events) {
    const computedHash = await computeEventHash(event);
    const hashMatches = computedHash === event.hash;
    const linksToPrevious = event.prevHash === (previous ? previous.hash : GENESIS_HASH);
    const inSequence = event.seq === (previous ? previous.seq + 1 : 1);
    checks.push({
      seq: event.seq,
      computedHash,
      hashMatches,
      linksToPrevious,
      inSequence,
      ok: hashMatches && linksToPrevious && inSequence,
    });
    previous = event;
  }
  const firstFailure = checks.find((check) => !check.ok);
  return { valid: firstFailure === undefined, events: checks, firstFailure };
}

/** What went wrong with one event, in words for the timeline. */
export function describeCheck(check: EventCheck): string {
  if (check.ok) return 'Hash verified and linked to the event before.';
  const problems: string[] = [];
  if (!check.hashMatches) problems.push('its content does not match its hash');
  if (!check.linksToPrevious) problems.push('it does not name the hash of the event before');
  if (!check.inSequence) problems.push('it is out of sequence (an event is missing or reordered)');
  return `Failed: ${problems.join('; ')}.`;
}
