import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { INDEXES } from './notice-table-design';

/**
 * The few item operations the stores share: consistent reads, whole-partition queries (bounded partitions only:
 * a notice, a platform, the directory), and conditional puts that report a lost condition instead of throwing.
 */
export function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === 'ConditionalCheckFailedException')
  );
}

/**
 * A random value written with a conditional Put (`putIf`, a notice's event append) and kept out of what is read:
 * how a write recognises its own item when the SDK retries it after a lost answer, and tells it apart from a
 * twin written by another request with the same content in the same millisecond.
 */
export const WRITE_TOKEN = 'writeToken';

/** An item without its table keys (and its write token). */
export function withoutTableKeys<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, [WRITE_TOKEN]: _token, ...rest } = item;
  return rest as T;
}

export class ItemTable {
  constructor(
    readonly doc: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /**
   * Items waiting in one queue of the sparse pending-projection index (notice-table-design.ts) since before
   * `before`: `<since>#…` sorts after `<since>`, so the bound `<before>~` takes in work due at exactly `before` too.
   * Eventually consistent on AWS: an item just queued may be missed by one run (the next finds it), and one just
   * finished may still be listed (the caller reads it consistently and finds nothing to do).
   */
  async pendingBefore(
    queue: string,
    before: string,
    limit: number,
    attributes: readonly string[],
  ): Promise<Record<string, unknown>[]> {
    const index = INDEXES.pendingProjection;
    const { Items = [] } = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.indexName,
        KeyConditionExpression: '#queue = :queue AND #since < :bound',
        ExpressionAttributeNames: {
          '#queue': index.partitionKey,
          '#since': index.sortKey,
          ...Object.fromEntries(attributes.map((a, n) => [`#a${n}`, a])),
        },
        ExpressionAttributeValues: { ':queue': queue, ':bound': `${before}~` },
        ProjectionExpression: [...attributes.map((_, n) => `#a${n}`), '#since'].join(', '),
        Limit: limit,
      }),
    );
    return Items;
  }

  async get<T>(key: { pk: string; sk: string }): Promise<T | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return Item ? withoutTableKeys<T>(Item) : undefined;
  }

  /** Every item of partition `pk` whose sort key starts with `prefix`, in sort-key order. */
  async queryAll<T>(pk: string, prefix: string): Promise<T[]> {
    const items: T[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) items.push(withoutTableKeys<T>(item));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /**
   * Puts `item` if `condition` holds; false (not an error) when it does not — unless the item in place is this very
   * write: the SDK retries a Put whose answer was lost (a dropped connection, a timeout; lambdas/config/sdk-clients.ts),
   * and the retry then fails the condition its own first attempt falsified. The write token tells the two apart.
   */
  async putIf(item: Record<string, unknown>, condition: string, values?: Record<string, unknown>): Promise<boolean> {
    const token = randomUUID();
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...item, [WRITE_TOKEN]: token },
          ConditionExpression: condition,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return this.holdsWrite({ pk: item.pk, sk: item.sk }, token);
    }
  }

  /** Whether the item at `key` is the one written with `token` (read consistently). */
  async holdsWrite(key: Record<string, unknown>, token: string): Promise<boolean> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: key,
        ConsistentRead: true,
        ProjectionExpression: '#token',
        ExpressionAttributeNames: { '#token': WRITE_TOKEN },
      }),
    );
    return Item?.[WRITE_TOKEN] === token;
  }
}
