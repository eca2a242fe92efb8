import type { z } from 'zod';
import { type Actor, actorFor, actsFor, type Caller, isRegulator } from './caller';
import { Conflict, Forbidden, NotFound, ValidationFailed } from './errors';
import type { SigningKeyStore } from './signing-key-store';
import { parsePublicKey, type RegisterKeyRequestSchema, type SigningKey } from './signing-keys';
import { SIGNED_AT_SKEW_MS } from './submission';

export interface SigningKeyServiceDeps {
  keys: SigningKeyStore;
  clock: () => Date;
}

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
    if (await this.deps.keys.createKey(key)) return { key, created: true };
    const existing = await this.deps.keys.getKey(platformId, kid);
    // The same key registered again (a retry) is the same record; a changed window is a different request.
    const sameWindow =
      existing &&
      (request.validFrom === undefined || existing.validFrom === key.validFrom) &&
      existing.validUntil === key.validUntil;
    if (existing && sameWindow) {
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
    return revoked;
  }

  private admin(caller: Caller, what: string): Actor {
    const actor = actorFor(caller, ['regulator-admin']);
    if (!actor) throw new Forbidden(`Only regulator-admin users may ${what}.`);
    return actor;
  }
}
