import { instrumented } from '../observability/instrumented-handler';
import { logger } from '../observability/logger';
import { evidenceBundleService } from '../runtime/evidence-bundle-dependencies';

const bundles = evidenceBundleService();

/** Bundles restarted per sweep; the next sweep takes the rest. */
const BATCH = 10;
/** No new build is started with less than this left of the invocation: a 1 GiB bundle takes a few minutes. */
const RESERVE_MS = 5 * 60_000;

const log = (message: string, fields: Record<string, unknown>) =>
  message.includes('failed') ? logger.error(message, fields) : logger.info(message, fields);

/**
 * The bundle builder. Invoked asynchronously with `{ noticeId, bundleId }` by the request (on AWS; in the local
 * portal's process there), it builds that bundle. Invoked with anything else — the schedule's event on AWS, the
 * local portal's repair interval — it sweeps: every bundle still building whose lease ended (its run was killed,
 * timed out or failed) is built again.
 */
export const handler = instrumented(
  async (event?: { noticeId?: unknown; bundleId?: unknown }, context?: { getRemainingTimeInMillis?: () => number }) => {
    if (typeof event?.noticeId === 'string' && typeof event?.bundleId === 'string') {
      return bundles.build({ noticeId: event.noticeId, bundleId: event.bundleId }, log);
    }
    const report = await bundles.sweep({
      limit: BATCH,
      continueWhile: () => (context?.getRemainingTimeInMillis?.() ?? Number.POSITIVE_INFINITY) > RESERVE_MS,
      log,
    });
    if (report.examined > 0) logger.info('evidence bundle sweep', { ...report });
    return report;
  },
);
