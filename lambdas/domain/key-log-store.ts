import type { DirectoryEvent } from './directory-chain';
import type { SigningKey } from './signing-keys';

/**
 * A platform's key log: the hash chain `platform-keys:<p>` of its signing keys' registrations and revocations,
 * checkpointed like a notice's events (lambdas/domain/key-log.ts). The key records stay the working copy; each
 * change to one is written with a pending mark that stays until the log records the change, and projection repair
 * finishes any change a crash left unlogged.
 */
export interface KeyLogStore {
  /** The platform's whole key log, in order (a few events a year per platform). */
  platformKeyLog(platformId: string): Promise<DirectoryEvent[]>;
  /** Appends the event if its sequence number is free; false when another writer took it. */
  appendKeyLog(platformId: string, event: DirectoryEvent): Promise<boolean>;
  /**
   * Clears the key's pending mark, if the stored record is still in the state logged (a revocation written since
   * keeps its mark until it is logged in turn).
   */
  keyLogDone(logged: SigningKey): Promise<void>;
  /** Keys whose change was marked before `before` and is still not logged, oldest first. */
  pendingKeyLogs(before: string, limit: number): Promise<{ platformId: string; kid: string }[]>;
}
