import type { CheckpointRecord, InclusionProof, PendingCheckpoint } from '../../lambdas/domain/checkpoint';
import type { CheckpointReader } from '../../lambdas/domain/checkpoint-reader';
import type { CheckpointStore, PendingMarker } from '../../lambdas/domain/checkpoint-store';

/** The checkpoint store in memory, with the same conditional semantics as the DynamoDB one. */
export class InMemoryCheckpointStore implements CheckpointStore, CheckpointReader {
  readonly markers = new Map<string, PendingMarker>();
  readonly checkpoints = new Map<number, PendingCheckpoint>();
  readonly proofsByChain = new Map<string, Map<number, InclusionProof>>();
  /** Every write, in order: what a run did (or did not) change. */
  readonly writes: string[] = [];

  /** An event appended to a chain, with its marker (as the event Put writes it). */
  mark(chain: string, seq: number, head: string, at = '2026-01-01T00:00:00.000Z'): void {
    const marker = `${at}#${chain}#${String(seq).padStart(10, '0')}`;
    this.markers.set(marker, { chain, seq, head, marker });
  }

  async pendingMarkers(): Promise<PendingMarker[]> {
    return [...this.markers.values()].sort((a, b) => (a.marker < b.marker ? -1 : 1)).map((m) => ({ ...m }));
  }

  async newestCheckpoint(): Promise<PendingCheckpoint | undefined> {
    const newest = Math.max(0, ...this.checkpoints.keys());
    const found = this.checkpoints.get(newest);
    return found && structuredClone(found);
  }

  async coveredSeq(chain: string): Promise<number> {
    return Math.max(0, ...[...(this.proofsByChain.get(chain)?.values() ?? [])].map((p) => p.seq));
  }

  async createCheckpoint(checkpoint: PendingCheckpoint): Promise<boolean> {
    if (this.checkpoints.has(checkpoint.seq)) return false;
    this.checkpoints.set(checkpoint.seq, structuredClone(checkpoint));
    this.writes.push(`checkpoint ${checkpoint.seq}`);
    return true;
  }

  async putProof(proof: InclusionProof): Promise<void> {
    const proofs = this.proofsByChain.get(proof.chain) ?? new Map<number, InclusionProof>();
    this.proofsByChain.set(proof.chain, proofs);
    if (proofs.has(proof.checkpointSeq)) return;
    proofs.set(proof.checkpointSeq, structuredClone(proof));
    this.writes.push(`proof ${proof.checkpointSeq} ${proof.chain}`);
  }

  async completeCheckpoint(seq: number): Promise<void> {
    const checkpoint = this.checkpoints.get(seq);
    if (checkpoint?.status !== 'proving') return;
    checkpoint.status = 'complete';
    delete checkpoint.leaves;
    this.writes.push(`complete ${seq}`);
  }

  async clearMarker(marker: PendingMarker): Promise<boolean> {
    if (!this.markers.delete(marker.marker)) return false;
    this.writes.push(`clear ${marker.chain} ${marker.seq}`);
    return true;
  }

  async latest(): Promise<CheckpointRecord | undefined> {
    const complete = [...this.checkpoints.values()].filter((c) => c.status === 'complete');
    const newest = complete.sort((a, b) => b.seq - a.seq)[0];
    return newest && record(newest);
  }

  async get(seq: number): Promise<CheckpointRecord | undefined> {
    const found = this.checkpoints.get(seq);
    return found?.status === 'complete' ? record(found) : undefined;
  }

  async range(fromSeq: number, toSeq: number): Promise<CheckpointRecord[]> {
    return [...this.checkpoints.values()]
      .filter((c) => c.status === 'complete' && c.seq >= fromSeq && c.seq <= toSeq)
      .sort((a, b) => a.seq - b.seq)
      .map(record);
  }

  async proofs(chain: string): Promise<InclusionProof[]> {
    return [...(this.proofsByChain.get(chain)?.values() ?? [])].sort((a, b) => a.checkpointSeq - b.checkpointSeq);
  }
}

function record(c: PendingCheckpoint): CheckpointRecord {
  return { seq: c.seq, hash: c.hash, payload: c.payload, jws: c.jws };
}
