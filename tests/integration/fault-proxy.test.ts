import { createHash } from 'node:crypto';
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  type FaultedStorage,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  startFaultedStorage,
} from '../support/faults/faulted-storage';

/**
 * The fault proxy in front of the real embedded stores (dynalite; s3rver behind the SigV4 guard): it names each
 * operation, forwards every byte so signatures still verify, and each fault does what it says to the client and to
 * the store. The SDK clients here make one attempt, so each fault is seen as the client sees it.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const TABLE = 'fault-proxy-test';
const MiB = 1024 * 1024;

let storage: FaultedStorage;
let dynamo: DynamoDBClient;
let directDynamo: DynamoDBClient;
let s3: S3Client;
let directS3: S3Client;

const clientConfig = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 };

beforeAll(async () => {
  storage = await startFaultedStorage();
  dynamo = new DynamoDBClient({ ...clientConfig, endpoint: storage.dynamodb.endpoint });
  directDynamo = new DynamoDBClient({ ...clientConfig, endpoint: storage.direct.dynamodb });
  s3 = new S3Client({ ...clientConfig, endpoint: storage.s3.endpoint, forcePathStyle: true });
  directS3 = new S3Client({ ...clientConfig, endpoint: storage.direct.s3, forcePathStyle: true });
  await directDynamo.send(
    new CreateTableCommand({
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
});

afterEach(() => {
  storage.dynamodb.clear();
  storage.s3.clear();
});

afterAll(async () => {
  for (const client of [dynamo, directDynamo, s3, directS3]) client.destroy();
  await storage.stop();
});

let counter = 0;
const unique = (name: string) => `${name}-${Date.now()}-${++counter}`;
const put = (pk: string) => new PutItemCommand({ TableName: TABLE, Item: { pk: { S: pk }, sk: { S: 'ITEM' } } });
const stored = async (pk: string) =>
  (await directDynamo.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: pk }, sk: { S: 'ITEM' } } }))).Item;
const objectExists = async (key: string) =>
  directS3.send(new HeadObjectCommand({ Bucket: storage.bucket, Key: key })).then(
    () => true,
    (error) => {
      if (error.name === 'NotFound') return false;
      throw error;
    },
  );
const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: Error & { $metadata?: { httpStatusCode?: number }; code?: string }) => error,
  );

describe('the fault proxy', () => {
  it('names every DynamoDB and S3 operation the portal uses, in arrival order, with the table and key', async () => {
    const pk = unique('named');
    await dynamo.send(put(pk));
    await dynamo.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: pk }, sk: { S: 'ITEM' } } }));
    await dynamo.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: pk } },
      }),
    );
    const key = `${unique('objects')}/file.bin`;
    const bytes = Buffer.alloc(6 * MiB, 7);
    await s3.send(new PutObjectCommand({ Bucket: storage.bucket, Key: key, Body: bytes }));
    await s3.send(new HeadObjectCommand({ Bucket: storage.bucket, Key: key }));
    const got = await s3.send(new GetObjectCommand({ Bucket: storage.bucket, Key: key }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(bytes)).toBe(true);
    const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: storage.bucket, Key: `${key}.mp` }));
    const part = await s3.send(
      new UploadPartCommand({
        Bucket: storage.bucket,
        Key: `${key}.mp`,
        UploadId: upload.UploadId,
        PartNumber: 1,
        Body: bytes,
      }),
    );
    await s3.send(new ListPartsCommand({ Bucket: storage.bucket, Key: `${key}.mp`, UploadId: upload.UploadId }));
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: storage.bucket,
        Key: `${key}.mp`,
        UploadId: upload.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    await s3.send(new ListObjectsV2Command({ Bucket: storage.bucket, Prefix: key }));

    expect(storage.dynamodb.requests.map((r) => [r.seq, r.operation])).toEqual([
      [1, 'PutItem'],
      [2, 'GetItem'],
      [3, 'Query'],
    ]);
    expect(storage.dynamodb.requests[0]?.detail).toEqual({ TableName: TABLE, pk, sk: 'ITEM' });
    expect(storage.s3.requests.map((r) => r.operation)).toEqual([
      'PutObject',
      'HeadObject',
      'GetObject',
      'CreateMultipartUpload',
      'UploadPart',
      'ListParts',
      'CompleteMultipartUpload',
      'ListObjectsV2',
    ]);
    expect(storage.s3.requests[0]?.detail).toEqual({ bucket: storage.bucket, key });
  });

  it('keeps Host and every byte, so a presigned PUT minted with its endpoint verifies at the SigV4 guard', async () => {
    const key = `${unique('presigned')}/file.txt`;
    const body = 'the response, exactly';
    const sha256 = createHash('sha256').update(body).digest('base64');
    const presigner = new S3Client({
      ...clientConfig,
      endpoint: storage.s3.endpoint,
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    const url = await getSignedUrl(
      presigner,
      new PutObjectCommand({ Bucket: storage.bucket, Key: key, ChecksumSHA256: sha256 }),
      { expiresIn: 300, unhoistableHeaders: new Set(['x-amz-checksum-sha256']) },
    );
    presigner.destroy();

    const honest = await fetch(url, { method: 'PUT', body, headers: { 'x-amz-checksum-sha256': sha256 } });
    const tampered = await fetch(url.replace(key, `${key}.other`), {
      method: 'PUT',
      body,
      headers: { 'x-amz-checksum-sha256': sha256 },
    });

    expect(honest.status).toBe(200);
    expect(tampered.status).toBe(403);
    const got = await directS3.send(new GetObjectCommand({ Bucket: storage.bucket, Key: key }));
    expect(await got.Body!.transformToString()).toBe(body);
    expect(await objectExists(`${key}.other`)).toBe(false);
  });

  it('answers DynamoDB throttling and internal errors in the store’s JSON, which the SDK parses into its own errors', async () => {
    storage.dynamodb.inject({
      match: (r) => r.operation === 'PutItem',
      action: { kind: 'error', status: 400, flavour: 'throttle' },
    });
    storage.dynamodb.inject({
      match: (r) => r.operation === 'PutItem',
      nth: 2,
      action: { kind: 'error', status: 400, flavour: 'throttle', code: 'ProvisionedThroughputExceededException' },
    });
    storage.dynamodb.inject({
      match: (r) => r.operation === 'PutItem',
      nth: 3,
      action: { kind: 'error', status: 500, flavour: 'internal' },
    });
    const pks = [unique('throttled'), unique('exceeded'), unique('internal')];

    const errors = [];
    for (const pk of pks) errors.push(await errorOf(dynamo.send(put(pk))));

    expect(errors.map((e) => [e?.name, e?.$metadata?.httpStatusCode])).toEqual([
      ['ThrottlingException', 400],
      ['ProvisionedThroughputExceededException', 400],
      ['InternalServerError', 500],
    ]);
    for (const pk of pks) expect(await stored(pk)).toBeUndefined();
  });

  it('answers S3 SlowDown and InternalError in the store’s XML, never forwarding the request', async () => {
    const rule = storage.s3.inject({
      match: (r) => r.operation === 'PutObject',
      times: 2,
      action: { kind: 'error', status: 503, flavour: 'throttle' },
    });
    storage.s3.inject({
      match: (r) => r.operation === 'PutObject',
      nth: 3,
      action: { kind: 'error', status: 500, flavour: 'internal' },
    });
    const keys = [unique('slow-1'), unique('slow-2'), unique('internal')];

    const errors = [];
    for (const key of keys)
      errors.push(await errorOf(s3.send(new PutObjectCommand({ Bucket: storage.bucket, Key: key, Body: 'x' }))));

    expect(errors.map((e) => [e?.name, e?.$metadata?.httpStatusCode])).toEqual([
      ['SlowDown', 503],
      ['SlowDown', 503],
      ['InternalError', 500],
    ]);
    expect(rule.fired()).toBe(2);
    for (const key of keys) expect(await objectExists(key)).toBe(false);
  });

  it('drops a request before the store sees it, or after the store applied it', async () => {
    const [before, after] = [unique('drop-before'), unique('drop-after')];
    storage.dynamodb.inject({ match: (r) => r.detail?.pk === before, action: { kind: 'drop-before' } });
    storage.dynamodb.inject({ match: (r) => r.detail?.pk === after, action: { kind: 'drop-after' } });

    const errors = [await errorOf(dynamo.send(put(before))), await errorOf(dynamo.send(put(after)))];

    expect(errors.every((e) => e !== undefined)).toBe(true);
    expect(await stored(before)).toBeUndefined();
    expect(await stored(after)).toBeDefined();
  });

  it('resets a response part-way, after the store applied the request', async () => {
    const pk = unique('reset');
    await directDynamo.send(put(pk));
    const key = unique('reset-object');
    storage.dynamodb.inject({ match: (r) => r.operation === 'GetItem', action: { kind: 'reset-mid-response' } });
    storage.s3.inject({ match: (r) => r.operation === 'PutObject', action: { kind: 'reset-mid-response' } });

    const readError = await errorOf(
      dynamo.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: pk }, sk: { S: 'ITEM' } } })),
    );
    const writeError = await errorOf(s3.send(new PutObjectCommand({ Bucket: storage.bucket, Key: key, Body: 'x' })));

    expect(readError).toBeDefined();
    expect(writeError).toBeDefined();
    expect(await objectExists(key)).toBe(true);
  });

  it('delays the chosen request only, then forwards it', async () => {
    const pk = unique('delayed');
    storage.dynamodb.inject({ match: (r) => r.operation === 'PutItem', nth: 2, action: { kind: 'delay', ms: 400 } });

    const first = Date.now();
    await dynamo.send(put(`${pk}-1`));
    const second = Date.now();
    await dynamo.send(put(`${pk}-2`));
    const end = Date.now();

    expect(second - first).toBeLessThan(300);
    expect(end - second).toBeGreaterThanOrEqual(400);
    expect(await stored(`${pk}-2`)).toBeDefined();
  });

  it('holds a request unanswered and unforwarded until released', async () => {
    const pk = unique('held');
    storage.dynamodb.inject({ match: (r) => r.detail?.pk === pk, action: { kind: 'hold' } });

    const sending = dynamo.send(put(pk));
    const held = await storage.dynamodb.waitForHeld(5000);
    const whileHeld = await stored(pk);
    storage.dynamodb.release();
    await sending;

    expect(held).toMatchObject({ operation: 'PutItem', detail: { pk } });
    expect(whileHeld).toBeUndefined();
    expect(await stored(pk)).toBeDefined();
  });

  it('fires a rule on its nth matching request and the times-1 after it, counting only matches', async () => {
    const pk = unique('window');
    const rule = storage.dynamodb.inject({
      match: (r) => r.operation === 'PutItem',
      nth: 2,
      times: 2,
      action: { kind: 'error', status: 500, flavour: 'internal' },
    });

    const outcomes = [];
    for (let i = 1; i <= 4; i++) {
      await dynamo.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: pk }, sk: { S: 'ITEM' } } }));
      outcomes.push((await errorOf(dynamo.send(put(`${pk}-${i}`))))?.name ?? 'ok');
    }

    expect(outcomes).toEqual(['ok', 'InternalServerError', 'InternalServerError', 'ok']);
    expect(rule.fired()).toBe(2);
    expect(storage.dynamodb.requests).toHaveLength(8);
  });
});
