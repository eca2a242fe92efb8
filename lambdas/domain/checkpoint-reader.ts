import type { CheckpointRecord, CheckpointRef, InclusionProof } from './checkpoint';

/**
 * Reading published checkpoints and proofs: the public endpoints, receipts and signed notices (which name the
 * latest), and the evidence bundle. Only complete checkpoints are published (every proof written), and never with
 * their leaves.
 */
export interface CheckpointReader {
  /** The latest complete checkpoint; undefined before the first. */
  latest(): Promise<CheckpointRecord | undefined>;
  /** Checkpoint `seq` once complete. */
  get(seq: number): Promise<CheckpointRecord | undefined>;
  /** The complete checkpoints from `fromSeq` to `toSeq` inclusive, oldest first. */
  range(fromSeq: number, toSeq: number): Promise<CheckpointRecord[]>;
  /** Every inclusion proof of `chain`, oldest checkpoint first. */
  proofs(chain: string): Promise<InclusionProof[]>;
}

/** `{seq, hash}` of the latest complete checkpoint, as receipts and signed notices name it. */
export async function latestCheckpointRef(reader: CheckpointReader): Promise<CheckpointRef | undefined> {
  const latest = await reader.latest();
  return latest && { seq: latest.seq, hash: latest.hash };
}
