import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { pollUntil } from '../support/poll';
import { assertRecordsConsistent, checkRecords, type RecordStore } from '../support/record-invariants';
import { type Harness, startHarness, transparencyDraft } from './support/portal-harness';
import { type Call, finalizePath, openAndUpload, registeredSigner, signedFinalize } from './support/response-filing';

/**
 * The record oracle (tests/support/record-invariants.ts) against a real local portal: a record made only through
 * the API is consistent, and each kind of damage a fault could leave behind is reported, naming the record.
 */
let h: Harness;
let store: RecordStore;
let doc: DynamoDBDocumentClient;
let s3: S3Client;
const filed: { noticeId: string; submissionId: string }[] = [];
const issuedIds: string[] = [];

const call: Call = async (user, method, path, body) =>
  method === 'GET' ? h.as(user).get(path) : h.as(user).post(path, body);

const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const region = 'ap-southeast-2';

beforeAll(async () => {
  h = await startHarness();
  const { portal } = h;
  store = {
    tableName: portal.tableName,
    dynamodbEndpoint: portal.dynamodbEndpoint,
    s3Endpoint: portal.s3Endpoint,
    bucket: portal.bucketName,
    outboxDir: join(h.dataDir, 'outbox'),
  };
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: portal.dynamodbEndpoint, region, credentials }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  s3 = new S3Client({ endpoint: portal.s3Endpoint, region, credentials, forcePathStyle: true });

  // A record made through the API alone: issued and acknowledged notices, a filed response, a reminder, a merge.
  for (let i = 0; i < 4; i++) {
    const draft = await call(
      'officer',
      'POST',
      '/notices',
      transparencyDraft('x-corp', { contacts: ['legal@x-corp.example'] }),
    );
    expect((await call('officer', 'POST', `/notices/${draft.body.id}/issue`)).status).toBe(200);
    issuedIds.push(draft.body.id);
  }
  expect((await call('x-corp-legal', 'POST', `/notices/${issuedIds[0]}/acknowledge`)).status).toBe(200);
  const signer = await registeredSigner(call);
  for (let i = 0; i < 2; i++) {
    const opened = await openAndUpload(call, [{ name: 'answer.pdf', bytes: Buffer.from(`the answer ${i}`) }]);
    const portalNow = new Date((await h.anonymous().get('/dev/clock')).body.now);
    const done = await call(
      'x-corp-legal',
      'POST',
      finalizePath(opened),
      await signedFinalize(opened, signer, portalNow),
    );
    expect(done.status).toBe(200);
    filed.push({ noticeId: opened.noticeId, submissionId: opened.submissionId });
  }
  expect((await h.anonymous().post('/dev/clock', { days: 27 })).status).toBe(200);
  const run = await h.anonymous().post('/dev/reminders/run');
  expect(run.status).toBe(200);
  expect(run.body.sent.length).toBeGreaterThan(0);
  for (const platformId of ['old-corp', 'new-corp']) {
    const created = await call('admin', 'POST', '/platforms', {
      platformId,
      legalName: `${platformId} Pty Ltd`,
      jurisdiction: { country: 'AU' },
      contacts: [`legal@${platformId}.example`],
    });
    expect(created.status).toBe(201);
  }
  const merged = await call('admin', 'POST', '/platforms/old-corp/merge', { into: 'new-corp', reason: 'Acquired.' });
  expect(merged.status).toBe(200);
}, 120_000);

afterAll(async () => {
  doc?.destroy();
  s3?.destroy();
  await h?.stop();
});

const key = (noticeId: string, sk: string) => ({ TableName: store.tableName, Key: { pk: `NOTICE#${noticeId}`, sk } });
const problemsOf = async (noticeId: string, settled = true) =>
  (await checkRecords(store, { noticeIds: [noticeId], settled })).problems;

describe('assertRecordsConsistent', () => {
  it('finds a record made through the API alone consistent, and says what it read', async () => {
    const summary = await assertRecordsConsistent(store);

    expect(summary.notices).toBeGreaterThanOrEqual(6);
    expect(summary.submissions.filed).toBe(2);
    expect(summary.filedObjects).toBe(2);
    expect(summary.remindersRecorded).toBeGreaterThan(0);
    expect(summary.platforms).toBe(4);
    expect(summary).toMatchObject({ pendingProjections: 0, pendingVerifications: 0, halfMerges: 0, problems: [] });
  });

  it('reports a projection that is not the fold of its events, and the status lists that follow from it', async () => {
    const id = issuedIds[1] as string;
    const { Item } = await doc.send(new GetCommand(key(id, 'NOTICE')));
    await doc.send(
      new PutCommand({ TableName: store.tableName, Item: { ...Item, status: 'closed', statusKey: 'S#closed' } }),
    );

    const problems = await problemsOf(id);

    expect(problems.some((p) => p.includes('projection differs from the fold'))).toBe(true);
    expect(problems.some((p) => p.includes('statusKey is S#closed, its state implies S#issued'))).toBe(true);
    expect(problems.some((p) => p.includes('listed by status under ["S#closed"]'))).toBe(true);
  });

  it('allows a projection behind its log only until the repair runs, and only if the repair can find it', async () => {
    const id = issuedIds[2] as string;
    const { Item: projection } = await doc.send(new GetCommand(key(id, 'NOTICE')));
    const last = Number(projection?.version);
    const lastSk = `EVENT#${String(last).padStart(6, '0')}`;
    const { Item } = await doc.send(new GetCommand(key(id, lastSk)));
    // As after a crash between the commit of the last event and its projection: the projection is one behind.
    await doc.send(
      new UpdateCommand({
        ...key(id, 'NOTICE'),
        UpdateExpression: 'SET version = :behind',
        ExpressionAttributeValues: { ':behind': last - 1 },
      }),
    );
    await doc.send(
      new PutCommand({
        TableName: store.tableName,
        Item: { ...Item, pendingProjection: 'PENDING', pendingSince: `${Item?.at}#${id}#${last}` },
      }),
    );
    const marked = { unsettled: await problemsOf(id, false), settled: await problemsOf(id, true) };
    await doc.send(
      new UpdateCommand({ ...key(id, lastSk), UpdateExpression: 'REMOVE pendingProjection, pendingSince' }),
    );
    const unmarked = await problemsOf(id, false);

    expect(marked.unsettled).toEqual([]);
    expect(marked.settled).toEqual([
      `${id}: events ${last} still await their projection`,
      `${id}: projection at version ${last - 1} of ${last} events`,
    ]);
    expect(unmarked).toEqual([
      `${id}: projection at version ${last - 1} of ${last} events (events ${last} unmarked: repair cannot find them)`,
    ]);
  });

  it('reports a lost event, a broken chain and a projection ahead of its log', async () => {
    const id = issuedIds[3] as string;
    const { Item: projection } = await doc.send(new GetCommand(key(id, 'NOTICE')));
    const version = Number(projection?.version);
    await doc.send(new DeleteCommand(key(id, 'EVENT#000002')));

    const problems = await problemsOf(id);

    expect(problems).toEqual(
      expect.arrayContaining([
        `${id}: hash chain broken at event 3: expected event 2`,
        `${id}: projection at version ${version} but only ${version - 1} events`,
      ]),
    );
  });

  it('reports a filed submission without its receipt, and a stored file whose bytes are not the recorded ones', async () => {
    const [first, second] = filed as [(typeof filed)[0], (typeof filed)[0]];
    const { Item } = await doc.send(new GetCommand(key(first.noticeId, `SUBMISSION#${first.submissionId}`)));
    await doc.send(new PutCommand({ TableName: store.tableName, Item: { ...Item, receipt: undefined } }));
    const { Item: other } = await doc.send(new GetCommand(key(second.noticeId, `SUBMISSION#${second.submissionId}`)));
    const file = other?.files[0];
    await s3.send(
      new PutObjectCommand({ Bucket: store.bucket, Key: file.key, Body: 'other bytes', ChecksumAlgorithm: 'SHA256' }),
    );

    const receiptless = await problemsOf(first.noticeId);
    const replaced = await problemsOf(second.noticeId);

    expect(receiptless).toContain(`${first.noticeId}: submission ${first.submissionId}: status filed but no receipt`);
    expect(replaced.join('\n')).toContain(`submission ${second.submissionId}: file 0 is stored as`);
  });

  it('reports a finalizing submission that the pending-verification job could never find', async () => {
    const opened = await openAndUpload(call, [{ name: 'late.pdf', bytes: Buffer.from('late') }]);
    // The upload's S3 event has the hasher read the submission; let it finish before the damage below.
    await pollUntil(
      async () => (await doc.send(new GetCommand(key(opened.noticeId, `SUBMISSION#${opened.submissionId}`)))).Item,
      (item) => Boolean(item?.files[0].sha256),
    );
    const { Item } = await doc.send(new GetCommand(key(opened.noticeId, `SUBMISSION#${opened.submissionId}`)));
    await doc.send(
      new PutCommand({
        TableName: store.tableName,
        Item: {
          ...Item,
          status: 'finalizing',
          finalize: {
            requestedAt: new Date().toISOString(),
            manifest: {},
            signature: '',
            manifestSha256: '0'.repeat(64),
            kid: 'k',
          },
        },
      }),
    );

    expect(await problemsOf(opened.noticeId)).toEqual([
      `${opened.noticeId}: submission ${opened.submissionId}: is owed work but not marked for pending verification`,
    ]);
  });

  it('reports a half-finished platform merge once the record should have settled, and a merge its successor lost', async () => {
    const { Item: successor } = await doc.send(
      new GetCommand({ TableName: store.tableName, Key: { pk: 'PLATFORMS', sk: 'PLATFORM#new-corp' } }),
    );
    const { Item: mergedOne } = await doc.send(
      new GetCommand({ TableName: store.tableName, Key: { pk: 'PLATFORMS', sk: 'PLATFORM#old-corp' } }),
    );
    await doc.send(
      new PutCommand({
        TableName: store.tableName,
        Item: { ...mergedOne, status: 'active', mergedInto: undefined, provenance: mergedOne?.provenance.slice(0, -1) },
      }),
    );
    const half = await checkRecords(store, { noticeIds: [], settled: true });
    const halfUnsettled = await checkRecords(store, { noticeIds: [], settled: false });
    await doc.send(new PutCommand({ TableName: store.tableName, Item: mergedOne }));
    await doc.send(new PutCommand({ TableName: store.tableName, Item: { ...successor, predecessors: [] } }));
    const lost = await checkRecords(store, { noticeIds: [] });
    await doc.send(new PutCommand({ TableName: store.tableName, Item: successor }));

    expect(half.problems).toEqual(['platform new-corp absorbed old-corp, which is not marked merged into it']);
    expect(halfUnsettled).toMatchObject({ halfMerges: 1, problems: [] });
    expect(lost.problems).toEqual([
      'platform old-corp is merged into new-corp, which does not list it as a predecessor',
    ]);
  });
});
