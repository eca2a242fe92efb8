import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbNoticeStore } from '../../lambdas/adapters/dynamodb-notice-store';
import { ensureTable, type RunningService, startDynalite } from '../../local/embedded-services';
import { describeNoticeStoreContract } from '../support/notice-store-contract';

/**
 * DynamoDbNoticeStore against a real DynamoDB protocol (the embedded dynalite), held to the same contract as the
 * in-memory store the domain tests rely on. Each test gets a table of its own, since lists read a whole index.
 */
let dataDir: string;
let dynamodb: RunningService;
let client: DynamoDBClient;
let doc: DynamoDBDocumentClient;
let tables = 0;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'notice-store-contract-'));
  dynamodb = await startDynalite(join(dataDir, 'dynamodb'), 0);
  client = new DynamoDBClient({
    endpoint: dynamodb.endpoint,
    region: 'ap-southeast-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  // Configured as the Lambda dependencies configure it.
  doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
});

afterAll(async () => {
  client.destroy();
  await dynamodb.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describeNoticeStoreContract('DynamoDbNoticeStore', async () => {
  const tableName = `notice-store-contract-${++tables}`;
  await ensureTable(client, tableName);
  return new DynamoDbNoticeStore(doc, tableName);
});
