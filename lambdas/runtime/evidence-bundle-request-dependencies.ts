import { LambdaEventTrigger } from '../adapters/lambda-bundle-build-trigger';
import { bundleConfig } from '../config/bundles';
import type { BundleBuildTrigger } from '../domain/evidence-bundle';
import type { EvidenceBundleService } from '../domain/evidence-bundle-service';
import { traced } from '../observability/tracer';
import { evidenceBundleServiceWith, inProcessBundleBuilds } from './evidence-bundle-dependencies';
import { once } from './once';

/**
 * How this function starts builds: an asynchronous invocation of the builder on AWS, the local portal's in-process
 * builder there. Resolved on the first request, so a missing setting fails that request's start (reported; the
 * sweep builds the bundle), as it did when every bundle function carried it.
 */
const bundleTrigger = once((): BundleBuildTrigger => {
  const config = bundleConfig();
  if (config.builder === 'in-process') return inProcessBundleBuilds();
  const region = process.env.AWS_REGION;
  if (!region) throw new Error('AWS_REGION is not set (Lambda always sets it)');
  return new LambdaEventTrigger(config.functionName, region, undefined, undefined, traced);
});

/** Requesting evidence bundles (and everything else the service does), starting each new bundle's build. */
export const evidenceBundleRequests = once(
  (): EvidenceBundleService => evidenceBundleServiceWith({ start: (ref) => bundleTrigger().start(ref) }),
);
