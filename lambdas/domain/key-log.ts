import {
  type DirectoryEvent,
  platformKeysChain,
  sealDirectoryEvent,
  type UnsealedDirectoryEvent,
} from './directory-chain';
import { GENESIS_HASH } from './notice-event';
import type { SigningKey } from './signing-keys';

/**
 * What a platform's key log records of one key: its registration (the record as registered, without revocation
 * fields) and, once revoked, its revocation with the instant it takes effect. Each event's `at` is when the change
 * was made (or, for a key older than the log, when the backfill logged it: `missingKeyLogEvents`); the data says when
 * each key began and stopped being good for a signature.
 */
export function keyChanges(key: SigningKey): UnsealedDirectoryEvent[] {
  const { revokedAt, revocationEffectiveAt, revokedBy, revocationReason, ...registered } = key;
  const changes: UnsealedDirectoryEvent[] = [
    {
      kind: 'key-registered',
      at: key.registeredAt,
      actor: key.registeredBy,
      data: withoutUndefined(registered),
    },
  ];
  if (revokedAt && revocationEffectiveAt) {
    changes.push({
      kind: 'key-revoked',
      at: revokedAt,
      actor: revokedBy,
      data: { kid: key.kid, revokedAt, revocationEffectiveAt, revocationReason: revocationReason ?? '' },
    });
  }
  return changes;
}

/** The changes to `key` the log does not record yet, sealed as its next events. */
export function missingKeyEvents(log: readonly DirectoryEvent[], key: SigningKey): DirectoryEvent[] {
  const recorded = (kind: string) => log.some((e) => e.kind === kind && (e.data as { kid?: unknown }).kid === key.kid);
  const events: DirectoryEvent[] = [];
  let head = log.at(-1);
  for (const change of keyChanges(key)) {
    if (recorded(change.kind)) continue;
    const event = sealDirectoryEvent(
      platformKeysChain(key.platformId),
      (head?.seq ?? 0) + 1,
      head?.hash ?? GENESIS_HASH,
      change,
    );
    events.push(event);
    head = event;
  }
  return events;
}

/** Stored items drop undefined members, so the hash is taken over exactly what is stored. */
function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

/**
 * The events a platform's key log lacks for its keys (the backfill of keys registered before the log existed):
 * for each key, oldest registration first (then by kid, so every run decides the same order), its registration
 * and, if revoked, its revocation, each only if the log has no event of that kind for that kid. The data is
 * exactly what a new registration logs (`keyChanges`), so the record's own `registeredAt`, `validFrom`,
 * `revokedAt` and `revocationEffectiveAt` say when each change was made and took effect; `at` is `loggedAt`,
 * when the log records it. It must be: a verifier expects a checkpoint issued a day after an event's `at` to
 * cover it, and no checkpoint issued before the backfill could.
 */
export function missingKeyLogEvents(
  platformId: string,
  log: readonly DirectoryEvent[],
  keys: readonly SigningKey[],
  loggedAt: string,
): DirectoryEvent[] {
  const recorded = new Set(log.map((e) => `${e.kind} ${String((e.data as { kid?: unknown }).kid)}`));
  const ordered = keys
    .filter((key) => key.platformId === platformId)
    .sort((a, b) => a.registeredAt.localeCompare(b.registeredAt) || (a.kid < b.kid ? -1 : a.kid > b.kid ? 1 : 0));
  const events: DirectoryEvent[] = [];
  let head = log.at(-1);
  for (const key of ordered) {
    for (const change of keyChanges(key)) {
      if (recorded.has(`${change.kind} ${key.kid}`)) continue;
      const event = sealDirectoryEvent(
        platformKeysChain(platformId),
        (head?.seq ?? 0) + 1,
        head?.hash ?? GENESIS_HASH,
        {
          ...change,
          at: loggedAt,
        },
      );
      events.push(event);
      head = event;
    }
  }
  return events;
}
