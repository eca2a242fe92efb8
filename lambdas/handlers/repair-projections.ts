import { logger } from '../http/logger';
import { signingKeyService } from '../runtime/signing-key-dependencies';
import { projectionRepair } from '../runtime/stores';

const store = projectionRepair();
const keys = signingKeyService();

/**
 * Scheduled every few minutes: finishes any projection a crash interrupted (see ProjectionRepair), and logs any
 * signing-key change whose key-log event a crash left unwritten (SigningKeyService.repairKeyLogs).
 * Work younger than a minute is left to the request that is writing it.
 */
export const handler = async (): Promise<{
  examined: number;
  repaired: string[];
  backfilled: string[];
  keyLogs: string[];
}> => {
  const result = await store.repair({ olderThanMs: 60_000, limit: 100 });
  const keyLogs = await keys.repairKeyLogs({ olderThanMs: 60_000, limit: 100 });
  logger.info('projection repair run', {
    examined: result.examined,
    repaired: result.repaired,
    backfilled: result.backfilled.length,
    keyLogs,
  });
  return { ...result, keyLogs };
};
