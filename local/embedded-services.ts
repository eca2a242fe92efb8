import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadBucketCommand, PutBucketCorsCommand, S3Client } from '@aws-sdk/client-s3';
import { ALL_INDEXES, TABLE_KEYS } from '../lambdas/adapters/notice-table-design';
import { addMissingIndexes, indexSpecification, waitUntilActive } from './table-indexes';

/**
 * The embedded, real-protocol AWS services of the local portal: dynalite (DynamoDB API, LevelDB on disk) and
 * s3rver (S3 API, files on disk). Both are reached through the SDK's standard endpoint variables, exactly as any
 * other implementation would be.
 */
export interface RunningService {
  endpoint: string;
  stop(): Promise<void>;
}

// Both servers ship without type declarations.
// biome-ignore lint/suspicious/noExplicitAny: untyped CommonJS modules
type Untyped = any;

export async function startDynalite(directory: string, port: number): Promise<RunningService> {
  mkdirSync(directory, { recursive: true });
  const dynalite: Untyped = require('dynalite');
  // Tables become ACTIVE at once: the local portal must be ready in seconds, not wait for a simulated delay.
  const server: Server = dynalite({ path: directory, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${actualPort}`,
    stop: () => closeServer(server),
  };
}

export async function startS3rver(
  directory: string,
  port: number,
  buckets: string[],
  /** Receives s3rver's S3-style event for every write, as an S3 notification would on AWS. */
  onEvent?: (event: unknown) => void,
): Promise<RunningService> {
  mkdirSync(directory, { recursive: true });
  const S3rver: Untyped = require('s3rver');
  const s3rver = new S3rver({
    address: '127.0.0.1',
    port,
    directory,
    silent: true,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  if (onEvent) s3rver.on('event', onEvent);
  const address: AddressInfo = await s3rver.run();
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    stop: async () => {
      s3rver.httpServer?.closeAllConnections?.();
      await s3rver.close();
    },
  };
}

async function closeServer(server: Server): Promise<void> {
  // SDK clients keep connections alive; without this, close() would wait for them to time out.
  server.closeAllConnections?.();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/**
 * Creates the notice table from the shared design if it does not exist yet, and gives an existing one any index
 * the design gained since (local/table-indexes.ts); safe to run on every start.
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  /** Where a rebuild that adds indexes on dynalite keeps its backup until it is done. @default the temp folder */
  rebuildBackupFile: string = join(tmpdir(), `${tableName}-rebuild.json`),
): Promise<'created' | 'exists' | 'indexes-added'> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    return createTable(client, tableName);
  }
  const added = await addMissingIndexes(client, tableName, () => createTable(client, tableName), rebuildBackupFile);
  return added.length > 0 ? 'indexes-added' : 'exists';
}

async function createTable(client: DynamoDBClient, tableName: string): Promise<'created' | 'exists'> {
  const keyNames = new Set<string>([
    TABLE_KEYS.partitionKey,
    TABLE_KEYS.sortKey,
    ...ALL_INDEXES.flatMap((i) => [i.partitionKey, i.sortKey]),
  ]);
  const attributes: AttributeDefinition[] = [...keyNames].map((name) => ({ AttributeName: name, AttributeType: 'S' }));
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributes,
        KeySchema: [
          { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: ALL_INDEXES.map(indexSpecification),
      }),
    );
  } catch (error) {
    if (error instanceof ResourceInUseException) return 'exists';
    throw error;
  }
  // Even with no simulated delay a new table is CREATING for a moment; writes before ACTIVE are refused.
  await waitUntilActive(client, tableName);
  return 'created';
}

export async function ensureBucket(client: S3Client, bucket: string): Promise<void> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  }
}

/**
 * The response bucket's CORS rule, as the CDK app sets it on AWS: browsers on the portal's origin (only) may PUT
 * their files straight to the bucket with the signed checksum header, and read the ETag (multipart completion)
 * and version id back. A PUT of the whole configuration, so running it on every start is idempotent.
 */
export async function ensureBucketCors(client: S3Client, bucket: string, portalOrigin: string): Promise<void> {
  await client.send(
    new PutBucketCorsCommand({
      Bucket: bucket,
      CORSConfiguration: {
        CORSRules: [
          {
            AllowedOrigins: [portalOrigin],
            AllowedMethods: ['PUT', 'GET', 'HEAD'],
            AllowedHeaders: ['content-type', 'x-amz-checksum-sha256', 'x-amz-*'],
            ExposeHeaders: ['ETag', 'x-amz-version-id'],
            MaxAgeSeconds: 3000,
          },
        ],
      },
    }),
  );
}

export function dataPaths(dataDir: string) {
  return {
    dynamodb: join(dataDir, 'dynamodb'),
    /** The items of a table being rebuilt to gain an index (local/table-indexes.ts), until the rebuild is done. */
    tableRebuild: join(dataDir, 'dynamodb-rebuild.json'),
    s3: join(dataDir, 's3'),
    identityKey: join(dataDir, 'dev-identity-key.json'),
    outbox: join(dataDir, 'outbox'),
    receiptKey: join(dataDir, 'receipt-key.json'),
    devUsers: join(dataDir, 'dev-users.json'),
    tokenKey: join(dataDir, 'token-key.json'),
    /** The OIDC refresh tokens' hashes (local/dev-oidc-refresh-tokens.ts). */
    refreshTokens: join(dataDir, 'dev-refresh-tokens.json'),
    /** The development clock's offset (POST /dev/clock), so a restart never moves time back. */
    clock: join(dataDir, 'clock.json'),
  };
}

export { DynamoDBClient, S3Client };
