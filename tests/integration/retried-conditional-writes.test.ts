import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbCheckpointStore } from '../../lambdas/adapters/dynamodb-checkpoint-store';
import { documentClient, dynamoDbClient } from '../../lambdas/adapters/dynamodb-client';
import { ItemTable } from '../../lambdas/adapters/dynamodb-items';
import { DynamoDbNoticeStore } from '../../lambdas/adapters/dynamodb-notice-store';
import { Conflict } from '../../lambdas/domain/errors';
import { newNoticeId } from '../../lambdas/domain/ids';
import { GENESIS_HASH, sealEvent } from '../../lambdas/domain/notice-event';
import { applyEvent } from '../../lambdas/domain/notice-lifecycle';
import { ensureTable } from '../../local/embedded-services';
import {
  type FaultedStorage,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  startFaultedStorage,
} from '../support/faults/faulted-storage';
import { noticeInStatus } from '../support/notice-fixtures';

/**
 * Regression (issue 14, faults): the SDK retries a write whose answer was lost — the connection dropped after the
 * store applied it, or the answer came after the request timeout — and the retry then fails the very condition
 * its own first attempt falsified. The stores answered that as a conflict: a transition the client was told had
 * failed (409) was recorded; a submission change reported as lost to another writer had been made. A conditional
 * write now recognises its own item by a write token, and still refuses a twin written by another request.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const TABLE = 'retried-writes-test';

let storage: FaultedStorage;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  storage = await startFaultedStorage();
  const local = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const direct = dynamoDbClient({ ...local, endpoint: storage.direct.dynamodb });
  await ensureTable(direct, TABLE);
  direct.destroy();
  // Through the proxy, with the portal's retry settings.
  doc = documentClient({ ...local, endpoint: storage.dynamodb.endpoint });
});

afterEach(() => storage.dynamodb.clear());

afterAll(async () => {
  doc?.destroy();
  await storage?.stop();
});

const actor = { subject: 'sub-officer', role: 'regulator-officer' as const };

function createdEvent() {
  const { id, status, version, createdAt, createdBy, updatedAt, lastEventHash, extensions, ...content } =
    noticeInStatus('draft');
  const at = new Date().toISOString();
  const event = sealEvent(newNoticeId(new Date(at)), 1, GENESIS_HASH, { kind: 'created', at, actor, data: content });
  return { event, notice: applyEvent(undefined, event) };
}

describe('a conditional write retried after its answer was lost', () => {
  it.each(['drop-after', 'reset-mid-response'] as const)(
    'appends a notice event once and reports success, not a conflict with itself (%s)',
    async (kind) => {
      const store = new DynamoDbNoticeStore(doc, TABLE);
      const { event, notice } = createdEvent();
      storage.dynamodb.inject({
        match: (r) => r.operation === 'PutItem' && r.detail?.sk === 'EVENT#000001',
        action: { kind },
      });

      await store.append(event, notice);

      const eventPuts = storage.dynamodb.requests.filter((r) => r.detail?.sk === 'EVENT#000001');
      expect(eventPuts.map((r) => r.operation)).toEqual(['PutItem', 'PutItem', 'GetItem', 'UpdateItem']);
      expect(await store.load(notice.id)).toEqual(notice);
      expect((await store.history(notice.id, { limit: 10 })).items).toEqual([event]);
    },
  );

  it('still refuses the same event appended by another request', async () => {
    const store = new DynamoDbNoticeStore(doc, TABLE);
    const { event, notice } = createdEvent();
    await store.append(event, notice);

    await expect(store.append(event, notice)).rejects.toBeInstanceOf(Conflict);
  });

  it('claims a reminder once and reports it claimed, not busy with its own claim; another run is refused', async () => {
    const store = new DynamoDbNoticeStore(doc, TABLE);
    const { event, notice } = createdEvent();
    await store.append(event, notice);
    storage.dynamodb.inject({
      match: (r) => r.operation === 'PutItem' && String(r.detail?.sk).startsWith('CLAIM#'),
      action: { kind: 'drop-after' },
    });
    const now = new Date();

    const claim = await store.claimReminder(notice.id, 'rem_1', 'run-1', now, 300_000);
    const other = await store.claimReminder(notice.id, 'rem_1', 'run-2', now, 300_000);

    expect({ claim, other }).toEqual({ claim: 'claimed', other: 'busy' });
  });

  it('puts an item once and reports it written; a twin from another writer is refused', async () => {
    const table = new ItemTable(doc, TABLE);
    const item = { pk: `SUBMISSION-TEST#${Date.now()}`, sk: 'ITEM', version: 2 };
    storage.dynamodb.inject({
      match: (r) => r.operation === 'PutItem' && r.detail?.pk === item.pk,
      action: { kind: 'drop-after' },
    });

    const first = await table.putIf(item, 'attribute_not_exists(pk)');
    const twin = await table.putIf(item, 'attribute_not_exists(pk)');

    expect({ first, twin }).toEqual({ first: true, twin: false });
    expect(await table.get({ pk: item.pk, sk: item.sk })).toEqual({ version: 2 });
  });

  it('stores a checkpoint once and reports it stored, not lost to another run; another run is refused', async () => {
    const store = new DynamoDbCheckpointStore(doc, TABLE);
    const seq = (await store.newestCheckpoint())?.seq ?? 0;
    const checkpoint = (n: number, hash: string) => ({
      seq: n,
      hash,
      payload: { seq: n } as never,
      jws: `jws-${hash}`,
      status: 'proving' as const,
      leaves: [],
    });
    storage.dynamodb.inject({
      match: (r) => r.operation === 'PutItem' && String(r.detail?.sk).startsWith('CHECKPOINT#'),
      action: { kind: 'drop-after' },
    });

    // A false here made the run report `lost` and stop before its proofs, completion and markers.
    const stored = await store.createCheckpoint(checkpoint(seq + 1, 'mine'));
    const other = await store.createCheckpoint(checkpoint(seq + 1, 'another run'));

    expect({ stored, other }).toEqual({ stored: true, other: false });
    expect(await store.newestCheckpoint()).toEqual(checkpoint(seq + 1, 'mine'));
  });
});
