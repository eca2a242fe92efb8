import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { INDEXES, TABLE_KEYS } from '../../lambdas/adapters/notice-table-design';
import { ensureTable, type RunningService, startDynalite } from '../../local/embedded-services';
import { indexSpecification, waitUntilActive } from '../../local/table-indexes';

/**
 * A `.data/` folder made before the checkpoint-pending index existed: the local portal's start gives its table the
 * index without losing an item, and an interrupted rebuild is finished from its backup on the next start.
 */
let dataDir: string;
let dynamodb: RunningService;
let client: DynamoDBClient;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'table-indexes-'));
  dynamodb = await startDynalite(join(dataDir, 'dynamodb'), 0);
  client = new DynamoDBClient({
    endpoint: dynamodb.endpoint,
    region: 'ap-southeast-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  client.destroy();
  await dynamodb.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const OLD_INDEXES = Object.values(INDEXES).filter((i) => i.indexName !== INDEXES.checkpointPending.indexName);

async function createOldTable(tableName: string): Promise<void> {
  const names = new Set([
    TABLE_KEYS.partitionKey,
    TABLE_KEYS.sortKey,
    ...OLD_INDEXES.flatMap((i) => [i.partitionKey, i.sortKey]),
  ]);
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...names].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: OLD_INDEXES.map(indexSpecification),
    }),
  );
  // A new table is CREATING for a moment even with dynalite's delays at 0, and refuses writes until ACTIVE (found
  // on a faster machine, where the first PutItem arrived in that moment).
  await waitUntilActive(client, tableName);
  for (let i = 0; i < 60; i++) {
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          pk: { S: `NOTICE#n${i}` },
          sk: { S: 'EVENT#000001' },
          seq: { N: '1' },
          blob: { B: Uint8Array.of(i, 0, 255) },
        },
      }),
    );
  }
}

const indexNames = async (tableName: string) =>
  ((await client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.GlobalSecondaryIndexes ?? [])
    .map((i) => i.IndexName)
    .sort();

it('adds the missing index to an existing table and keeps every item', async () => {
  // Prepare
  const tableName = 'old-design-table';
  await createOldTable(tableName);
  const backup = join(dataDir, 'rebuild.json');

  // Act
  const outcome = await ensureTable(client, tableName, backup);

  // Assess
  expect(outcome).toBe('indexes-added');
  expect(await indexNames(tableName)).toEqual(
    Object.values(INDEXES)
      .map((i) => i.indexName)
      .sort(),
  );
  const { Items = [] } = await client.send(new ScanCommand({ TableName: tableName }));
  expect(Items).toHaveLength(60);
  expect(Items.find((i) => i.pk?.S === 'NOTICE#n7')?.blob?.B).toEqual(Uint8Array.of(7, 0, 255));
  expect(existsSync(backup)).toBe(false);
  // The new index works: an item with its keys is found there.
  await client.send(
    new PutItemCommand({
      TableName: tableName,
      Item: {
        pk: { S: 'X' },
        sk: { S: 'Y' },
        checkpointQueue: { S: 'CP' },
        checkpointKey: { S: 'k' },
        hash: { S: 'h' },
      },
    }),
  );
  const found = await client.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'checkpoint-pending',
      KeyConditionExpression: 'checkpointQueue = :cp',
      ExpressionAttributeValues: { ':cp': { S: 'CP' } },
    }),
  );
  expect(found.Items).toEqual([expect.objectContaining({ pk: { S: 'X' }, hash: { S: 'h' } })]);
  expect(await ensureTable(client, tableName, backup)).toBe('exists');
});

it('finishes a rebuild that was interrupted, from its backup', async () => {
  // Prepare: the process died after the backup was written and the table deleted and recreated half-way.
  const tableName = 'interrupted-rebuild';
  await createOldTable(tableName);
  const backup = join(dataDir, 'interrupted.json');
  const { Items = [] } = await client.send(new ScanCommand({ TableName: tableName }));
  writeFileSync(backup, JSON.stringify(Items.map((item) => ({ ...item, blob: undefined }))));

  // Act
  await ensureTable(client, tableName, backup);

  // Assess
  expect(await indexNames(tableName)).toContain('checkpoint-pending');
  const after = await client.send(new ScanCommand({ TableName: tableName }));
  expect(after.Items).toHaveLength(60);
  expect(existsSync(backup)).toBe(false);
});
