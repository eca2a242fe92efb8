import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BundleRef, EvidenceBundleRecord, EvidenceBundleStore } from '../domain/evidence-bundle';
import { ItemTable } from './dynamodb-items';
import { INDEXES, PENDING_BUNDLE_BUILD } from './notice-table-design';

/**
 * Evidence bundle records live in their notice's partition (`NOTICE#<id>` / `BUNDLE#<bid>`, outside the
 * EVENT#…NOTICE range the notice is read from). While a bundle is `building` its item carries the sparse
 * pending-projection keys `BUNDLE` / `<leaseUntil>#<notice>#<bundle>`, so the sweep finds builds whose lease ended
 * with a Query, never a Scan. Every write is a whole-item Put conditional on the version read, so the write that
 * finishes a build is the one that removes its mark.
 */
const bundleKey = (noticeId: string, bundleId: string) => ({ pk: `NOTICE#${noticeId}`, sk: `BUNDLE#${bundleId}` });

const PENDING_INDEX = INDEXES.pendingProjection;

function bundleItem(record: EvidenceBundleRecord): Record<string, unknown> {
  const pending = record.status === 'building' && record.leaseUntil;
  return {
    ...record,
    ...bundleKey(record.noticeId, record.bundleId),
    ...(pending && {
      [PENDING_INDEX.partitionKey]: PENDING_BUNDLE_BUILD,
      [PENDING_INDEX.sortKey]: `${record.leaseUntil}#${record.noticeId}#${record.bundleId}`,
    }),
  };
}

function fromItem(item: Record<string, unknown> | undefined): EvidenceBundleRecord | undefined {
  if (!item) return undefined;
  const { [PENDING_INDEX.partitionKey]: _queue, [PENDING_INDEX.sortKey]: _since, ...record } = item;
  return record as unknown as EvidenceBundleRecord;
}

export class DynamoDbEvidenceBundleStore implements EvidenceBundleStore {
  private readonly table: ItemTable;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.table = new ItemTable(doc, tableName);
  }

  async getBundle(noticeId: string, bundleId: string): Promise<EvidenceBundleRecord | undefined> {
    return fromItem(await this.table.get<Record<string, unknown>>(bundleKey(noticeId, bundleId)));
  }

  createBundle(record: EvidenceBundleRecord): Promise<boolean> {
    return this.table.putIf(bundleItem(record), 'attribute_not_exists(pk)');
  }

  replaceBundle(record: EvidenceBundleRecord, expectedVersion: number): Promise<boolean> {
    return this.table.putIf(bundleItem(record), 'version = :expected', { ':expected': expectedVersion });
  }

  async listExpiredBuilds(before: string, limit: number): Promise<BundleRef[]> {
    const items = await this.table.pendingBefore(PENDING_BUNDLE_BUILD, before, limit, ['noticeId', 'bundleId']);
    return items.map((item) => ({ noticeId: item.noticeId as string, bundleId: item.bundleId as string }));
  }
}
