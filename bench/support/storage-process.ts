/**
 * The local portal's embedded storage — dynalite, s3rver and the SigV4 guard in front of it, exactly as
 * local/portal.ts starts them on the same data folder — in a process of its own, for bench/evidence-bundle.ts:
 * an exporting portal pointed at it (AWS_ENDPOINT_URL_DYNAMODB / _S3, the portal's only switch) holds the
 * handlers and the bundle builder and nothing of the servers, so its peak RSS is the exporter's, as on Lambda.
 *
 *   node --require tsx/cjs bench/support/storage-process.ts DATA_DIR
 *
 * Prints one JSON line `{"dynamodb": …, "s3": …}` when both answer, and stops them on SIGTERM.
 */
import { dataPaths, type RunningService, startDynalite, startS3rver } from '../../local/embedded-services';
import { startS3SignatureGuard } from '../../local/s3-signature-guard';

/** The local portal's defaults (local/portal.ts): the exporting portal must find the same table and bucket. */
const BUCKET = 'notice-portal-responses-local';
const REGION = 'ap-southeast-2';
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: storage-process.ts DATA_DIR');
  const paths = dataPaths(dataDir);
  const services: RunningService[] = [];
  services.push(await startDynalite(paths.dynamodb, 0));
  const s3rver = await startS3rver(paths.s3, 0, [BUCKET]);
  services.push(s3rver);
  const guard = await startS3SignatureGuard({
    upstream: s3rver.endpoint,
    s3rverDirectory: paths.s3,
    port: 0,
    credentials: CREDENTIALS,
    region: REGION,
  });
  services.push(guard);
  process.once('SIGTERM', () => {
    Promise.all(services.reverse().map((service) => service.stop())).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  process.stdout.write(`${JSON.stringify({ dynamodb: services[0]?.endpoint, s3: guard.endpoint })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
