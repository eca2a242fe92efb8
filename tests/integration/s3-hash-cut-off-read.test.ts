import { createHash, randomBytes } from 'node:crypto';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { S3ResponseStorage } from '../../lambdas/adapters/s3-response-storage';
import { sdkClientConfig } from '../../lambdas/config/sdk-clients';
import {
  type FaultedStorage,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  startFaultedStorage,
} from '../support/faults/faulted-storage';

/**
 * Regression (issue 14, fault matrix: `file a response / s3 GetObject #1: reset-mid-response (once)`): the SDK
 * retries a GetObject that fails before its answer's headers, not one whose body is cut off after them, so one
 * reset connection while the portal hashed a stored file failed the hash and the finalize answered 500. A cut-off
 * read now resumes from the bytes hashed so far, from the same object.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const KEY = 'notices/ntc_01JD0000000000000000000000/submissions/sub_01JD0000000000000000000000/0';
const bytes = randomBytes(3 * 1024 * 1024 + 17);
const sha256 = createHash('sha256').update(bytes).digest('hex');

let storage: FaultedStorage;
let s3: S3Client;

beforeAll(async () => {
  storage = await startFaultedStorage();
  const local = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, forcePathStyle: true };
  const direct = new S3Client({ ...local, endpoint: storage.direct.s3 });
  await direct.send(new PutObjectCommand({ Bucket: storage.bucket, Key: KEY, Body: bytes }));
  direct.destroy();
  // Through the proxy, with the portal's retry settings.
  s3 = new S3Client({ ...sdkClientConfig('s3'), ...local, endpoint: storage.s3.endpoint });
});

afterEach(() => storage.s3.clear());

afterAll(async () => {
  s3?.destroy();
  await storage?.stop();
});

describe('hashing a stored file', () => {
  it('hashes the whole file when its body is cut off mid-read (the read resumes where it stopped)', async () => {
    // Prepare
    const responses = new S3ResponseStorage(s3, storage.bucket, s3);
    const fault = storage.s3.inject({
      match: (r) => r.operation === 'GetObject',
      action: { kind: 'reset-mid-response' },
    });

    // Act
    const hashed = await responses.hash(KEY);

    // Assess
    expect(fault.fired()).toBe(1);
    expect({ sha256: hashed.sha256, size: hashed.size }).toEqual({ sha256, size: bytes.length });
    expect(storage.s3.requests.map((r) => r.operation)).toEqual(['GetObject', 'GetObject']);
  });

  it('gives up after the client’s attempts when every read is cut off', async () => {
    const responses = new S3ResponseStorage(s3, storage.bucket, s3);
    storage.s3.inject({ match: (r) => r.operation === 'GetObject', times: 3, action: { kind: 'reset-mid-response' } });

    await expect(responses.hash(KEY)).rejects.toThrow();
    expect(storage.s3.requests.filter((r) => r.operation === 'GetObject')).toHaveLength(3);
  });
});
