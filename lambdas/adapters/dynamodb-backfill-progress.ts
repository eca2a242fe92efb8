import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { BackfillProgress, BackfillProgressStore } from '../domain/key-log-backfill';
import { ItemTable, isConditionFailure } from './dynamodb-items';

/**
 * A backfill's progress in one marker item (`BACKFILL#<name>` / `REVISION#<n>`): the cursor it resumes from and
 * whether the pass is done, so a finished pass costs one GetItem a run. Runs may overlap (a slow run and the next
 * schedule, or the local interval), so the marker only moves forward: a Put conditional on the stored cursor
 * being behind, never a blind overwrite that could send a finished pass back to work.
 */
export class DynamoDbBackfillProgress implements BackfillProgressStore {
  private readonly table: ItemTable;
  private readonly key: { pk: string; sk: string };

  constructor(doc: DynamoDBDocumentClient, tableName: string, name: string, revision = 1) {
    this.table = new ItemTable(doc, tableName);
    this.key = { pk: `BACKFILL#${name}`, sk: `REVISION#${revision}` };
  }

  async read(): Promise<BackfillProgress | undefined> {
    const { Item } = await this.table.doc.send(
      new GetCommand({ TableName: this.table.tableName, Key: this.key, ConsistentRead: true }),
    );
    if (!Item) return undefined;
    return { done: Item.done === true, ...(typeof Item.after === 'string' ? { after: Item.after } : {}) };
  }

  async advance(progress: BackfillProgress): Promise<boolean> {
    const item = {
      ...this.key,
      done: progress.done,
      ...(progress.after !== undefined ? { after: progress.after } : {}),
    };
    // Cursors are platform ids, compared as the sort keys they come from (byte order, as DynamoDB compares them).
    const behind =
      progress.after === undefined
        ? 'attribute_not_exists(#after)'
        : '(attribute_not_exists(#after) OR #after <= :after)';
    try {
      await this.table.doc.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: item,
          ConditionExpression: `attribute_not_exists(pk) OR (#done = :false AND ${behind})`,
          // Both names are DynamoDB reserved words.
          ExpressionAttributeNames: { '#done': 'done', '#after': 'after' },
          ExpressionAttributeValues: {
            ':false': false,
            ...(progress.after !== undefined ? { ':after': progress.after } : {}),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
