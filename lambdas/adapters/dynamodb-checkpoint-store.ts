import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { CheckpointRecord, InclusionProof, PendingCheckpoint } from '../domain/checkpoint';
import type { CheckpointReader } from '../domain/checkpoint-reader';
import type { CheckpointStore, PendingMarker } from '../domain/checkpoint-store';
import { chainEventKey, chainPartition, PROOF_PREFIX, proofSk } from './chain-items';
import { CHECKPOINT_QUEUE } from './checkpoint-marker';
import { ItemTable, isConditionFailure, withoutTableKeys } from './dynamodb-items';
import { INDEXES } from './notice-table-design';

/**
 * Checkpoints at `CHECKPOINT` / `CHECKPOINT#<seq 10>` (newest last, so the newest is one Query with Limit 1),
 * each chain's inclusion proofs in the chain's own partition (`PROOF#<checkpoint seq 10>`), and the pending
 * markers on the sparse checkpoint-pending index. Never a Scan: a run reads the markers (the events since the last
 * checkpoint), the newest checkpoint, and one proof per changed chain.
 */
const CHECKPOINT_PK = 'CHECKPOINT';
const CHECKPOINT_PREFIX = 'CHECKPOINT#';
const checkpointSk = (seq: number) => `${CHECKPOINT_PREFIX}${String(seq).padStart(10, '0')}`;
const MARKER = INDEXES.checkpointPending;
/** What a published record is read with: never the leaves. */
const RECORD_ATTRIBUTES = { '#seq': 'seq', '#hash': 'hash', '#payload': 'payload', '#jws': 'jws', '#status': 'status' };
const RECORD_PROJECTION = '#seq, #hash, #payload, #jws, #status';

/** `<at>#<chain>#<seq 10>`: the instant has no `#`, the sequence number is last, the chain is what is between. */
export function parseMarkerKey(key: string): { at: string; chain: string; seq: number } {
  const first = key.indexOf('#');
  const last = key.lastIndexOf('#');
  if (first < 0 || last <= first) throw new Error(`Malformed checkpoint marker ${key}`);
  return { at: key.slice(0, first), chain: key.slice(first + 1, last), seq: Number(key.slice(last + 1)) };
}

function recordOf(item: Record<string, unknown>): CheckpointRecord {
  return { seq: item.seq, hash: item.hash, payload: item.payload, jws: item.jws } as CheckpointRecord;
}

export class DynamoDbCheckpointStore implements CheckpointStore, CheckpointReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async pendingMarkers(): Promise<PendingMarker[]> {
    const markers: PendingMarker[] = [];
    await this.queryEach(
      {
        IndexName: MARKER.indexName,
        KeyConditionExpression: '#queue = :queue',
        ExpressionAttributeNames: { '#queue': MARKER.partitionKey },
        ExpressionAttributeValues: { ':queue': CHECKPOINT_QUEUE },
      },
      (item) => {
        const marker = String(item[MARKER.sortKey]);
        const { chain, seq } = parseMarkerKey(marker);
        markers.push({ chain, seq, head: String(item.hash), marker });
      },
    );
    return markers;
  }

  async newestCheckpoint(): Promise<PendingCheckpoint | undefined> {
    const { Items = [] } = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': CHECKPOINT_PK, ':prefix': CHECKPOINT_PREFIX },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const [item] = Items;
    return item ? withoutTableKeys<PendingCheckpoint>(item) : undefined;
  }

  async coveredSeq(chain: string): Promise<number> {
    const { Items = [] } = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': chainPartition(chain), ':prefix': PROOF_PREFIX },
        ProjectionExpression: '#seq',
        ExpressionAttributeNames: { '#seq': 'seq' },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    return (Items[0]?.seq as number | undefined) ?? 0;
  }

  async createCheckpoint(checkpoint: PendingCheckpoint): Promise<boolean> {
    return this.putIf({ ...checkpoint, pk: CHECKPOINT_PK, sk: checkpointSk(checkpoint.seq) });
  }

  async putProof(proof: InclusionProof): Promise<void> {
    await this.putIf({ ...proof, pk: chainPartition(proof.chain), sk: proofSk(proof.checkpointSeq) });
  }

  async completeCheckpoint(seq: number): Promise<void> {
    await this.updateIf({
      Key: { pk: CHECKPOINT_PK, sk: checkpointSk(seq) },
      UpdateExpression: 'SET #status = :complete REMOVE leaves',
      ConditionExpression: '#status = :proving',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':complete': 'complete', ':proving': 'proving' },
    });
  }

  clearMarker(marker: PendingMarker): Promise<boolean> {
    return this.updateIf({
      Key: chainEventKey(marker.chain, marker.seq),
      UpdateExpression: 'REMOVE #queue, #key',
      // Only this event's marker, and never an item created by the update itself.
      ConditionExpression: 'attribute_exists(pk) AND #key = :marker',
      ExpressionAttributeNames: { '#queue': MARKER.partitionKey, '#key': MARKER.sortKey },
      ExpressionAttributeValues: { ':marker': marker.marker },
    });
  }

  async latest(): Promise<CheckpointRecord | undefined> {
    // Only the newest can still be proving (a run finishes it before making another): two items suffice.
    const { Items = [] } = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': CHECKPOINT_PK, ':prefix': CHECKPOINT_PREFIX },
        ProjectionExpression: RECORD_PROJECTION,
        ExpressionAttributeNames: RECORD_ATTRIBUTES,
        ScanIndexForward: false,
        Limit: 2,
        ConsistentRead: true,
      }),
    );
    const complete = Items.find((item) => item.status === 'complete');
    return complete && recordOf(complete);
  }

  async get(seq: number): Promise<CheckpointRecord | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: CHECKPOINT_PK, sk: checkpointSk(seq) },
        ProjectionExpression: RECORD_PROJECTION,
        ExpressionAttributeNames: RECORD_ATTRIBUTES,
        ConsistentRead: true,
      }),
    );
    return Item?.status === 'complete' ? recordOf(Item) : undefined;
  }

  async range(fromSeq: number, toSeq: number): Promise<CheckpointRecord[]> {
    const records: CheckpointRecord[] = [];
    if (toSeq < fromSeq) return records;
    await this.queryEach(
      {
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': CHECKPOINT_PK, ':from': checkpointSk(fromSeq), ':to': checkpointSk(toSeq) },
        ProjectionExpression: RECORD_PROJECTION,
        ExpressionAttributeNames: RECORD_ATTRIBUTES,
        ConsistentRead: true,
      },
      (item) => {
        if (item.status === 'complete') records.push(recordOf(item));
      },
    );
    return records;
  }

  async proofs(chain: string): Promise<InclusionProof[]> {
    const proofs: InclusionProof[] = [];
    await this.queryEach(
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': chainPartition(chain), ':prefix': PROOF_PREFIX },
        ConsistentRead: true,
      },
      (item) => {
        const proof = withoutTableKeys<InclusionProof>(item);
        if (proof.chain === chain) proofs.push(proof);
      },
    );
    return proofs;
  }

  private async queryEach(
    input: Omit<QueryCommandInput, 'TableName'>,
    each: (item: Record<string, unknown>) => void,
  ): Promise<void> {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey: start }),
      );
      for (const item of page.Items ?? []) each(item);
      start = page.LastEvaluatedKey;
    } while (start);
  }

  /**
   * A put that no item may precede. Through `ItemTable.putIf`, so a put the SDK retried after its answer was lost
   * recognises its own item: otherwise a stored checkpoint reads as lost to another run, and the run stops before
   * its proofs, its completion and its markers (published only by the next run, a schedule period later).
   */
  private putIf(item: Record<string, unknown>): Promise<boolean> {
    return new ItemTable(this.doc, this.tableName).putIf(item, 'attribute_not_exists(pk)');
  }

  private async updateIf(input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>): Promise<boolean> {
    try {
      await this.doc.send(new UpdateCommand({ ...input, TableName: this.tableName }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
