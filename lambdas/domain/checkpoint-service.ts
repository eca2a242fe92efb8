import type { Caller } from './caller';
import type { CheckpointRecord, InclusionProof } from './checkpoint';
import type { CheckpointReader } from './checkpoint-reader';
import { noticeChain } from './directory-chain';
import { NotFound } from './errors';
import { assertVisible } from './notice-lifecycle';
import type { NoticeStore } from './notice-store';

export interface CheckpointServiceDeps {
  checkpoints: CheckpointReader;
  notices: Pick<NoticeStore, 'load'>;
}

/**
 * The published side of checkpoints. A checkpoint is public — it reveals only a Merkle root, the tree's size and
 * when it was signed, never which chains changed — so anyone may fetch it to hold independently of the portal.
 * A notice's proofs name the notice and its heads, so they follow the notice's own visibility.
 */
export class CheckpointService {
  constructor(private readonly deps: CheckpointServiceDeps) {}

  async latest(): Promise<CheckpointRecord> {
    const latest = await this.deps.checkpoints.latest();
    if (!latest) throw new NotFound('No checkpoint has been made yet.');
    return latest;
  }

  async get(seq: number): Promise<CheckpointRecord> {
    const checkpoint = await this.deps.checkpoints.get(seq);
    if (!checkpoint) throw new NotFound(`Checkpoint ${seq} was not found.`);
    return checkpoint;
  }

  /** Every inclusion proof of the notice's chain, oldest first; the same 404 as the notice for one not seen. */
  async noticeProofs(caller: Caller, noticeId: string): Promise<{ proofs: InclusionProof[] }> {
    assertVisible(caller, await this.deps.notices.load(noticeId), noticeId);
    return { proofs: await this.deps.checkpoints.proofs(noticeChain(noticeId)) };
  }
}
