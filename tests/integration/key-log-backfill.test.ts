import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbBackfillProgress } from '../../lambdas/adapters/dynamodb-backfill-progress';
import { DynamoDbCheckpointStore } from '../../lambdas/adapters/dynamodb-checkpoint-store';
import { DynamoDbDirectoryStore } from '../../lambdas/adapters/dynamodb-directory-store';
import { DynamoDbSigningKeyStore } from '../../lambdas/adapters/dynamodb-signing-key-store';
import { platformKeysFromLog } from '../../lambdas/domain/bundle-verification-keys';
import { CheckLog } from '../../lambdas/domain/bundle-verification-report';
import { type DirectoryEvent, platformKeysChain, verifyDirectoryChain } from '../../lambdas/domain/directory-chain';
import { KeyLogBackfill } from '../../lambdas/domain/key-log-backfill';
import { keyUnusableAt, type SigningKey } from '../../lambdas/domain/signing-keys';
import { generatePlatformKey, registeredKey } from '../support/signing-key-fixtures';
import { type Harness, startHarness } from './support/portal-harness';

/**
 * Keys registered before the platform key log existed (written by older code: a key record, no log event, no
 * pending mark) are logged by the projection-repair job's backfill, against the real local portal (embedded
 * dynalite): the log then verifies, covers every key, is checkpointed like any other change, and gives the bundle
 * verifier the keys; a second run appends nothing.
 */
let h: Harness;
let doc: DynamoDBDocumentClient;
let keyStore: DynamoDbSigningKeyStore;
type RepairReport = {
  keyLogBackfill: { appended: string[]; platforms: number; done: boolean; stalledAt?: string };
};
let repair: () => Promise<RepairReport>;

beforeAll(async () => {
  h = await startHarness();
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: h.portal.dynamodbEndpoint }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  keyStore = new DynamoDbSigningKeyStore(doc, h.portal.tableName);
  // The job's own handler, loaded once the portal has put the environment it reads in place (as the local
  // portal's interval does).
  repair = ((await import('../../lambdas/handlers/repair-projections')) as { handler: () => Promise<RepairReport> })
    .handler;
});
afterAll(async () => {
  doc.destroy();
  await h.stop();
});

const MARKER = { pk: 'BACKFILL#platform-key-logs', sk: 'REVISION#1' };
const resetMarker = () => doc.send(new DeleteCommand({ TableName: h.portal.tableName, Key: MARKER }));

async function newPlatform(platformId: string): Promise<void> {
  const response = await h.as('admin').post('/platforms', {
    platformId,
    legalName: `${platformId} Pty Ltd`,
    jurisdiction: { country: 'AU' },
    contacts: [`notices@${platformId}.example`],
  });
  expect(response.status).toBe(201);
}

/** A key record exactly as the code before the key log wrote it: claim and record, no log, no pending mark. */
async function writeTheOldWay(key: SigningKey): Promise<void> {
  await doc.send(
    new PutCommand({
      TableName: h.portal.tableName,
      Item: {
        pk: `KEYCLAIM#${key.kid}`,
        sk: 'KEYCLAIM',
        kid: key.kid,
        platformId: key.platformId,
        claimedAt: key.registeredAt,
        claimedBy: key.registeredBy,
      },
    }),
  );
  await doc.send(
    new PutCommand({
      TableName: h.portal.tableName,
      Item: { pk: `PLATFORM#${key.platformId}`, sk: `KEY#${key.kid}`, ...key },
    }),
  );
}

async function oldKey(platformId: string, registeredAt: string, revokedAt?: string): Promise<SigningKey> {
  const pair = await generatePlatformKey('EdDSA');
  const key = registeredKey(pair, { registeredAt, validFrom: registeredAt }, platformId);
  const record: SigningKey = revokedAt
    ? {
        ...key,
        revokedAt,
        revocationEffectiveAt: revokedAt,
        revokedBy: { subject: 'sub-admin', role: 'regulator-admin' },
        revocationReason: 'rotated before the key log existed',
      }
    : key;
  await writeTheOldWay(record);
  return record;
}

const logged = (log: readonly DirectoryEvent[], kind: string, kid: string) =>
  log.filter((e) => e.kind === kind && (e.data as { kid?: string }).kid === kid).length;

describe('the platform key-log backfill', () => {
  it('logs keys registered before the key log existed, so the log verifies, covers every key and is checkpointed', async () => {
    // Prepare: two old keys (one revoked), then a key registered through the API, which the log records already.
    const platformId = `backfill-${Date.now().toString(36)}`;
    await newPlatform(platformId);
    const first = await oldKey(platformId, '2025-03-01T00:00:00.000Z');
    const rotated = await oldKey(platformId, '2025-01-01T00:00:00.000Z', '2025-06-01T00:00:00.000Z');
    const current = await generatePlatformKey('ES256');
    const registered = await h
      .as('admin')
      .post(`/platforms/${platformId}/signing-keys`, { jwk: current.publicJwk, label: 'after the upgrade' });
    expect(registered.status).toBe(201);
    const before = await keyStore.platformKeyLog(platformId);
    await resetMarker();
    const startedAt = new Date().toISOString();

    // Act
    const result = await repair();
    const log = await keyStore.platformKeyLog(platformId);
    const again = await repair();
    await resetMarker();
    const rerun = await repair();
    const checkpoint = await h.anonymous().post('/dev/checkpoints/run');

    // Assess: the log verifies and covers every key, in registration order after what it had.
    expect(before.map((e) => e.kind)).toEqual(['key-registered']);
    expect(verifyDirectoryChain(log)).toEqual({ valid: true });
    expect(log.slice(0, 1)).toEqual(before);
    expect(log.slice(1).map((e) => `${e.kind} ${(e.data as { kid: string }).kid}`)).toEqual([
      `key-registered ${rotated.kid}`,
      `key-revoked ${rotated.kid}`,
      `key-registered ${first.kid}`,
    ]);
    for (const key of await keyStore.listKeys(platformId)) {
      expect(logged(log, 'key-registered', key.kid)).toBe(1);
      expect(logged(log, 'key-revoked', key.kid)).toBe(key.revokedAt ? 1 : 0);
    }
    expect(result.keyLogBackfill.appended).toEqual(
      expect.arrayContaining([`${platformId}/2`, `${platformId}/3`, `${platformId}/4`]),
    );
    expect(result.keyLogBackfill.done).toBe(true);
    // Logged now, with the record's own times in the data.
    for (const event of log.slice(1)) expect(event.at >= startedAt).toBe(true);
    expect(log[1]?.data).toMatchObject({ registeredAt: '2025-01-01T00:00:00.000Z', validFrom: rotated.validFrom });
    expect(log[2]?.data).toMatchObject({ revokedAt: '2025-06-01T00:00:00.000Z' });
    // A second run appends nothing; nor does a whole new pass over the same table.
    expect(again.keyLogBackfill).toEqual({ appended: [], platforms: 0, done: true });
    expect(rerun.keyLogBackfill.appended).toEqual([]);
    expect(await keyStore.platformKeyLog(platformId)).toEqual(log);
    // The backfilled events are checkpointed like any change: the chain's newest proof names the head.
    expect(checkpoint.status).toBe(200);
    const proofs = await new DynamoDbCheckpointStore(doc, h.portal.tableName).proofs(platformKeysChain(platformId));
    expect(proofs.at(-1)).toMatchObject({ seq: log.length, head: log.at(-1)?.hash });
  });

  it('gives the bundle verifier the old keys with their windows', async () => {
    // Prepare
    const platformId = `verified-${Date.now().toString(36)}`;
    await newPlatform(platformId);
    const rotated = await oldKey(platformId, '2025-01-01T00:00:00.000Z', '2025-06-01T00:00:00.000Z');
    const kept = await oldKey(platformId, '2025-05-01T00:00:00.000Z');
    await resetMarker();
    await repair();
    const checks = new CheckLog();

    // Act
    const keys = await platformKeysFromLog(platformId, await keyStore.platformKeyLog(platformId), checks);

    // Assess
    expect(checks.failedAny('platform-key-validity')).toBe(false);
    const fromLog = (kid: string) => keys?.get(kid) as SigningKey;
    expect(keyUnusableAt(fromLog(rotated.kid), '2025-03-01T00:00:00.000Z')).toBeUndefined();
    expect(keyUnusableAt(fromLog(rotated.kid), '2025-07-01T00:00:00.000Z')).toBeDefined();
    expect(keyUnusableAt(fromLog(kept.kid), '2025-07-01T00:00:00.000Z')).toBeUndefined();
  });

  it('resumes from its cursor a page at a time, and two concurrent passes log each change once', async () => {
    // Prepare: three platforms of old keys; a backfill of its own revision, so the marker is fresh.
    const stamp = Date.now().toString(36);
    const platforms = [`page-a-${stamp}`, `page-b-${stamp}`, `page-c-${stamp}`];
    for (const p of platforms) {
      await newPlatform(p);
      await oldKey(p, '2025-02-01T00:00:00.000Z');
      await oldKey(p, '2025-01-01T00:00:00.000Z', '2025-04-01T00:00:00.000Z');
    }
    const backfill = () =>
      new KeyLogBackfill({
        platforms: new DynamoDbDirectoryStore(doc, h.portal.tableName),
        keys: keyStore,
        keyLog: keyStore,
        progress: new DynamoDbBackfillProgress(doc, h.portal.tableName, `key-log-test-${stamp}`),
        clock: () => new Date(),
      });
    const marker = () =>
      doc.send(
        new GetCommand({
          TableName: h.portal.tableName,
          Key: { pk: `BACKFILL#key-log-test-${stamp}`, sk: 'REVISION#1' },
        }),
      );

    // Act: two passes racing, each a platform a run, until both are done.
    const runs = [backfill(), backfill()];
    const seen: string[][] = [];
    for (let round = 0; round < 100; round++) {
      const results = await Promise.all(runs.map((r) => r.run({ limit: 1 })));
      seen.push(...results.map((r) => r.platforms));
      if (results.every((r) => r.done)) break;
    }
    const { Item } = await marker();

    // Assess
    expect(Item).toMatchObject({ done: true });
    expect(seen.flat()).toEqual(expect.arrayContaining(platforms));
    for (const p of platforms) {
      const log = await keyStore.platformKeyLog(p);
      expect(verifyDirectoryChain(log)).toEqual({ valid: true });
      expect(log.map((e) => e.kind)).toEqual(['key-registered', 'key-revoked', 'key-registered']);
    }
  });
});
