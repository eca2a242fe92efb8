import { ENV } from '../../lambdas/config/env';
import { type FaultedStorage, LOCAL_CREDENTIALS, startFaultedStorage } from '../support/faults/faulted-storage';
import { type Harness, startHarness } from './support/portal-harness';

/**
 * The local portal's own first store calls (finding or creating the table) use the scaled SDK timeouts its
 * handlers use. They once ran with the unscaled ones, and a CI run on a busy machine failed to start the portal
 * when dynalite took over 2 s to answer (`TimeoutError: … exceeded the configured 2000 ms requestTimeout`).
 */
let storage: FaultedStorage;
let h: Harness | undefined;
const saved = { ...process.env };

beforeAll(async () => {
  storage = await startFaultedStorage();
  const env = process.env;
  env.AWS_ENDPOINT_URL_DYNAMODB = storage.dynamodb.endpoint;
  env.AWS_ENDPOINT_URL_S3 = storage.s3.endpoint;
  env.AWS_ACCESS_KEY_ID = LOCAL_CREDENTIALS.accessKeyId;
  env.AWS_SECRET_ACCESS_KEY = LOCAL_CREDENTIALS.secretAccessKey;
  // As `npm start` runs: no scale set beforehand, so the portal's own default applies.
  delete env[ENV.sdkTimeoutScale];
}, 60_000);

afterAll(async () => {
  await h?.stop();
  await storage?.stop();
  for (const name of ['AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_S3', ENV.sdkTimeoutScale]) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

it('starts although the store takes longer than the unscaled 2 s to answer each of its first table checks', async () => {
  // Prepare: the first three DescribeTable requests (as many as the SDK's attempts at one call) each answered after
  // 2.1 s. A start on fresh data makes two: "is there a table?" and, after creating it, "is it ACTIVE?".
  const slow = storage.dynamodb.inject({
    match: (request) => request.operation === 'DescribeTable',
    times: 3,
    action: { kind: 'delay', ms: 2100 },
  });

  // Act
  h = await startHarness();
  const health = await h.anonymous().get('/health');

  // Assess
  expect(slow.fired()).toBe(2);
  expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
}, 60_000);
