import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SigningKeyStore } from '../domain/signing-key-store';
import type { KeyClaim, SigningKey } from '../domain/signing-keys';
import { ItemTable } from './dynamodb-items';

/**
 * Signing keys live in their platform's partition (`PLATFORM#<id>` / `KEY#<kid>`), each after a claim on the key
 * itself (`KEYCLAIM#<kid>`) that names the one platform it may belong to. Every change is a conditional write on
 * a state, so two writers never both succeed.
 */
const keyKey = (platformId: string, kid: string) => ({ pk: `PLATFORM#${platformId}`, sk: `KEY#${kid}` });
/** One item per public key, whatever the platform: the uniqueness of a key across platforms, without a Scan. */
const claimKey = (kid: string) => ({ pk: `KEYCLAIM#${kid}`, sk: 'KEYCLAIM' });

export class DynamoDbSigningKeyStore implements SigningKeyStore {
  private readonly table: ItemTable;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.table = new ItemTable(doc, tableName);
  }

  getKey(platformId: string, kid: string): Promise<SigningKey | undefined> {
    return this.table.get<SigningKey>(keyKey(platformId, kid));
  }

  async claimKey(claim: KeyClaim): Promise<KeyClaim> {
    if (await this.table.putIf({ ...claim, ...claimKey(claim.kid) }, 'attribute_not_exists(pk)')) return claim;
    const stored = await this.table.get<KeyClaim>(claimKey(claim.kid));
    // A claim is never deleted, so a failed condition means one is there to read.
    if (!stored) throw new Error(`The claim on key ${claim.kid} could not be written or read.`);
    return stored;
  }

  createKey(key: SigningKey): Promise<boolean> {
    return this.table.putIf({ ...key, ...keyKey(key.platformId, key.kid) }, 'attribute_not_exists(pk)');
  }

  replaceKey(key: SigningKey): Promise<boolean> {
    return this.table.putIf(
      { ...key, ...keyKey(key.platformId, key.kid) },
      'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
    );
  }

  async listKeys(platformId: string): Promise<SigningKey[]> {
    const keys = await this.table.queryAll<SigningKey>(`PLATFORM#${platformId}`, 'KEY#');
    return keys.sort((a, b) => a.validFrom.localeCompare(b.validFrom));
  }
}
