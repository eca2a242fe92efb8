import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataPaths, type RunningService, startDynalite, startS3rver } from '../../../local/embedded-services';
import { startS3SignatureGuard } from '../../../local/s3-signature-guard';
import { type FaultProxy, startFaultProxy } from './fault-proxy';

/**
 * The local portal's embedded storage, started as local/portal.ts starts it (dynalite; s3rver behind the SigV4
 * guard with its multipart emulation), with a fault proxy in front of each. Point the portal (or an SDK client) at
 * `dynamodb.endpoint` / `s3.endpoint`; `direct` reaches the stores without faults, for a test's own reads.
 */
export const LOCAL_BUCKET = 'notice-portal-responses-local';
export const LOCAL_REGION = 'ap-southeast-2';
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface FaultedStorage {
  dataDir: string;
  bucket: string;
  dynamodb: FaultProxy;
  s3: FaultProxy;
  /** The stores themselves, bypassing the proxies. */
  direct: { dynamodb: string; s3: string };
  /**
   * Receives s3rver's S3-style event for every write (as an S3 notification would on AWS); the portal's own
   * embedded S3 wires it to the upload hasher, which a test does with `onObjectCreated`.
   */
  onObjectCreated(listener: ((event: unknown) => void) | undefined): void;
  stop(): Promise<void>;
}

export async function startFaultedStorage(
  options: { dataDir?: string; bucket?: string } = {},
): Promise<FaultedStorage> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'notice-portal-faults-'));
  const bucket = options.bucket ?? LOCAL_BUCKET;
  const paths = dataPaths(dataDir);
  const services: RunningService[] = [];
  let listener: ((event: unknown) => void) | undefined;
  try {
    const dynalite = await startDynalite(paths.dynamodb, 0);
    services.push(dynalite);
    const s3rver = await startS3rver(paths.s3, 0, [bucket], (event) => listener?.(event));
    services.push(s3rver);
    const guard = await startS3SignatureGuard({
      upstream: s3rver.endpoint,
      s3rverDirectory: paths.s3,
      port: 0,
      credentials: LOCAL_CREDENTIALS,
      region: LOCAL_REGION,
    });
    services.push(guard);
    const dynamodb = await startFaultProxy({ service: 'dynamodb', upstream: dynalite.endpoint });
    services.push({ endpoint: dynamodb.endpoint, stop: () => dynamodb.stop() });
    const s3 = await startFaultProxy({ service: 's3', upstream: guard.endpoint });
    services.push({ endpoint: s3.endpoint, stop: () => s3.stop() });
    return {
      dataDir,
      bucket,
      dynamodb,
      s3,
      direct: { dynamodb: dynalite.endpoint, s3: guard.endpoint },
      onObjectCreated: (next) => {
        listener = next;
      },
      stop: async () => {
        for (const service of services.reverse()) await service.stop();
        if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    for (const service of services.reverse()) await service.stop();
    throw error;
  }
}
