import { INDEXES } from './notice-table-design';

/**
 * The checkpoint-pending marker every chain event item carries (notice events, platform and regulator key logs):
 * the sparse keys of the `checkpoint-pending` index, written in the same Put as the event. dynalite has no
 * transactions, so the event itself is the marker: it can never exist unmarked, and the checkpoint run that
 * covers it removes the marker afterwards. Sorted by time, then chain and (zero-padded) sequence.
 */
export const CHECKPOINT_QUEUE = 'CP';

export function checkpointMarker(chain: string, seq: number, at: string): Record<string, string> {
  return {
    [INDEXES.checkpointPending.partitionKey]: CHECKPOINT_QUEUE,
    [INDEXES.checkpointPending.sortKey]: `${at}#${chain}#${String(seq).padStart(10, '0')}`,
  };
}
