/**
 * The sparse "not yet in a checkpoint" marker every chain event item carries (docs/evidence.md): the
 * `checkpoint-pending` index holds exactly the items with these two attributes, sorted by time, so a checkpoint
 * run reads only what changed since the last one. Written in the same Put as the event (dynalite has no
 * transactions, so the event item itself is the marker); the runner removes them once the event is covered.
 */
export const CHECKPOINT_QUEUE = 'CP';

export interface CheckpointMarker {
  checkpointQueue: typeof CHECKPOINT_QUEUE;
  /** `<at>#<chain>#<seq padded to 10 digits>`: time order first, then one chain's events in sequence. */
  checkpointKey: string;
}

export function checkpointMarker(chain: string, seq: number, at: string): CheckpointMarker {
  return { checkpointQueue: CHECKPOINT_QUEUE, checkpointKey: `${at}#${chain}#${String(seq).padStart(10, '0')}` };
}
