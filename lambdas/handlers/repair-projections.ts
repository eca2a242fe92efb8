import { instrumented } from '../observability/instrumented-handler';
import { logger } from '../observability/logger';
import { keyLogBackfill } from '../runtime/key-log-backfill-dependencies';
import { signingKeyService } from '../runtime/signing-key-dependencies';
import { projectionRepair } from '../runtime/stores';

const store = projectionRepair();
const keys = signingKeyService();
const backfill = keyLogBackfill();

/** Work younger than this is left to the request that is writing it (on AWS, where runs are scheduled). */
const DEFAULT_MINIMUM_AGE_MS = 60_000;

/**
 * Scheduled every few minutes: finishes any projection a crash interrupted (see ProjectionRepair), logs any
 * signing-key change whose key-log event a crash left unwritten (SigningKeyService.repairKeyLogs), and, until
 * its pass is done, logs the keys registered before the platform key log existed (KeyLogBackfill; one GetItem a
 * run once done). Work younger than a minute is left to the request that is writing it, unless the event says
 * otherwise: the local portal runs it once at start with `minimumAgeMs: 0`, when no request of its own can be
 * writing, so what a killed process left is finished at once rather than minutes later. EventBridge's scheduled
 * event carries no such field, so on AWS the default holds.
 */
export const handler = instrumented(
  async (event?: {
    minimumAgeMs?: number;
  }): Promise<{
    examined: number;
    repaired: string[];
    backfilled: string[];
    keyLogs: string[];
    keyLogBackfill: { appended: string[]; platforms: number; done: boolean; stalledAt?: string };
  }> => {
    const olderThanMs = typeof event?.minimumAgeMs === 'number' ? event.minimumAgeMs : DEFAULT_MINIMUM_AGE_MS;
    const result = await store.repair({ olderThanMs, limit: 100 });
    const keyLogs = await keys.repairKeyLogs({ olderThanMs, limit: 100 });
    // 25 platforms a run: each is a few reads and writes, well inside the function's minute.
    const backfilled = await backfill.run({ limit: 25 });
    const keyLogBackfill = {
      appended: backfilled.appended,
      platforms: backfilled.platforms.length,
      done: backfilled.done,
      ...(backfilled.stalledAt ? { stalledAt: backfilled.stalledAt } : {}),
    };
    logger.info('projection repair run', {
      examined: result.examined,
      repaired: result.repaired,
      backfilled: result.backfilled.length,
      keyLogs,
      keyLogBackfill,
    });
    return { ...result, keyLogs, keyLogBackfill };
  },
);
