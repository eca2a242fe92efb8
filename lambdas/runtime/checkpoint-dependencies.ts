import type { CheckpointSigner } from '../domain/checkpoint-runner';
import { CheckpointRunner } from '../domain/checkpoint-runner';
import { now } from './clock';
import { once } from './once';
import { checkpointSigner as regulatorCheckpointSigner } from './regulator-key-dependencies';
import { checkpointStore } from './stores';

/**
 * What only the checkpoint run needs: the regulator's key (the one that signs receipts and notices), signing with
 * the checkpoint `typ` so a checkpoint can never pass for a receipt. Kept apart so the API functions' bundles and
 * permissions carry no signer they do not use.
 */
const checkpointSigner = (): CheckpointSigner => regulatorCheckpointSigner();

export const checkpointRunner = once(
  (): CheckpointRunner => new CheckpointRunner({ store: checkpointStore(), signer: checkpointSigner(), clock: now }),
);
