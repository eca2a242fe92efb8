import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbNoticeStore } from '../../lambdas/adapters/dynamodb-notice-store';
import type { Caller } from '../../lambdas/domain/caller';
import { NO_HOLIDAYS } from '../../lambdas/domain/deadline-engine';
import { newNoticeId, noticeIdForIdempotencyKey } from '../../lambdas/domain/ids';
import { DEFAULT_CATALOGUE } from '../../lambdas/domain/notice-catalogue';
import { NoticeService } from '../../lambdas/domain/notice-service';
import { type Harness, startHarness, transparencyDraft } from './support/portal-harness';

/**
 * A crash between committing an event and writing the notice's projection must lose nothing: the event is the
 * record; reads rebuild the state from it, and the repair job brings the list indexes up to date.
 */
let h: Harness;
let doc: DynamoDBDocumentClient;
beforeAll(async () => {
  h = await startHarness();
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: h.portal.dynamodbEndpoint }), {
    marshallOptions: { removeUndefinedValues: true },
  });
});
afterAll(async () => {
  doc.destroy();
  await h.stop();
});

const xCorpResponder: Caller = { subject: 'crash-test', roles: ['platform-responder'], platformId: 'x-corp' };

/** A store whose process "dies" right after the commit point: every projection write fails. */
function crashingService(): NoticeService {
  const crashing = {
    send: (command: unknown) => {
      if (command instanceof PutCommand && command.input.Item?.sk === 'NOTICE') {
        return Promise.reject(new Error('process crashed before projecting'));
      }
      return doc.send(command as PutCommand);
    },
  } as unknown as DynamoDBDocumentClient;
  return new NoticeService({
    store: new DynamoDbNoticeStore(crashing, h.portal.tableName),
    catalogue: DEFAULT_CATALOGUE,
    defaultTimeZone: 'Australia/Sydney',
    defaultJurisdiction: { country: 'AU', state: 'NSW' },
    holidaysFor: () => NO_HOLIDAYS,
    clock: () => new Date(),
    newNoticeId: () => newNoticeId(),
    noticeIdForIdempotencyKey,
  });
}

async function issued(): Promise<string> {
  const draft = await h.as('officer').post('/notices', transparencyDraft('x-corp'));
  await h.as('officer').post(`/notices/${draft.body.id}/issue`);
  return draft.body.id;
}

async function idsWithStatus(status: string): Promise<string[]> {
  const list = await h.as('officer').get(`/notices?status=${status}&limit=100`);
  return list.body.items.map((n: { id: string }) => n.id);
}

it('shows a committed change on the next read even though its projection was never written', async () => {
  const id = await issued();
  await expect(crashingService().acknowledge(xCorpResponder, id)).rejects.toThrow('process crashed');

  const read = await h.as('officer').get(`/notices/${id}`);

  expect(read.body).toMatchObject({ status: 'acknowledged', version: 3 });
  expect(await idsWithStatus('acknowledged')).toContain(id);
});

it('repairs the list indexes from the event log without any read of the notice', async () => {
  const id = await issued();
  await expect(crashingService().acknowledge(xCorpResponder, id)).rejects.toThrow('process crashed');
  const staleAcknowledged = await idsWithStatus('acknowledged');
  const later = new DynamoDbNoticeStore(doc, h.portal.tableName, () => new Date(Date.now() + 120_000));

  const result = await later.repair({ olderThanMs: 60_000, limit: 100 });

  expect(staleAcknowledged).not.toContain(id);
  expect(result.repaired).toContain(id);
  expect(await idsWithStatus('acknowledged')).toContain(id);
  expect(await idsWithStatus('issued')).not.toContain(id);
  expect((await later.repair({ olderThanMs: 60_000, limit: 100 })).repaired).not.toContain(id);
});

it('rejects the racing writer, not the record, when the commit point is already taken', async () => {
  const id = await issued();
  const store = new DynamoDbNoticeStore(doc, h.portal.tableName);
  const notice = await store.load(id);
  const service = crashingService();
  await expect(service.acknowledge(xCorpResponder, id)).rejects.toThrow('process crashed');

  // A second writer that loaded the notice before the first one committed now tries to commit the same seq.
  const stale = { ...notice!, status: 'acknowledged' as const };
  const events = await h.as('officer').get(`/notices/${id}/history`);
  const seq3 = events.body.items[2];

  await expect(store.append({ ...seq3, actor: { ...seq3.actor, subject: 'other' } }, stale)).rejects.toMatchObject({
    reason: 'concurrent-update',
  });
});

it('gives projections written before pendingExtensionCount existed that attribute, so the extension filter finds them', async () => {
  // Prepare: a notice with an extension request, its projection stripped back to how older code wrote it, and the
  // backfill pass not yet run on this table.
  const id = await issued();
  const asked = await h.as('x-corp-legal').post(`/notices/${id}/extensions`, {
    requestedDueAt: new Date(Date.now() + 200 * 86_400_000).toISOString(),
    reason: 'The data warehouse is being migrated.',
  });
  expect(asked.status).toBe(201);
  const key = { pk: `NOTICE#${id}`, sk: 'NOTICE' };
  await doc.send(
    new UpdateCommand({ TableName: h.portal.tableName, Key: key, UpdateExpression: 'REMOVE pendingExtensionCount' }),
  );
  const marker = { pk: 'BACKFILL#derived-list-attributes', sk: 'REVISION#1' };
  await doc.send(new DeleteCommand({ TableName: h.portal.tableName, Key: marker }));
  const missed = await h.as('officer').get('/notices?extension=requested&limit=100');

  // Act
  const result = await new DynamoDbNoticeStore(doc, h.portal.tableName).repair({ olderThanMs: 60_000, limit: 100 });
  const found = await h.as('officer').get('/notices?extension=requested&limit=100');
  const { Item: after } = await doc.send(new GetCommand({ TableName: h.portal.tableName, Key: key }));
  const { Item: done } = await doc.send(new GetCommand({ TableName: h.portal.tableName, Key: marker }));

  // Assess
  expect(missed.body.items.map((n: { id: string }) => n.id)).not.toContain(id);
  expect(result.backfilled).toEqual([id]);
  expect(after?.pendingExtensionCount).toBe(1);
  expect(found.body.items.map((n: { id: string }) => n.id)).toContain(id);
  expect(done?.done).toBe(true);
});
