import type { CheckpointRecord, InclusionProof } from './checkpoint';
import type { DirectoryEvent } from './directory-chain';

export type { CheckpointRecord, InclusionProof };

/**
 * What an evidence bundle takes from the signing and checkpoint parts of the portal (issue 12 parts A and B), as
 * narrow ports: the bundle includes an entry when its port yields data and leaves it out otherwise, so a bundle
 * of a notice no checkpoint covers yet is complete for what exists. Shapes are those of docs/evidence.md.
 *
 * The signed notice itself needs no port: it is the `issued` event's `data.signedNotice` (evidence-bundle-layout.ts).
 */

/** `/.well-known/regulator-keys.json`: the regulator's public keys with their validity, and their activation log. */
export interface RegulatorKeys {
  keys: Record<string, unknown>[];
  log: DirectoryEvent[];
}

export interface EvidenceSources {
  /** Exactly what `GET /.well-known/regulator-keys.json` serves. */
  regulatorKeys(): Promise<RegulatorKeys>;
  /** The platform's key chain (`platform-keys:<p>`), seq order; empty until that chain exists. */
  platformKeyLog(platformId: string): Promise<DirectoryEvent[]>;
  /**
   * Checkpoint records from the first that covers any of `chains` to the latest, seq order; empty while there are
   * none.
   */
  checkpoints(chains: readonly string[]): Promise<CheckpointRecord[]>;
  /** Every inclusion proof recorded for `chains`; empty while there are none. */
  proofs(chains: readonly string[]): Promise<InclusionProof[]>;
}
