import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { compactVerify, createLocalJWKSet } from 'jose';
import { DynamoDbCheckpointStore } from '../../lambdas/adapters/dynamodb-checkpoint-store';
import { DynamoDbSigningKeyStore } from '../../lambdas/adapters/dynamodb-signing-key-store';
import { FileReceiptSigner } from '../../lambdas/adapters/receipt-signers';
import { canonicalJson } from '../../lambdas/domain/canonical-json';
import {
  type CheckpointRecord,
  type InclusionProof,
  verifyAgainstCheckpoint,
  verifyCheckpointChain,
} from '../../lambdas/domain/checkpoint';
import { CheckpointRunner } from '../../lambdas/domain/checkpoint-runner';
import { noticeChain, platformKeysChain, verifyDirectoryChain } from '../../lambdas/domain/directory-chain';
import { GENESIS_HASH, hashEvent, type NoticeEvent, sealEvent } from '../../lambdas/domain/notice-event';
import { SIGNATURE_TYPES } from '../../lambdas/domain/signature-types';
import { SigningKeyService } from '../../lambdas/domain/signing-key-service';
import { defined } from '../support/defined';
import { type Harness, startHarness, transparencyDraft } from './support/portal-harness';

/**
 * Signed checkpoints against the real local portal (embedded dynalite): changed chains are committed by one signed
 * checkpoint whose proofs verify; a run with nothing new writes nothing; a run that crashes between any two steps
 * is finished by the next; concurrent runs make one checkpoint per sequence number and lose no marker; and a
 * rewrite of a covered event fails verification against a later checkpoint.
 */
let h: Harness;
let doc: DynamoDBDocumentClient;
let store: DynamoDbCheckpointStore;
let signer: FileReceiptSigner;

beforeAll(async () => {
  h = await startHarness();
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: h.portal.dynamodbEndpoint }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  store = new DynamoDbCheckpointStore(doc, h.portal.tableName);
  // The portal's own regulator key (the local key file), signing under the checkpoint typ.
  signer = new FileReceiptSigner(join(h.dataDir, 'receipt-key.json'), SIGNATURE_TYPES.checkpoint.header);
});
afterAll(async () => {
  doc.destroy();
  await h.stop();
});

const runCheckpoint = async () => {
  const response = await h.anonymous().post('/dev/checkpoints/run');
  expect(response.status).toBe(200);
  return response.body as { created: { seq: number; hash: string }[]; cleared: number; lost: boolean };
};
const runner = (over: Partial<DynamoDbCheckpointStore> = {}) =>
  new CheckpointRunner({ store: Object.assign(Object.create(store), over), signer, clock: () => new Date() });

async function issuedNotice(): Promise<string> {
  const draft = await h.as('officer').post('/notices', transparencyDraft('x-corp'));
  expect((await h.as('officer').post(`/notices/${draft.body.id}/issue`)).status).toBe(200);
  return draft.body.id;
}
async function history(id: string): Promise<NoticeEvent[]> {
  return (await h.as('officer').get(`/notices/${id}/history`)).body.items;
}
async function proofsOf(id: string, as = 'officer'): Promise<InclusionProof[]> {
  const response = await h.as(as).get(`/notices/${id}/checkpoint-proofs`);
  expect(response.status).toBe(200);
  return response.body.proofs;
}
async function checkpoints(from: number, to: number): Promise<CheckpointRecord[]> {
  const out: CheckpointRecord[] = [];
  for (let seq = from; seq <= to; seq++) out.push((await h.anonymous().get(`/checkpoints/${seq}`)).body);
  return out;
}
const recompute = (event: NoticeEvent) => {
  const { hash: _hash, ...rest } = event;
  return hashEvent(rest);
};
async function pendingFor(chain: string) {
  return (await store.pendingMarkers()).filter((m) => m.chain === chain);
}

describe('signed checkpoints', () => {
  it('has no checkpoint to show before the first run', async () => {
    expect((await h.anonymous().get('/checkpoints/latest')).status).toBe(404);
    expect((await h.anonymous().get('/checkpoints/1')).status).toBe(404);
    expect((await h.anonymous().get('/checkpoints/nope')).status).toBe(400);
    // Digits only: an exponent or a sign is not another way of writing a checkpoint number.
    for (const odd of ['1e0', '+1', '01', '0x1']) {
      const refused = await h.anonymous().get(`/checkpoints/${odd}`);
      expect({ odd, status: refused.status, path: refused.body.error.issues[0].path }).toEqual({
        odd,
        status: 400,
        path: 'path.seq',
      });
    }
  });

  it('commits the changed notices in one signed checkpoint whose proofs verify; a second run writes nothing', async () => {
    // Prepare
    const first = await issuedNotice();
    const second = await issuedNotice();
    await h.as('x-corp-legal').post(`/notices/${second}/acknowledge`);

    // Act
    const report = await runCheckpoint();

    // Assess
    expect(report.created).toHaveLength(1);
    const latest = (await h.anonymous().get('/checkpoints/latest')).body as CheckpointRecord;
    expect(latest).toEqual((await h.anonymous().get(`/checkpoints/${latest.seq}`)).body);
    expect(Object.keys(latest).sort()).toEqual(['hash', 'jws', 'payload', 'seq']);
    expect(verifyCheckpointChain([latest])).toEqual({ valid: true });
    const keys = (await h.anonymous().get('/.well-known/receipt-keys.json')).body;
    const verified = await compactVerify(latest.jws, createLocalJWKSet(keys));
    expect(verified.protectedHeader.typ).toBe('nrp-checkpoint+jws');
    expect(new TextDecoder().decode(verified.payload)).toBe(canonicalJson(latest.payload));

    for (const id of [first, second]) {
      const events = await history(id);
      const [proof] = await proofsOf(id, 'x-corp-legal');
      expect(proof).toMatchObject({ checkpointSeq: latest.seq, seq: events.length, head: events.at(-1)?.hash });
      const trusted = { seq: latest.seq, hash: latest.hash };
      const verdict = verifyAgainstCheckpoint({
        chain: noticeChain(id),
        events,
        recomputeHash: recompute,
        proof: defined(proof, 'the proof'),
        checkpoints: [latest],
        trusted,
      });
      expect(verdict).toEqual({ valid: true });
      expect(await pendingFor(noticeChain(id))).toEqual([]);
    }
    // Another platform's users see the proofs no more than the notice.
    expect((await h.as('videoshare-legal').get(`/notices/${first}/checkpoint-proofs`)).status).toBe(404);

    // Act: nothing changed since.
    const again = await runCheckpoint();

    // Assess
    expect(again).toEqual({ created: [], cleared: 0, lost: false });
    expect((await h.anonymous().get('/checkpoints/latest')).body).toEqual(latest);
  });

  it('keeps the marker of every event out of the event itself (history is exactly what is hashed)', async () => {
    const id = await issuedNotice();
    const events = await history(id);
    for (const event of events) expect(event).not.toHaveProperty('checkpointKey');
    expect(await pendingFor(noticeChain(id))).toHaveLength(2);
    await runCheckpoint();
  });

  it.each([
    ['before any proof', 'putProof', 0],
    ['after one proof', 'putProof', 1],
    ['before it is marked complete', 'completeCheckpoint', 0],
    ['after one marker is cleared', 'clearMarker', 1],
  ] as const)('finishes a run that crashed %s, consistently', async (_when, method, succeed) => {
    // Prepare
    const ids = [await issuedNotice(), await issuedNotice()];
    let calls = 0;
    const original = store[method].bind(store) as (...args: unknown[]) => Promise<unknown>;
    const crashing = runner({
      [method]: async (...args: unknown[]) => {
        if (calls++ >= succeed) throw new Error('crashed');
        return original(...args);
      },
    });
    await expect(crashing.run()).rejects.toThrow('crashed');
    const before = await store.newestCheckpoint();

    // Act
    const report = await runCheckpoint();

    // Assess: the same checkpoint, now complete, every proof, no marker left, no second checkpoint.
    expect(report.created).toEqual([]);
    const latest = (await h.anonymous().get('/checkpoints/latest')).body as CheckpointRecord;
    expect(latest.seq).toBe(before?.seq);
    for (const id of ids) {
      const proofs = await proofsOf(id);
      expect(proofs.map((p) => p.checkpointSeq)).toEqual([latest.seq]);
      expect(await pendingFor(noticeChain(id))).toEqual([]);
    }
  });

  it('lets one of two concurrent runs make each checkpoint and loses no marker', async () => {
    // Prepare
    const ids = [await issuedNotice(), await issuedNotice(), await issuedNotice()];
    const before = (await store.latest())?.seq ?? 0;

    // Both runs read the newest checkpoint before either stores the next, so both sign the same sequence number.
    let arrived = 0;
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const together = {
      newestCheckpoint: async () => {
        const newest = await store.newestCheckpoint();
        if (++arrived === 2) release();
        await gate;
        return newest;
      },
    };

    // Act
    const reports = await Promise.all([runner(together).run(), runner(together).run()]);

    // Assess
    const created = reports.flatMap((r) => r.created.map((c) => c.seq));
    expect(created).toHaveLength(1);
    expect(reports.map((r) => r.lost).sort()).toEqual([false, true]);
    const after = defined(await store.latest(), 'the latest checkpoint');
    expect(verifyCheckpointChain(await checkpoints(Math.max(before, 1), after.seq))).toEqual({ valid: true });
    for (const id of ids) {
      expect(await proofsOf(id)).toHaveLength(1);
      expect(await pendingFor(noticeChain(id))).toEqual([]);
    }
  });

  it('detects a covered event rewritten in the table, with every hash recomputed, against a later checkpoint', async () => {
    // Prepare: checkpoint A covers the notice; it changes and checkpoint B (the one a verifier trusts) follows.
    const id = await issuedNotice();
    await runCheckpoint();
    await h.as('x-corp-legal').post(`/notices/${id}/acknowledge`);
    await runCheckpoint();
    const proofs = await proofsOf(id);
    const [atA] = proofs;
    const trustedRecord = (await h.anonymous().get('/checkpoints/latest')).body as CheckpointRecord;
    const trusted = { seq: trustedRecord.seq, hash: trustedRecord.hash };
    const chainFrom = await checkpoints(defined(atA, 'proof A').checkpointSeq, trusted.seq);
    const verify = (events: NoticeEvent[]) =>
      verifyAgainstCheckpoint({
        chain: noticeChain(id),
        events,
        recomputeHash: recompute,
        proof: defined(atA, 'proof A'),
        checkpoints: chainFrom,
        trusted,
      });
    expect(verify(await history(id))).toEqual({ valid: true });

    // Act: whoever runs the table rewrites the issued event's reason and re-seals the whole chain.
    const original = await history(id);
    let prevHash = GENESIS_HASH;
    for (const event of original) {
      const { hash: _h, prevHash: _p, seq, noticeId, ...rest } = event;
      const changed = seq === 2 ? { ...rest, reason: 'issued later than it was' } : rest;
      const resealed = sealEvent(noticeId, seq, prevHash, changed as never);
      prevHash = resealed.hash;
      await doc.send(
        new PutCommand({
          TableName: h.portal.tableName,
          Item: { ...resealed, pk: `NOTICE#${id}`, sk: `EVENT#${String(seq).padStart(6, '0')}` },
        }),
      );
    }

    // Assess: the history is a consistent chain again, but not the one the checkpoints committed to.
    const rewritten = await history(id);
    expect(rewritten[1]?.reason).toBe('issued later than it was');
    expect(verify(rewritten)).toMatchObject({ valid: false });
    // Removing or reordering is caught the same way.
    expect(verify(original.slice(1)).valid).toBe(false);
    expect(verify([original[1], original[0], ...original.slice(2)] as NoticeEvent[]).valid).toBe(false);
  });
});

describe('the platform key log', () => {
  const publicJwk = () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    return publicKey.export({ format: 'jwk' });
  };

  it('chains each registration and revocation, checkpointed like a notice', async () => {
    // Prepare
    const admin = h.as('admin');
    const registered = await admin.post('/platforms/videoshare/signing-keys', { jwk: publicJwk(), label: 'log test' });
    expect(registered.status).toBe(201);
    const kid = registered.body.kid as string;
    expect(registered.body).not.toHaveProperty('pendingProjection');
    expect((await admin.post(`/platforms/videoshare/signing-keys/${kid}/revoke`, { reason: 'rotated' })).status).toBe(
      200,
    );

    // Act
    await runCheckpoint();

    // Assess
    const keyStore = new DynamoDbSigningKeyStore(doc, h.portal.tableName);
    const log = await keyStore.platformKeyLog('videoshare');
    expect(verifyDirectoryChain(log)).toEqual({ valid: true });
    expect(log.filter((e) => (e.data as { kid?: string }).kid === kid).map((e) => e.kind)).toEqual([
      'key-registered',
      'key-revoked',
    ]);
    expect(await keyStore.pendingKeyLogs('9999', 100)).toEqual([]);
    const [proof] = (await store.proofs(platformKeysChain('videoshare'))).slice(-1);
    expect(proof).toMatchObject({ seq: log.length, head: log.at(-1)?.hash });
    const keys = (await admin.get('/platforms/videoshare/signing-keys')).body.items;
    for (const key of keys) expect(key).not.toHaveProperty('pendingSince');
  });

  it('logs, in projection repair, a key change whose log event a crash never wrote', async () => {
    // Prepare: the key record is committed (with its pending mark) and the process dies before the log event.
    const keyStore = new DynamoDbSigningKeyStore(doc, h.portal.tableName);
    const kid = `crash-${Date.now()}`;
    await keyStore.createKey({
      kid,
      platformId: 'x-corp',
      alg: 'EdDSA',
      jwk: { kty: 'OKP', crv: 'Ed25519', x: 'AAAA' },
      validFrom: '2026-01-01T00:00:00.000Z',
      registeredAt: '2026-01-01T00:00:00.000Z',
      registeredBy: { subject: 'admin', role: 'regulator-admin' },
    });
    expect(await keyStore.pendingKeyLogs('9999', 100)).toContainEqual({ platformId: 'x-corp', kid });
    const service = new SigningKeyService({ keys: keyStore, keyLog: keyStore, clock: () => new Date() });

    // Act
    const repaired = await service.repairKeyLogs({ olderThanMs: 60_000, limit: 100 });

    // Assess
    expect(repaired).toContain(`x-corp/${kid}`);
    const log = await keyStore.platformKeyLog('x-corp');
    expect(verifyDirectoryChain(log)).toEqual({ valid: true });
    expect(log.at(-1)).toMatchObject({ kind: 'key-registered', data: { kid } });
    expect(await keyStore.pendingKeyLogs('9999', 100)).toEqual([]);
    const pending = await doc.send(
      new QueryCommand({
        TableName: h.portal.tableName,
        IndexName: 'checkpoint-pending',
        KeyConditionExpression: 'checkpointQueue = :cp',
        ExpressionAttributeValues: { ':cp': 'CP' },
      }),
    );
    // The index carries the keys and the hash; the chain and sequence number are in the marker.
    const marker = `#${platformKeysChain('x-corp')}#${String(log.length).padStart(10, '0')}`;
    expect(pending.Items?.some((i) => i.pk === 'PLATFORM#x-corp' && String(i.checkpointKey).endsWith(marker))).toBe(
      true,
    );
  });
});
