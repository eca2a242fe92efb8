import { S3Client } from '@aws-sdk/client-s3';
import { InProcessBundleBuilds, LambdaEventTrigger } from '../adapters/bundle-build-triggers';
import { publicHolidayCalendar } from '../adapters/public-holidays';
import { S3EvidenceBundleArchive } from '../adapters/s3-evidence-bundle-archive';
import { bundleConfig } from '../config/bundles';
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

const bundleTrigger = once((): BundleBuildTrigger => {
  const config = bundleConfig();
  if (config.builder === 'in-process') return inProcessBundleBuilds();
  const region = process.env.AWS_REGION;
  if (!region) throw new Error('AWS_REGION is not set (Lambda always sets it)');
  return new LambdaEventTrigger(config.functionName, region, undefined, undefined, traced);
});

/** Requesting, reading, building and sweeping evidence bundles; the configuration is checked when first built. */
export const evidenceBundleService = once(
  (): EvidenceBundleService =>
    new EvidenceBundleService({
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
      // Resolved on the first request: only the requesting function is configured (and allowed) to start builds.
      trigger: { start: (ref) => bundleTrigger().start(ref) },
      holidaysFor: publicHolidayCalendar,
      clock: now,
      newBundleId: () => newBundleId(now()),
      warn: (message, fields) => logger.warn(message, fields),
    }),
);
