import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { type RunningService, startS3rver } from '../../../local/embedded-services';
import {
  type RunningS3SignatureGuard,
  type S3SignatureGuardOptions,
  startS3SignatureGuard,
} from '../../../local/s3-signature-guard';

/**
 * An s3rver with the signature guard in front of it, in a temporary folder, for the tests of the guard itself.
 * "Directly" in those tests means s3rver, bypassing the guard, to see what was (not) written.
 */
export const REGION = 'ap-southeast-2';
export const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface GuardedS3 {
  dataDir: string;
  s3rver: RunningService;
  guard: RunningS3SignatureGuard;
  /** Stops the guard and s3rver and removes the folder. */
  stop(): Promise<void>;
}

export async function startGuardedS3(settings: {
  bucket: string;
  /** Names the temporary folder. */
  folderPrefix: string;
  /** Lets the guard read s3rver's multipart files (ListParts, UploadPart and CompleteMultipartUpload checks). */
  multipart?: boolean;
  guard?: Pick<S3SignatureGuardOptions, 'now' | 'onRefused' | 'objectLockDefaultRetention'>;
}): Promise<GuardedS3> {
  const dataDir = mkdtempSync(join(tmpdir(), settings.folderPrefix));
  const s3rver = await startS3rver(join(dataDir, 's3'), 0, [settings.bucket]);
  const guard = await startS3SignatureGuard({
    upstream: s3rver.endpoint,
    port: 0,
    credentials: CREDENTIALS,
    region: REGION,
    ...(settings.multipart ? { s3rverDirectory: join(dataDir, 's3') } : {}),
    ...settings.guard,
  });
  return {
    dataDir,
    s3rver,
    guard,
    stop: async () => {
      await guard.stop();
      await s3rver.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** An SDK client with the guard's credentials and region, path-style, sending checksums only where required. */
export function s3ClientFor(endpoint: string, overrides: Partial<S3ClientConfig> = {}): S3Client {
  return new S3Client({
    endpoint,
    region: REGION,
    credentials: CREDENTIALS,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    ...overrides,
  });
}

/** A new object key under `prefix` for every call, so no test sees another's objects. */
export function uniqueKeys(prefix: string): (name: string) => string {
  let counter = 0;
  return (name) => {
    counter += 1;
    return `${prefix}/${Date.now()}-${counter}/${name}`;
  };
}
