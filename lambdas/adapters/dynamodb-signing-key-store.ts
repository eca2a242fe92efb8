import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type DirectoryEvent, DirectoryEventSchema, platformKeysChain } from '../domain/directory-chain';
import type { KeyLogStore } from '../domain/key-log-store';
import type { SigningKeyStore } from '../domain/signing-key-store';
import type { KeyClaim, SigningKey } from '../domain/signing-keys';
import { keyLogSk } from './chain-items';
import { checkpointMarker } from './checkpoint-marker';
import { ItemTable, isConditionFailure } from './dynamodb-items';
import { INDEXES } from './notice-table-design';

/**
 * Signing keys live in their platform's partition (`PLATFORM#<id>` / `KEY#<kid>`), each after a claim on the key
 * itself (`KEYCLAIM#<kid>`) that names the one platform it may belong to. Every change is a conditional write on
 * a state, so two writers never both succeed.
 *
 * The platform's key log (chain `platform-keys:<p>`) is in the same partition at `KEYLOG#<seq 10>`, each event
 * with its checkpoint-pending marker. Every write of a key record carries the sparse pending-projection keys
 * `KEYLOG` / `<at>#<platform>#<kid>` until the log records the change, so projection repair finds (with a Query)
 * any change a crash left unlogged.
 */
const keyKey = (platformId: string, kid: string) => ({ pk: `PLATFORM#${platformId}`, sk: `KEY#${kid}` });
/** One item per public key, whatever the platform: the uniqueness of a key across platforms, without a Scan. */
const claimKey = (kid: string) => ({ pk: `KEYCLAIM#${kid}`, sk: 'KEYCLAIM' });
const PENDING = INDEXES.pendingProjection;
/** The pending-projection partition of key changes not yet in their platform's key log. */
export const PENDING_KEY_LOG = 'KEYLOG';
const MARKER = INDEXES.checkpointPending;

function keyItem(key: SigningKey): Record<string, unknown> {
  const at = key.revokedAt ?? key.registeredAt;
  return {
    ...key,
    ...keyKey(key.platformId, key.kid),
    [PENDING.partitionKey]: PENDING_KEY_LOG,
    [PENDING.sortKey]: `${at}#${key.platformId}#${key.kid}`,
  };
}

/** A key record without the pending mark, which is no part of the key. */
function keyOf(item: Record<string, unknown> | undefined): SigningKey | undefined {
  if (!item) return undefined;
  const { [PENDING.partitionKey]: _queue, [PENDING.sortKey]: _since, ...key } = item;
  return key as unknown as SigningKey;
}

/** A stored log event, exactly as hashed: without its table keys or checkpoint marker. */
function logEventOf(item: Record<string, unknown>): DirectoryEvent {
  const { [MARKER.partitionKey]: _queue, [MARKER.sortKey]: _key, ...event } = item;
  const parsed = DirectoryEventSchema.safeParse(event);
  if (!parsed.success)
    throw new Error(`Stored key-log event ${String(event.chain)} ${String(event.seq)} is malformed.`);
  return parsed.data;
}

export class DynamoDbSigningKeyStore implements SigningKeyStore, KeyLogStore {
  private readonly table: ItemTable;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.table = new ItemTable(doc, tableName);
  }

  async getKey(platformId: string, kid: string): Promise<SigningKey | undefined> {
    return keyOf(await this.table.get<Record<string, unknown>>(keyKey(platformId, kid)));
  }

  async claimKey(claim: KeyClaim): Promise<KeyClaim> {
    if (await this.table.putIf({ ...claim, ...claimKey(claim.kid) }, 'attribute_not_exists(pk)')) return claim;
    const stored = await this.table.get<KeyClaim>(claimKey(claim.kid));
    // A claim is never deleted, so a failed condition means one is there to read.
    if (!stored) throw new Error(`The claim on key ${claim.kid} could not be written or read.`);
    return stored;
  }

  createKey(key: SigningKey): Promise<boolean> {
    return this.table.putIf(keyItem(key), 'attribute_not_exists(pk)');
  }

  replaceKey(key: SigningKey): Promise<boolean> {
    return this.table.putIf(keyItem(key), 'attribute_exists(pk) AND attribute_not_exists(revokedAt)');
  }

  async listKeys(platformId: string): Promise<SigningKey[]> {
    const items = await this.table.queryAll<Record<string, unknown>>(`PLATFORM#${platformId}`, 'KEY#');
    return items.map((item) => keyOf(item) as SigningKey).sort((a, b) => a.validFrom.localeCompare(b.validFrom));
  }

  async platformKeyLog(platformId: string): Promise<DirectoryEvent[]> {
    const items = await this.table.queryAll<Record<string, unknown>>(`PLATFORM#${platformId}`, 'KEYLOG#');
    return items.map(logEventOf);
  }

  appendKeyLog(platformId: string, event: DirectoryEvent): Promise<boolean> {
    if (event.chain !== platformKeysChain(platformId))
      throw new Error(`Event of ${event.chain} is not ${platformId}'s`);
    return this.table.putIf(
      {
        ...event,
        pk: `PLATFORM#${platformId}`,
        sk: keyLogSk(event.seq),
        // The event is its own checkpoint-pending marker, as a notice event is.
        ...checkpointMarker(event.chain, event.seq, event.at),
      },
      'attribute_not_exists(pk)',
    );
  }

  async keyLogDone(logged: SigningKey): Promise<void> {
    try {
      await this.table.doc.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: keyKey(logged.platformId, logged.kid),
          UpdateExpression: 'REMOVE #queue, #since',
          // Only while the record is in the state logged: a revocation written since keeps its mark.
          ConditionExpression: logged.revokedAt
            ? 'revokedAt = :revokedAt'
            : 'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
          ExpressionAttributeNames: { '#queue': PENDING.partitionKey, '#since': PENDING.sortKey },
          ExpressionAttributeValues: logged.revokedAt ? { ':revokedAt': logged.revokedAt } : undefined,
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async pendingKeyLogs(before: string, limit: number): Promise<{ platformId: string; kid: string }[]> {
    const { Items = [] } = await this.table.doc.send(
      new QueryCommand({
        TableName: this.table.tableName,
        IndexName: PENDING.indexName,
        KeyConditionExpression: '#queue = :queue AND #since < :before',
        ExpressionAttributeNames: { '#queue': PENDING.partitionKey, '#since': PENDING.sortKey },
        ExpressionAttributeValues: { ':queue': PENDING_KEY_LOG, ':before': before },
        Limit: limit,
      }),
    );
    return Items.map((item) => ({ platformId: String(item.platformId), kid: String(item.kid) }));
  }
}
