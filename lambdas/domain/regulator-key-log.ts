import type { DirectoryEvent } from './directory-chain';
import type { PublishedRegulatorKey } from './notice-verification';

/**
 * The regulator's signing keys as a hash chain (`regulator-keys`, directory-chain.ts): each
 * `regulator-key-activated` event says which key signs from when. A key is valid from its activation until the
 * next activation; the newest has no end. Rotation therefore never breaks an old signature: the old key stays
 * published with the window in which it signed.
 */
export type RegulatorKeyActivation = Extract<DirectoryEvent, { kind: 'regulator-key-activated' }>;

/** Where the chain is kept (the notices table on AWS and locally: lambdas/adapters/dynamodb-regulator-key-log.ts). */
export interface RegulatorKeyLog {
  /** Every event of the chain, in seq order (strongly consistent: a process must see the activation it lost to). */
  readLog(): Promise<DirectoryEvent[]>;
  /** Appends `event` if its seq is still free; false when another writer took it first (the commit point). */
  append(event: DirectoryEvent): Promise<boolean>;
}

/** The published keys of a log: one entry per activation, with its window (the key's public JWK + validity). */
export function publishedKeys(log: readonly DirectoryEvent[]): PublishedRegulatorKey[] {
  const activations = log.filter((e): e is RegulatorKeyActivation => e.kind === 'regulator-key-activated');
  return activations.map((event, i) => {
    const next = activations[i + 1];
    return {
      ...(event.data.jwk as Record<string, unknown>),
      kid: event.data.kid,
      alg: 'ES256',
      use: 'sig',
      validFrom: event.data.activatedAt,
      ...(next ? { validUntil: next.data.activatedAt } : {}),
    } as PublishedRegulatorKey;
  });
}

/** `/.well-known/regulator-keys.json`: the keys with their windows, and the chain they come from. */
export function regulatorKeySet(log: readonly DirectoryEvent[]): {
  keys: PublishedRegulatorKey[];
  log: DirectoryEvent[];
} {
  return { keys: publishedKeys(log), log: [...log] };
}

/**
 * The same keys as a plain JWKS (`/.well-known/receipt-keys.json`): one entry per kid (a JWKS with two entries
 * of one kid is ambiguous to every JWKS client), the latest window of each, extra members kept (JWKS allows them).
 */
export function receiptJwks(log: readonly DirectoryEvent[]): { keys: PublishedRegulatorKey[] } {
  const byKid = new Map<string, PublishedRegulatorKey>();
  for (const key of publishedKeys(log)) byKid.set(key.kid, key);
  return { keys: [...byKid.values()] };
}

/** The kid the head of the chain names: the key signing now (undefined before the first activation). */
export function activeKid(log: readonly DirectoryEvent[]): string | undefined {
  const activations = log.filter((e): e is RegulatorKeyActivation => e.kind === 'regulator-key-activated');
  return activations.at(-1)?.data.kid;
}
