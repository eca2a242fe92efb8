import type { CheckpointReader } from './checkpoint-reader';
import type { DirectoryEvent } from './directory-chain';
import type { CheckpointRecord, EvidenceSources, InclusionProof, RegulatorKeys } from './evidence-sources';
import type { KeyLogStore } from './key-log-store';

/**
 * The bundle's evidence as the portal publishes it: the regulator's keys and their log exactly as
 * `/.well-known/regulator-keys.json` serves them, the platform's key chain, and the checkpoints and proofs of the
 * public checkpoint endpoints — so a bundle holds nothing a verifier could not also have fetched itself.
 */
export class PortalEvidenceSources implements EvidenceSources {
  constructor(
    private readonly deps: {
      regulatorKeys: () => Promise<RegulatorKeys>;
      keyLogs: KeyLogStore;
      checkpoints: CheckpointReader;
    },
  ) {}

  regulatorKeys(): Promise<RegulatorKeys> {
    return this.deps.regulatorKeys();
  }

  platformKeyLog(platformId: string): Promise<DirectoryEvent[]> {
    return this.deps.keyLogs.platformKeyLog(platformId);
  }

  /** From the oldest checkpoint that covers one of `chains` to the latest: what links each proof to the newest. */
  async checkpoints(chains: readonly string[]): Promise<CheckpointRecord[]> {
    const proofs = await this.proofs(chains);
    if (proofs.length === 0) return [];
    const latest = await this.deps.checkpoints.latest();
    if (!latest) return [];
    const first = Math.min(...proofs.map((p) => p.checkpointSeq));
    return this.deps.checkpoints.range(first, latest.seq);
  }

  async proofs(chains: readonly string[]): Promise<InclusionProof[]> {
    const all = await Promise.all(chains.map((chain) => this.deps.checkpoints.proofs(chain)));
    return all.flat();
  }
}
