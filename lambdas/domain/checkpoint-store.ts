import type { InclusionProof, PendingCheckpoint } from './checkpoint';

/** A chain event not yet covered by a checkpoint, as its checkpoint-pending marker shows it. */
export interface PendingMarker {
  chain: string;
  seq: number;
  /** The event's hash: the chain's head if this is its newest event. */
  head: string;
  /** The marker's own key, so that clearing it never clears a different marker. Opaque to the domain. */
  marker: string;
}

/**
 * What the checkpoint run needs from storage (lambdas/domain/checkpoint-runner.ts). Every write is conditional or
 * idempotent, so any number of runs, retries and crashes leave one checkpoint per sequence number.
 */
export interface CheckpointStore {
  /** Every checkpoint-pending marker, oldest first: the run's cost follows the events since the last checkpoint. */
  pendingMarkers(): Promise<PendingMarker[]>;
  /** The newest checkpoint whatever its status, with its leaves while it is `proving`. */
  newestCheckpoint(): Promise<PendingCheckpoint | undefined>;
  /** The highest sequence number of `chain` that an earlier checkpoint proves (0 when none does). */
  coveredSeq(chain: string): Promise<number>;
  /** Stores a new checkpoint (status `proving`, with its leaves); false when that sequence number is taken. */
  createCheckpoint(checkpoint: PendingCheckpoint): Promise<boolean>;
  /** Idempotent: a proof is the same whoever writes it. */
  putProof(proof: InclusionProof): Promise<void>;
  /** `proving` → `complete`, dropping the leaves; idempotent. */
  completeCheckpoint(seq: number): Promise<void>;
  /** Removes the marker if it is still this one: true when it did, false when it was gone already. */
  clearMarker(marker: PendingMarker): Promise<boolean>;
}
