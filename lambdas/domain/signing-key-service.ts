import { type Actor, actorFor, actsFor, type Caller, isRegulator } from './caller';
import { Conflict, Forbidden, NotFound, ValidationFailed } from './errors';
import { missingKeyEvents } from './key-log';
import type { KeyLogStore } from './key-log-store';
import type { SigningKeyStore } from './signing-key-store';
import { parsePublicKey, type RegisterKeyRequestSchema, type SigningKey } from './signing-keys';
import { SIGNED_AT_SKEW_MS } from './submission';
import type * as z from './zod';

export interface SigningKeyServiceDeps {
  keys: SigningKeyStore;
  /** The platforms' key logs (chain `platform-keys:<p>`), written after each change to a key. */
  keyLog: KeyLogStore;
  clock: () => Date;
}

const MAX_LOG_ATTEMPTS = 5;

/**
 * The platform signing keys responses are verified with: a regulator admin registers and revokes them; regulators,
 * and each platform for its own, list them. Verifying a signature reads them through `SigningKeyLookup`.
 */
export class SigningKeyService {
  constructor(private readonly deps: SigningKeyServiceDeps) {}

  async registerKey(
    caller: Caller,
    platformId: string,
    request: z.infer<typeof RegisterKeyRequestSchema>,
  ): Promise<{ key: SigningKey; created: boolean }> {
    const actor = this.admin(caller, 'register signing keys');
    const { jwk, kid, alg } = await parsePublicKey(request.jwk);
    const now = this.deps.clock().toISOString();
    // Without an explicit start, a key is valid from registration less the signing-time skew we tolerate, so a
    // platform machine a little behind the portal's clock can use it at once.
    const validFrom = request.validFrom
      ? new Date(request.validFrom).toISOString()
      : new Date(Date.parse(now) - SIGNED_AT_SKEW_MS).toISOString();
    const validUntil = request.validUntil ? new Date(request.validUntil).toISOString() : undefined;
    if (validUntil && validUntil <= validFrom) {
      throw new ValidationFailed([{ path: 'validUntil', message: 'must be later than validFrom' }]);
    }
    // One public key belongs to one platform, or "who signed" would be ambiguous. The claim (a conditional write
    // keyed by the thumbprint) comes first and is never undone: a crash after it leaves a claim a retry for the same
    // platform passes straight through, and never a key record that another platform could also hold.
    const claim = await this.deps.keys.claimKey({ kid, platformId, claimedAt: now, claimedBy: actor });
    if (claim.platformId !== platformId) {
      throw new Conflict(
        'illegal-transition',
        `This public key (${kid}) is already registered for platform ${claim.platformId}; a key can belong to one platform only.`,
      );
    }
    const key: SigningKey = {
      kid,
      platformId,
      alg,
      jwk,
      label: request.label,
      validFrom,
      validUntil,
      registeredAt: now,
      registeredBy: actor,
    };
    if (await this.deps.keys.createKey(key)) {
      await this.logChanges(key);
      return { key, created: true };
    }
    const existing = await this.deps.keys.getKey(platformId, kid);
    // The same key registered again (a retry) is the same record; a changed window is a different request.
    const sameWindow =
      existing &&
      (request.validFrom === undefined || existing.validFrom === key.validFrom) &&
      existing.validUntil === key.validUntil;
    if (existing && sameWindow) {
      // A retry after a crash between the key record and its log event finishes the log.
      await this.logChanges(existing);
      return { key: existing, created: false };
    }
    throw new Conflict('illegal-transition', `Key ${kid} is already registered for ${platformId}.`);
  }

  async listKeys(caller: Caller, platformId: string): Promise<SigningKey[]> {
    if (!isRegulator(caller) && !actsFor(caller, platformId)) throw new NotFound(`No platform ${platformId}.`);
    return this.deps.keys.listKeys(platformId);
  }

  async revokeKey(caller: Caller, platformId: string, kid: string, request: { effectiveAt?: string; reason: string }) {
    const actor = this.admin(caller, 'revoke signing keys');
    const key = await this.deps.keys.getKey(platformId, kid);
    if (!key) throw new NotFound(`Platform ${platformId} has no key ${kid}.`);
    if (key.revokedAt) throw new Conflict('illegal-transition', `Key ${kid} was already revoked at ${key.revokedAt}.`);
    const now = this.deps.clock().toISOString();
    const revoked: SigningKey = {
      ...key,
      revokedAt: now,
      revocationEffectiveAt: request.effectiveAt ? new Date(request.effectiveAt).toISOString() : now,
      revokedBy: actor,
      revocationReason: request.reason,
    };
    if (!(await this.deps.keys.replaceKey(revoked, 'not-revoked'))) {
      throw new Conflict('concurrent-update', `Key ${kid} was revoked by another request at the same moment.`);
    }
    await this.logChanges(revoked);
    return revoked;
  }

  /** The platform's key log (registrations and revocations, hash-chained), for evidence. */
  keyLog(platformId: string) {
    return this.deps.keyLog.platformKeyLog(platformId);
  }

  /**
   * Logs the changes a crash left unlogged: every key still marked pending since before `olderThanMs` ago
   * (projection repair runs it; younger marks belong to the request still writing them).
   */
  async repairKeyLogs(options: { olderThanMs: number; limit: number }): Promise<string[]> {
    const before = new Date(this.deps.clock().getTime() - options.olderThanMs).toISOString();
    const repaired: string[] = [];
    for (const { platformId, kid } of await this.deps.keyLog.pendingKeyLogs(before, options.limit)) {
      const key = await this.deps.keys.getKey(platformId, kid);
      if (!key) continue;
      await this.logChanges(key);
      repaired.push(`${platformId}/${kid}`);
    }
    return repaired;
  }

  /**
   * Appends to the platform's key log whatever it does not yet record of `key` (its registration, its
   * revocation), then clears the key's pending mark. Appending is conditional on the next sequence number, so a
   * concurrent change to another of the platform's keys makes this one read the log again and retry.
   */
  private async logChanges(key: SigningKey): Promise<void> {
    const { keyLog } = this.deps;
    for (let attempt = 1; attempt <= MAX_LOG_ATTEMPTS; attempt++) {
      const missing = missingKeyEvents(await keyLog.platformKeyLog(key.platformId), key);
      let appended = 0;
      for (const event of missing) {
        if (!(await keyLog.appendKeyLog(key.platformId, event))) break;
        appended++;
      }
      if (appended === missing.length) {
        await keyLog.keyLogDone(key);
        return;
      }
    }
    // The key record is committed and still marked: projection repair logs it.
    throw new Conflict('concurrent-update', `The key log of ${key.platformId} kept changing; try again.`);
  }

  private admin(caller: Caller, what: string): Actor {
    const actor = actorFor(caller, ['regulator-admin']);
    if (!actor) throw new Forbidden(`Only regulator-admin users may ${what}.`);
    return actor;
  }
}
