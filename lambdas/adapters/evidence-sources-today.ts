import type { DirectoryEvent } from '../domain/directory-chain';
import type { CheckpointRecord, EvidenceSources, InclusionProof, RegulatorKeys } from '../domain/evidence-sources';

/**
 * The evidence sources that exist before the regulator key log (issue 12 part A) and checkpoints (part B): the
 * regulator's keys are the receipt signer's public JWKS with an empty log; there is no platform key chain, no
 * checkpoint and no proof yet, so the bundle leaves those entries out. Replaced by the real sources when they land.
 */
export class CurrentEvidenceSources implements EvidenceSources {
  constructor(private readonly receiptKeys: () => Promise<{ keys: object[] }>) {}

  async regulatorKeys(): Promise<RegulatorKeys> {
    const { keys } = await this.receiptKeys();
    return { keys: keys as Record<string, unknown>[], log: [] };
  }

  async platformKeyLog(_platformId: string): Promise<DirectoryEvent[]> {
    return [];
  }

  async checkpoints(_chains: readonly string[]): Promise<CheckpointRecord[]> {
    return [];
  }

  async proofs(_chains: readonly string[]): Promise<InclusionProof[]> {
    return [];
  }
}
