import {
  type CheckpointPayload,
  type CheckpointRef,
  checkpointHash,
  checkpointPayload,
  MAX_LEAVES_PER_CHECKPOINT,
  type PendingCheckpoint,
  proofsFor,
  sortLeaves,
} from './checkpoint';
import type { CheckpointStore, PendingMarker } from './checkpoint-store';
import type { CheckpointLeaf } from './directory-chain';

/** Signs a checkpoint payload as a compact JWS with the regulator's key under the checkpoint `typ`. */
export interface CheckpointSigner {
  sign(payload: CheckpointPayload): Promise<string>;
  /** Puts the signing key in the published key log, if it is not there yet. */
  ready?(): Promise<void>;
}

export interface CheckpointRunnerDeps {
  store: CheckpointStore;
  signer: CheckpointSigner;
  clock: () => Date;
  /** @default MAX_LEAVES_PER_CHECKPOINT (1,000) */
  maxLeaves?: number;
  /** Bounds one run's time; what is left waits for the next run. @default 20 */
  maxCheckpoints?: number;
}

export interface CheckpointRunReport {
  /** A `proving` checkpoint an earlier run left, finished by this one. */
  resumed?: CheckpointRef;
  created: CheckpointRef[];
  /** Markers removed because a checkpoint covers their event. */
  cleared: number;
  /** Another run took the next sequence number first; this one stopped, leaving its markers to that one. */
  lost: boolean;
}

/**
 * Makes signed checkpoints of every chain changed since the last one (docs/checkpoints.md). One run:
 *
 * 1. finishes the newest checkpoint if an earlier run left it `proving` (its proofs, complete, its markers);
 * 2. reads the checkpoint-pending markers, drops (and clears) those an earlier checkpoint already covers, and
 *    groups the rest by chain: one leaf per chain, its highest pending sequence number and that event's hash;
 * 3. takes up to `maxLeaves` chains (the oldest changes first), sorts them by chain, signs the next checkpoint
 *    and stores it with a conditional put (status `proving`, with its leaves) — the commit point: of two
 *    concurrent runs exactly one stores each sequence number, and the other stops having changed nothing;
 * 4. writes each chain's inclusion proof, marks the checkpoint complete, and removes the markers of the events
 *    it covers (seq ≤ the leaf's), each conditional on the marker being that one;
 * 5. repeats from 2 if more chains were pending than one checkpoint holds (up to `maxCheckpoints` a run).
 *
 * Every step after 3 is idempotent and a crash anywhere is finished by step 1 of the next run. A run with nothing
 * pending reads the newest checkpoint and one empty index page, and writes nothing.
 */
export class CheckpointRunner {
  private readonly maxLeaves: number;
  private readonly maxCheckpoints: number;

  constructor(private readonly deps: CheckpointRunnerDeps) {
    this.maxLeaves = deps.maxLeaves ?? MAX_LEAVES_PER_CHECKPOINT;
    this.maxCheckpoints = deps.maxCheckpoints ?? 20;
  }

  async run(): Promise<CheckpointRunReport> {
    const { store } = this.deps;
    // Every run, even one with nothing to sign: after a deploy (or a new key) the key is published within one
    // schedule period, not only once something is next signed — the key routes themselves hold no signing key.
    await this.deps.signer.ready?.();
    const report: CheckpointRunReport = { created: [], cleared: 0, lost: false };
    let newest = await store.newestCheckpoint();
    let markers: PendingMarker[] | undefined;
    if (newest?.status === 'proving') {
      markers = await store.pendingMarkers();
      report.cleared += await this.finish(newest, markers);
      report.resumed = { seq: newest.seq, hash: newest.hash };
      markers = undefined;
    }
    for (let made = 0; made < this.maxCheckpoints; made++) {
      markers = await this.uncovered(markers ?? (await store.pendingMarkers()), report);
      const leaves = this.nextLeaves(markers);
      if (leaves.length === 0) break;
      const checkpoint = await this.sign(leaves, newest);
      if (!(await store.createCheckpoint(checkpoint))) {
        report.lost = true;
        break;
      }
      report.created.push({ seq: checkpoint.seq, hash: checkpoint.hash });
      report.cleared += await this.finish(checkpoint, markers);
      newest = checkpoint;
      // Only a backlog (more chains than one checkpoint holds) makes another now; later events wait for the next run.
      if (this.chainCount(markers) <= this.maxLeaves) break;
      markers = undefined;
    }
    return report;
  }

  /** Drops the markers whose event an earlier checkpoint proves (a crash after it completed), clearing them. */
  private async uncovered(markers: PendingMarker[], report: CheckpointRunReport): Promise<PendingMarker[]> {
    const covered = new Map<string, number>();
    for (const chain of new Set(markers.map((m) => m.chain))) {
      covered.set(chain, await this.deps.store.coveredSeq(chain));
    }
    const left: PendingMarker[] = [];
    for (const marker of markers) {
      if (marker.seq <= (covered.get(marker.chain) ?? 0)) {
        if (await this.deps.store.clearMarker(marker)) report.cleared++;
      } else {
        left.push(marker);
      }
    }
    return left;
  }

  private chainCount(markers: readonly PendingMarker[]): number {
    return new Set(markers.map((m) => m.chain)).size;
  }

  /** One leaf per chain (its highest pending event), for up to `maxLeaves` chains, the oldest changes first. */
  private nextLeaves(markers: readonly PendingMarker[]): CheckpointLeaf[] {
    const heads = new Map<string, CheckpointLeaf>();
    for (const marker of markers) {
      const head = heads.get(marker.chain);
      if (head && head.seq >= marker.seq) continue;
      // Map order is first insertion, i.e. the chain's oldest marker: re-setting a key keeps its place.
      heads.set(marker.chain, { chain: marker.chain, seq: marker.seq, head: marker.head });
    }
    return sortLeaves([...heads.values()].slice(0, this.maxLeaves));
  }

  private async sign(leaves: CheckpointLeaf[], previous: PendingCheckpoint | undefined): Promise<PendingCheckpoint> {
    const payload = checkpointPayload({
      seq: (previous?.seq ?? 0) + 1,
      previous,
      issuedAt: this.deps.clock().toISOString(),
      leaves,
    });
    const jws = await this.deps.signer.sign(payload);
    return { seq: payload.seq, hash: checkpointHash(payload), payload, jws, status: 'proving', leaves };
  }

  /** Step 4 for a stored checkpoint; returns how many markers it cleared. */
  private async finish(checkpoint: PendingCheckpoint, markers: readonly PendingMarker[]): Promise<number> {
    const { store } = this.deps;
    const leaves = sortLeaves(checkpoint.leaves ?? []);
    for (const proof of proofsFor(checkpoint.seq, leaves)) await store.putProof(proof);
    await store.completeCheckpoint(checkpoint.seq);
    const covered = new Map(leaves.map((leaf) => [leaf.chain, leaf.seq]));
    let cleared = 0;
    for (const marker of markers) {
      const upTo = covered.get(marker.chain);
      if (upTo !== undefined && marker.seq <= upTo) {
        if (await store.clearMarker(marker)) cleared++;
      }
    }
    return cleared;
  }
}
