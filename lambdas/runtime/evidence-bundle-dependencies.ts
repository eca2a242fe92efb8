import { S3Client } from '@aws-sdk/client-s3';
import { InProcessBundleBuilds } from '../adapters/in-process-bundle-builds';
import { publicHolidayCalendar } from '../adapters/public-holidays';
import { S3EvidenceBundleArchive } from '../adapters/s3-evidence-bundle-archive';
import { sdkClientConfig } from '../config/sdk-clients';
import { storageConfig } from '../config/storage';
import type { BundleBuildTrigger } from '../domain/evidence-bundle';
import { EvidenceBundleService } from '../domain/evidence-bundle-service';
import type { EvidenceSources } from '../domain/evidence-sources';
import { newBundleId } from '../domain/ids';
import { PortalEvidenceSources } from '../domain/portal-evidence-sources';
import { logger } from '../observability/logger';
import { traced } from '../observability/tracer';
import { now } from './clock';
import { once } from './once';
import { regulatorKeyService } from './regulator-key-dependencies';
import { checkpointReader, evidenceBundleStore, keyLogStore, noticeStore, submissionStore } from './stores';

const local = () => Boolean(process.env.AWS_ENDPOINT_URL_S3);
const s3 = once(() => traced(new S3Client({ ...sdkClientConfig('s3'), forcePathStyle: local() })));

/** Where a bundle's keys, key logs, checkpoints and proofs come from: what the portal publishes. */
export const evidenceSources = once(
  (): EvidenceSources =>
    new PortalEvidenceSources({
      regulatorKeys: () => regulatorKeyService().published(),
      keyLogs: keyLogStore(),
      checkpoints: checkpointReader(),
    }),
);

/** The local portal's in-process builds, so that it can wait for them when it stops. */
export const inProcessBundleBuilds = once(
  () =>
    new InProcessBundleBuilds((error) =>
      logger.error('evidence bundle build failed; the sweep retries', { error: String(error) }),
    ),
);

/**
 * The service with the given way of starting builds. Only the requesting function starts builds (it alone is
 * configured and allowed to): it wires its trigger in evidence-bundle-request-dependencies.ts, so that the Lambda
 * client is in its bundle alone.
 */
export function evidenceBundleServiceWith(trigger: BundleBuildTrigger): EvidenceBundleService {
  return new EvidenceBundleService({
    notices: noticeStore(),
    submissions: submissionStore(),
    bundles: evidenceBundleStore(),
    sources: evidenceSources(),
    archive: new S3EvidenceBundleArchive(
      s3(),
      storageConfig().bucket,
      // The presigner only signs URLs locally and sends nothing, so it has no calls to trace.
      new S3Client({
        ...sdkClientConfig('s3'),
        requestChecksumCalculation: 'WHEN_REQUIRED',
        forcePathStyle: local(),
      }),
    ),
    trigger,
    holidaysFor: publicHolidayCalendar,
    clock: now,
    newBundleId: () => newBundleId(now()),
    warn: (message, fields) => logger.warn(message, fields),
  });
}

/**
 * What a function that does not start builds (the builder, the status read) is given to start one with: a refusal.
 * Were it ever used, the request would still be recorded and the sweep would build it once its lease ended.
 */
const startsNoBuilds: BundleBuildTrigger = {
  start: async () => {
    throw new Error('this function does not start evidence bundle builds');
  },
};

/** Reading, building and sweeping evidence bundles; the configuration is checked when first built. */
export const evidenceBundleService = once((): EvidenceBundleService => evidenceBundleServiceWith(startsNoBuilds));
