import type { JWK } from 'jose';
import type { Actor } from './caller';
import { type DirectoryEvent, REGULATOR_KEYS_CHAIN, sealDirectoryEvent } from './directory-chain';
import { EARLIEST_INSTANT } from './notice';
import { GENESIS_HASH } from './notice-event';
import { activeKid, type RegulatorKeyLog, receiptJwks, regulatorKeySet } from './regulator-key-log';

/** Who appends an activation: the portal itself, when a process first signs with a key. */
export const KEY_ACTIVATION_ACTOR: Actor = {
  subject: 'system:regulator-keys',
  name: 'Notice portal signing',
  role: 'system',
};

/** A signer holding one of the regulator's keys (File or KMS, lambdas/adapters/receipt-signers.ts). */
export interface KeySigner {
  sign(claims: object): Promise<string>;
  /** Its public key, with `kid` (RFC 7638 thumbprint), `alg` and `use`. */
  publicJwks(): Promise<{ keys: JWK[] }>;
}

/** A regulator signer that makes sure its key is the one the key log names before it first signs. */
export interface ActivatedSigner extends KeySigner {
  /**
   * Resolves once the head of the key log names this signer's key (appending an activation if not). Callers that
   * put a time in what they sign (givenAt, issuedAt) read the clock after this, so the time lies in the window.
   */
  ready(): Promise<void>;
}

export interface RegulatorKeyServiceDeps {
  log: RegulatorKeyLog;
  clock: () => Date;
}

/** How many times a process re-reads the log after losing the race for the next seq before it gives up. */
const MAX_ATTEMPTS = 5;

/**
 * The regulator's key log as a use case: activate a key (once per process, before it first signs), and publish
 * the keys with their validity windows.
 */
/** When the regulator's first key is in force from: the earliest instant the portal records (notice.ts). */
export const FIRST_KEY_IN_FORCE_FROM = new Date(EARLIEST_INSTANT).toISOString();

export class RegulatorKeyService {
  constructor(private readonly deps: RegulatorKeyServiceDeps) {}

  /**
   * Makes the head of the chain name `jwk.kid`: nothing to do when it already does; otherwise appends a
   * `regulator-key-activated` event with a conditional put. The loser of a race re-reads: if the winner activated
   * the same key it is done, else it appends after the winner.
   */
  async ensureActive(jwk: JWK): Promise<DirectoryEvent | undefined> {
    const kid = jwk.kid;
    if (!kid) throw new Error('The signing key has no kid');
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const log = await this.deps.log.readLog();
      if (activeKid(log) === kid) return undefined;
      const head = log.at(-1);
      const { d: _private, ...publicJwk } = jwk as JWK & { d?: string };
      // The first key in the log is the key the portal signed with before the log existed (receipts filed before
      // an upgrade): no key preceded it, so it is in force from the start of the record. Every later key's window
      // opens when it is activated, and closes the one before.
      const activatedAt = head ? this.deps.clock().toISOString() : FIRST_KEY_IN_FORCE_FROM;
      const event = sealDirectoryEvent(REGULATOR_KEYS_CHAIN, (head?.seq ?? 0) + 1, head?.hash ?? GENESIS_HASH, {
        kind: 'regulator-key-activated',
        at: this.deps.clock().toISOString(),
        actor: KEY_ACTIVATION_ACTOR,
        data: { kid, jwk: { ...publicJwk, kid, alg: 'ES256', use: 'sig' }, activatedAt },
      });
      if (await this.deps.log.append(event)) return event;
    }
    throw new Error(
      `Could not activate regulator key ${kid}: the key log kept changing under ${MAX_ATTEMPTS} attempts`,
    );
  }

  /** `GET /.well-known/regulator-keys.json`. */
  async published() {
    return regulatorKeySet(await this.deps.log.readLog());
  }

  /** `GET /.well-known/receipt-keys.json`: the same keys, one per kid. */
  async receiptKeys() {
    return receiptJwks(await this.deps.log.readLog());
  }

  /**
   * `signer` wrapped so that its key is activated before it first signs in this process. Memoized per wrapper (a
   * process builds one per key), retried after a failure so that one lost table write does not disable signing.
   */
  activated(signer: KeySigner): ActivatedSigner {
    let activation: Promise<void> | undefined;
    const ready = () => {
      activation ??= (async () => {
        const [jwk] = (await signer.publicJwks()).keys;
        if (!jwk) throw new Error('The signer has no public key');
        await this.ensureActive(jwk);
      })().catch((error) => {
        activation = undefined;
        throw error;
      });
      return activation;
    };
    return {
      ready,
      publicJwks: () => signer.publicJwks(),
      sign: async (claims) => {
        await ready();
        return signer.sign(claims);
      },
    };
  }
}
