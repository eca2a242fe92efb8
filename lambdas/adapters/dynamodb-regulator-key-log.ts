import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type DirectoryEvent, DirectoryEventSchema, REGULATOR_KEYS_CHAIN } from '../domain/directory-chain';
import type { RegulatorKeyLog } from '../domain/regulator-key-log';
import { keyLogSk, REGULATOR_KEYS_PK } from './chain-items';
import { checkpointMarker } from './checkpoint-marker';
import { ItemTable } from './dynamodb-items';

/**
 * The regulator's key log in the notices table: partition `REGKEYS`, one item per event at `KEYLOG#<seq, 10
 * digits>` (so a Query returns the chain in order). Each event is put with `attribute_not_exists(pk)`: of two
 * processes activating at once, exactly one gets the seq. The item carries the checkpoint-pending marker until a
 * checkpoint covers it.
 */

export class DynamoDbRegulatorKeyLog implements RegulatorKeyLog {
  private readonly table: ItemTable;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.table = new ItemTable(doc, tableName);
  }

  async readLog(): Promise<DirectoryEvent[]> {
    const items = await this.table.queryAll<Record<string, unknown>>(REGULATOR_KEYS_PK, 'KEYLOG#');
    // The marker is table bookkeeping, not part of the event (nor of its hash).
    return items.map(({ checkpointQueue: _q, checkpointKey: _k, ...event }) => DirectoryEventSchema.parse(event));
  }

  append(event: DirectoryEvent): Promise<boolean> {
    if (event.chain !== REGULATOR_KEYS_CHAIN) throw new Error(`Not a regulator key event: chain ${event.chain}`);
    return this.table.putIf(
      {
        ...event,
        pk: REGULATOR_KEYS_PK,
        sk: keyLogSk(event.seq),
        ...checkpointMarker(event.chain, event.seq, event.at),
      },
      'attribute_not_exists(pk)',
    );
  }
}
