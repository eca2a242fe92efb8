import { CheckpointService } from '../domain/checkpoint-service';
import { once } from './once';
import { checkpointReader, noticeStore } from './stores';

/** The checkpoint endpoints: the table alone (no key), for the public reads and a notice's proofs. */
export const checkpointService = once(
  (): CheckpointService => new CheckpointService({ checkpoints: checkpointReader(), notices: noticeStore() }),
);
