import { logger } from '../http/logger';
import { projectionRepair } from '../runtime/stores';

const store = projectionRepair();

/**
 * Scheduled every few minutes: finishes any projection a crash interrupted (see ProjectionRepair).
 * Events younger than a minute are left to the request that wrote them.
 */
export const handler = async (): Promise<{ examined: number; repaired: string[]; backfilled: string[] }> => {
  const result = await store.repair({ olderThanMs: 60_000, limit: 100 });
  logger.info('projection repair run', {
    examined: result.examined,
    repaired: result.repaired,
    backfilled: result.backfilled.length,
  });
  return result;
};
