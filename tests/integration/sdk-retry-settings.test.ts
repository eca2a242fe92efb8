import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { dynamoDbClient } from '../../lambdas/adapters/dynamodb-client';
import { SDK_CLIENT_SETTINGS, sdkClientConfig } from '../../lambdas/config/sdk-clients';
import {
  type FaultedStorage,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  startFaultedStorage,
} from '../support/faults/faulted-storage';

/**
 * The portal's SDK retry settings (lambdas/config/sdk-clients.ts), exercised with the real SDK against the real
 * embedded stores through the fault proxy: what is retried and what is not, that a stalled request is abandoned
 * at the request timeout and retried, and that attempts stop at `maxAttempts`.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const TABLE = 'sdk-retry-test';
const DYNAMODB = SDK_CLIENT_SETTINGS.dynamodb;
const S3 = SDK_CLIENT_SETTINGS.s3;

let storage: FaultedStorage;
let dynamo: DynamoDBClient;
let s3: S3Client;

beforeAll(async () => {
  storage = await startFaultedStorage();
  const local = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  // The portal's own factory for DynamoDB, and its settings for S3, pointed at the proxies.
  dynamo = dynamoDbClient({ ...local, endpoint: storage.dynamodb.endpoint });
  s3 = new S3Client({ ...sdkClientConfig('s3'), ...local, endpoint: storage.s3.endpoint, forcePathStyle: true });
  await dynamo.send(
    new CreateTableCommand({
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }),
  );
});

afterEach(() => {
  storage.dynamodb.clear();
  storage.s3.clear();
});

afterAll(async () => {
  dynamo?.destroy();
  s3?.destroy();
  await storage?.stop();
});

let counter = 0;
const unique = () => `item-${Date.now()}-${++counter}`;
const put = (pk: string, condition?: string) =>
  new PutItemCommand({ TableName: TABLE, Item: { pk: { S: pk } }, ConditionExpression: condition });
const puts = () => storage.dynamodb.requests.filter((r) => r.operation === 'PutItem');
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: Error & { $metadata?: { attempts?: number } }) => error,
  );

describe('SDK retry settings, against the stores through the fault proxy', () => {
  it('retries DynamoDB throttling, ProvisionedThroughputExceeded and a 500 on the first attempt, and succeeds', async () => {
    const errors = [
      { status: 400, flavour: 'throttle' },
      { status: 400, flavour: 'throttle', code: 'ProvisionedThroughputExceededException' },
      { status: 500, flavour: 'internal' },
    ] as const;

    for (const error of errors) {
      storage.dynamodb.clear();
      const pk = unique();
      storage.dynamodb.inject({ match: (r) => r.detail?.pk === pk, action: { kind: 'error', ...error } });

      const out = await dynamo.send(put(pk));

      expect({ error, attempts: out.$metadata.attempts, seen: puts().length }).toEqual({ error, attempts: 2, seen: 2 });
    }
  });

  it('retries S3 SlowDown (503) and InternalError (500) on the first attempt, and succeeds', async () => {
    for (const error of [
      { status: 503, flavour: 'throttle' },
      { status: 500, flavour: 'internal' },
    ] as const) {
      storage.s3.clear();
      const key = unique();
      storage.s3.inject({ match: (r) => r.operation === 'PutObject', action: { kind: 'error', ...error } });

      const out = await s3.send(new PutObjectCommand({ Bucket: storage.bucket, Key: key, Body: 'bytes' }));

      expect(out.$metadata.attempts).toBe(2);
      const got = await s3.send(new GetObjectCommand({ Bucket: storage.bucket, Key: key }));
      expect(await got.Body?.transformToString()).toBe('bytes');
    }
  });

  it('abandons a held DynamoDB request at the request timeout and succeeds on the retry', async () => {
    const pk = unique();
    storage.dynamodb.inject({ match: (r) => r.detail?.pk === pk, action: { kind: 'hold' } });
    const started = performance.now();

    const out = await dynamo.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: pk } } }));

    const elapsed = performance.now() - started;
    expect(out.$metadata.attempts).toBe(2);
    expect(elapsed).toBeGreaterThanOrEqual(DYNAMODB.requestTimeoutMs - 50);
    expect(elapsed).toBeLessThan(DYNAMODB.requestTimeoutMs + 1500);
  });

  it('abandons a response slower than the timeout and retries it: a write applied twice is refused by its condition', async () => {
    const pk = unique();
    // The first attempt reaches the store only after the client gave up on it, as a slow store would apply it.
    storage.dynamodb.inject({
      match: (r) => r.detail?.pk === pk,
      action: { kind: 'delay', ms: DYNAMODB.requestTimeoutMs + 300 },
    });

    const out = await dynamo.send(put(pk));

    expect(out.$metadata.attempts).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // The abandoned attempt was applied too: why the portal's conditional writes must recognise their own item
    // (lambdas/adapters/dynamodb-items.ts) instead of reporting a conflict with themselves.
    const again = await failure(dynamo.send(put(pk, 'attribute_not_exists(pk)')));
    expect(again).toBeInstanceOf(ConditionalCheckFailedException);
  });

  it('stops after maxAttempts on a store that keeps failing, and reports its error', async () => {
    const pk = unique();
    storage.dynamodb.inject({
      match: (r) => r.detail?.pk === pk,
      times: 10,
      action: { kind: 'error', status: 500, flavour: 'internal' },
    });
    storage.s3.inject({ match: () => true, times: 10, action: { kind: 'error', status: 503, flavour: 'throttle' } });

    const dynamoError = await failure(dynamo.send(put(pk)));
    const s3Error = await failure(s3.send(new PutObjectCommand({ Bucket: storage.bucket, Key: unique(), Body: 'x' })));

    expect([dynamoError.name, dynamoError.$metadata?.attempts, puts().length]).toEqual([
      'InternalServerError',
      DYNAMODB.maxAttempts,
      DYNAMODB.maxAttempts,
    ]);
    expect([s3Error.name, s3Error.$metadata?.attempts, storage.s3.requests.length]).toEqual([
      'SlowDown',
      S3.maxAttempts,
      S3.maxAttempts,
    ]);
  });

  it('does not retry what the store refused on its merits: a failed condition, a missing object', async () => {
    const pk = unique();
    await dynamo.send(put(pk));
    storage.dynamodb.clear();

    const conflict = await failure(dynamo.send(put(pk, 'attribute_not_exists(pk)')));
    const missing = await failure(s3.send(new GetObjectCommand({ Bucket: storage.bucket, Key: unique() })));

    expect([conflict.name, conflict.$metadata?.attempts, puts().length]).toEqual([
      'ConditionalCheckFailedException',
      1,
      1,
    ]);
    expect([missing.name, missing.$metadata?.attempts, storage.s3.requests.length]).toEqual(['NoSuchKey', 1, 1]);
  });

  it('retries a connection dropped before or after the store saw the request, and one reset mid-response', async () => {
    for (const kind of ['drop-before', 'drop-after', 'reset-mid-response'] as const) {
      storage.dynamodb.clear();
      const pk = unique();
      storage.dynamodb.inject({ match: (r) => r.detail?.pk === pk, action: { kind } });

      const out = await dynamo.send(put(pk));

      expect({ kind, attempts: out.$metadata.attempts }).toEqual({ kind, attempts: 2 });
    }
  });
});
