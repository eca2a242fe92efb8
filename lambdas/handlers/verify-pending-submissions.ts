import { pendingVerificationFinished } from '../observability/business-metrics';
import { instrumented } from '../observability/instrumented-handler';
import { logger } from '../observability/logger';
import { now } from '../runtime/clock';
import { submissionService } from '../runtime/submission-dependencies';

const submissions = submissionService();

/** Work younger than this is left to the finalize or S3 event that is doing it (on AWS, where runs are scheduled). */
const DEFAULT_MINIMUM_AGE_MS = 60_000;
/**
 * A file stored less than this long ago may still be streaming through the upload hasher (whose timeout this is):
 * left to it on AWS, so a large file is not read twice. Filed-at does not depend on when the hash is recorded.
 */
const UPLOAD_HASHER_TIMEOUT_MS = 15 * 60_000;
/** Submissions looked at per run; the next run takes the rest. */
const BATCH = 25;
/** No new submission is started with less than this left: one 5 GiB file takes a few minutes to stream. */
const RESERVE_MS = 5 * 60_000;

/**
 * The pending-verification job: finds, through the sparse pending-verification index (never a Scan), every
 * submission the portal still owes hashing or filing work — an S3 event lost or failed, an S3 implementation that
 * sends none, a process killed mid-verification — hashes the missing files from the stored bytes and files the
 * waiting finalize, with its original filed-at. Scheduled on AWS (EventBridge); locally the portal runs it at
 * start, after every finalize that answers 202, and on the repair interval (with `minimumAgeMs: 0`).
 */
export const handler = instrumented(
  async (event?: { minimumAgeMs?: number }, context?: { getRemainingTimeInMillis?: () => number }) => {
    // Locally (`minimumAgeMs` given) every hasher runs in the same process, which already keeps them apart.
    const local = typeof event?.minimumAgeMs === 'number';
    const report = await submissions.verifyPending({
      olderThanMs: local ? (event?.minimumAgeMs as number) : DEFAULT_MINIMUM_AGE_MS,
      leaveToS3EventsMs: local ? 0 : UPLOAD_HASHER_TIMEOUT_MS,
      limit: BATCH,
      continueWhile: () => (context?.getRemainingTimeInMillis?.() ?? Number.POSITIVE_INFINITY) > RESERVE_MS,
      log: (progress) => {
        const { step, ...fields } = progress;
        if (step === 'picked-up') logger.info('pending submission picked up', fields);
        else if (step === 'filed') logger.info('pending submission filed', fields);
        else if (step === 'failed') logger.error('pending submission not verified; the next run retries', fields);
        else if (step === 'not-filed') logger.warn('pending submission not filed', fields);
        else logger.info(`pending submission ${step}`, fields);
      },
    });
    if (report.examined > 0) logger.info('pending verification run', { ...report });
    pendingVerificationFinished(report, now());
    return report;
  },
);
