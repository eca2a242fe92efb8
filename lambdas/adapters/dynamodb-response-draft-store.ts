import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ResponseDraft } from '../domain/response-draft';
import type { ResponseDraftStore } from '../domain/response-draft-store';
import { ItemTable } from './dynamodb-items';

/**
 * The response draft lives in its notice's partition (`NOTICE#<id>` / `RESPONSE_DRAFT`, after the EVENT#…NOTICE
 * range the notice is read from, so no notice read meets it). It is one item replaced whole: a save is a Put
 * conditional on the version it was made from, which keeps two users of the platform from overwriting each
 * other's work unseen.
 */
const draftKey = (noticeId: string) => ({ pk: `NOTICE#${noticeId}`, sk: 'RESPONSE_DRAFT' });

export class DynamoDbResponseDraftStore implements ResponseDraftStore {
  private readonly table: ItemTable;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.table = new ItemTable(doc, tableName);
  }

  getResponseDraft(noticeId: string): Promise<ResponseDraft | undefined> {
    return this.table.get<ResponseDraft>(draftKey(noticeId));
  }

  putResponseDraft(draft: ResponseDraft, expectedVersion: number): Promise<boolean> {
    const item = { ...draft, ...draftKey(draft.noticeId) };
    // Version 0 is the draft nobody has saved: there must be no item yet.
    return expectedVersion === 0
      ? this.table.putIf(item, 'attribute_not_exists(pk)')
      : this.table.putIf(item, 'version = :expected', { ':expected': expectedVersion });
  }
}
