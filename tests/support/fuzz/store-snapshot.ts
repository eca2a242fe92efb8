import { type AttributeValue, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { TABLE_KEYS } from '../../../lambdas/adapters/notice-table-design';
import type { RunningPortal } from '../../../local/portal';

/**
 * Test-only: everything the portal has stored — every table item and every object in the response bucket — as
 * a map from a stable key to its content, so two snapshots show exactly what a batch of requests
 * changed. A full Scan is fine on the small local table; the portal itself never scans.
 */
export type StoreSnapshot = Map<string, string>;

export interface StoreReader {
  snapshot(): Promise<StoreSnapshot>;
  destroy(): void;
}

export function storeReader(portal: RunningPortal): StoreReader {
  const dynamo = new DynamoDBClient({ endpoint: portal.dynamodbEndpoint });
  const s3 = new S3Client({ endpoint: portal.s3Endpoint, forcePathStyle: true });
  return {
    async snapshot() {
      const items = new Map<string, string>();
      let startKey: Record<string, AttributeValue> | undefined;
      do {
        const page = await dynamo.send(new ScanCommand({ TableName: portal.tableName, ExclusiveStartKey: startKey }));
        for (const item of page.Items ?? []) {
          const key = `table:${JSON.stringify(item[TABLE_KEYS.partitionKey])}|${JSON.stringify(item[TABLE_KEYS.sortKey])}`;
          items.set(key, canonical(item));
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      let token: string | undefined;
      do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: portal.bucketName, ContinuationToken: token }));
        for (const object of page.Contents ?? []) items.set(`bucket:${object.Key}`, `${object.ETag}:${object.Size}`);
        token = page.NextContinuationToken;
      } while (token);
      return items;
    },
    destroy() {
      dynamo.destroy();
      s3.destroy();
    },
  };
}

/** Keys added, removed or changed from `before` to `after`. */
export function changes(before: StoreSnapshot, after: StoreSnapshot): string[] {
  const changed: string[] = [];
  for (const [key, value] of after) {
    if (!before.has(key)) changed.push(`added ${key}`);
    else if (before.get(key) !== value) changed.push(`changed ${key}`);
  }
  for (const key of before.keys()) if (!after.has(key)) changed.push(`removed ${key}`);
  return changed;
}

/** The item as JSON independent of attribute order (kept whole, so a failure can say which attributes changed). */
function canonical(item: Record<string, AttributeValue>): string {
  return JSON.stringify(item, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v,
  );
}

/** For a changed table item: the attributes whose values differ, with their values before and after. */
export function attributeChanges(before: StoreSnapshot, after: StoreSnapshot, key: string): string {
  const parse = (s: string | undefined) => (s?.startsWith('{') ? (JSON.parse(s) as Record<string, unknown>) : {});
  const [a, b] = [parse(before.get(key)), parse(after.get(key))];
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return names
    .filter((n) => JSON.stringify(a[n]) !== JSON.stringify(b[n]))
    .map((n) => `${n}: ${JSON.stringify(a[n])?.slice(0, 80)} → ${JSON.stringify(b[n])?.slice(0, 80)}`)
    .join(', ');
}
