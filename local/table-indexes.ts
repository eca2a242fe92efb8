import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import {
  type AttributeValue,
  BatchWriteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ScanCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { ALL_INDEXES, type IndexDesign } from '../lambdas/adapters/notice-table-design';

/**
 * Gives an existing local table the indexes the shared design gained since it was created (a `.data/` folder from
 * an earlier version). On the real API (DynamoDB Local, AWS) an UpdateTable creates each missing index online, one
 * at a time. dynalite refuses that request (or would ignore it), so there the table is rebuilt: every item is first
 * saved to a backup file beside the data (written whole, then renamed), the table is deleted and created from the
 * design, and the items are written back; a rebuild interrupted at any point is finished from the backup on the
 * next start, so no item is ever lost. A Scan is right here and nowhere else: it is a one-off, local migration of
 * a development table.
 */
export async function addMissingIndexes(
  client: DynamoDBClient,
  tableName: string,
  create: () => Promise<unknown>,
  backupFile: string,
): Promise<string[]> {
  if (existsSync(backupFile)) {
    await restore(client, tableName, create, backupFile);
    return [];
  }
  const missing = await missingIndexes(client, tableName);
  if (missing.length === 0) return [];
  for (const index of missing) {
    try {
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: [index.partitionKey, index.sortKey].map((name) => ({
            AttributeName: name,
            AttributeType: 'S',
          })),
          GlobalSecondaryIndexUpdates: [{ Create: indexSpecification(index) }],
        }),
      );
    } catch (error) {
      // dynalite validates index creation as an older API did (it wants provisioned throughput, even on demand):
      // its refusal means "rebuild", like its silence.
      if ((error as Error).name !== 'ValidationException') throw error;
      break;
    }
    await waitUntilActive(client, tableName);
  }
  if ((await missingIndexes(client, tableName)).length > 0) {
    await backUp(client, tableName, backupFile);
    await restore(client, tableName, create, backupFile);
  }
  return missing.map((i) => i.indexName);
}

/** A global secondary index of the design, as CreateTable and UpdateTable take it. */
export function indexSpecification(index: IndexDesign) {
  return {
    IndexName: index.indexName,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: index.nonKeyAttributes
      ? { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...index.nonKeyAttributes] }
      : { ProjectionType: 'ALL' as const },
  };
}

async function missingIndexes(client: DynamoDBClient, tableName: string): Promise<IndexDesign[]> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  return ALL_INDEXES.filter((index) => !present.has(index.indexName));
}

export async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Table ${tableName} did not become ACTIVE`);
}

// Binary attributes survive the JSON backup as base64.
const replacer = (_key: string, value: unknown) =>
  value instanceof Uint8Array ? { $base64: Buffer.from(value).toString('base64') } : value;
const reviver = (_key: string, value: unknown) =>
  value && typeof value === 'object' && '$base64' in value
    ? Uint8Array.from(Buffer.from(String((value as { $base64: string }).$base64), 'base64'))
    : value;

async function backUp(client: DynamoDBClient, tableName: string, backupFile: string): Promise<void> {
  const items: Record<string, AttributeValue>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  writeFileSync(`${backupFile}.partial`, JSON.stringify(items, replacer));
  renameSync(`${backupFile}.partial`, backupFile);
}

async function restore(
  client: DynamoDBClient,
  tableName: string,
  create: () => Promise<unknown>,
  backupFile: string,
): Promise<void> {
  const items = JSON.parse(readFileSync(backupFile, 'utf8'), reviver) as Record<string, AttributeValue>[];
  try {
    await client.send(new DeleteTableCommand({ TableName: tableName }));
    for (let attempt = 0; attempt < 200; attempt++) {
      await client.send(new DescribeTableCommand({ TableName: tableName }));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`Table ${tableName} was not deleted`);
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
  await create();
  for (let i = 0; i < items.length; i += 25) {
    let pending: Record<string, AttributeValue>[] = items.slice(i, i + 25);
    while (pending.length > 0) {
      const out = await client.send(
        new BatchWriteItemCommand({ RequestItems: { [tableName]: pending.map((Item) => ({ PutRequest: { Item } })) } }),
      );
      pending = (out.UnprocessedItems?.[tableName] ?? []).flatMap((r) =>
        r.PutRequest?.Item ? [r.PutRequest.Item] : [],
      );
    }
  }
  rmSync(backupFile);
}
