import type { CheckpointRunReport } from '../domain/checkpoint-runner';
import { instrumented } from '../observability/instrumented-handler';
import { logger } from '../observability/logger';
import { checkpointRunner } from '../runtime/checkpoint-dependencies';

const checkpoints = checkpointRunner();

/**
 * Scheduled every few minutes (EventBridge on AWS, an interval in the local portal): signs a checkpoint of every
 * chain changed since the last one and writes each one's inclusion proof. Safe to run concurrently and to retry;
 * see CheckpointRunner.
 */
export const handler = instrumented(async (): Promise<CheckpointRunReport> => {
  const report = await checkpoints.run();
  logger.info('checkpoint run', {
    resumed: report.resumed?.seq,
    created: report.created.map((c) => c.seq),
    cleared: report.cleared,
    lost: report.lost,
  });
  return report;
});
