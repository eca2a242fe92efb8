import { platformKeysFromLog } from '../../lambdas/domain/bundle-verification-keys';
import { CheckLog } from '../../lambdas/domain/bundle-verification-report';
import { type DirectoryEvent, verifyDirectoryChain } from '../../lambdas/domain/directory-chain';
import { keyChanges, missingKeyEvents, missingKeyLogEvents } from '../../lambdas/domain/key-log';
import {
  type BackfillProgress,
  type BackfillProgressStore,
  KeyLogBackfill,
  type PlatformIdPages,
} from '../../lambdas/domain/key-log-backfill';
import { keyUnusableAt, type SigningKey } from '../../lambdas/domain/signing-keys';
import { InMemoryKeyLogStore } from '../support/in-memory-key-log-store';
import { generatePlatformKey, registeredKey } from '../support/signing-key-fixtures';

const LOGGED_AT = '2026-12-01T09:00:00.000Z';
const admin = { subject: 'sub-admin', role: 'regulator-admin' as const };

/** A key record as older code wrote it: registered (maybe revoked) long before the key log existed. */
function oldKey(kid: string, registeredAt: string, overrides: Partial<SigningKey> = {}, platformId = 'x-corp') {
  return {
    kid,
    platformId,
    alg: 'EdDSA',
    jwk: { kty: 'OKP', crv: 'Ed25519', x: kid },
    validFrom: registeredAt,
    registeredAt,
    registeredBy: admin,
    ...overrides,
  } as SigningKey;
}
const revoked = (key: SigningKey, revokedAt: string, effectiveAt = revokedAt): SigningKey => ({
  ...key,
  revokedAt,
  revocationEffectiveAt: effectiveAt,
  revokedBy: admin,
  revocationReason: 'rotated',
});
const kinds = (events: readonly DirectoryEvent[]) => events.map((e) => `${e.kind} ${(e.data as { kid: string }).kid}`);

describe('missingKeyLogEvents', () => {
  it('logs every key of an empty log, oldest registration first, each revocation after its registration', () => {
    // Prepare
    const keys = [
      revoked(oldKey('kid-b', '2026-03-01T00:00:00.000Z'), '2026-06-01T00:00:00.000Z', '2026-05-20T00:00:00.000Z'),
      oldKey('kid-a', '2026-01-01T00:00:00.000Z'),
      oldKey('kid-c', '2026-08-01T00:00:00.000Z'),
    ];

    // Act
    const events = missingKeyLogEvents('x-corp', [], keys, LOGGED_AT);

    // Assess
    expect(kinds(events)).toEqual([
      'key-registered kid-a',
      'key-registered kid-b',
      'key-revoked kid-b',
      'key-registered kid-c',
    ]);
    expect(verifyDirectoryChain(events)).toEqual({ valid: true });
    expect(events.every((e) => e.chain === 'platform-keys:x-corp')).toBe(true);
  });

  it('records the key exactly as a new registration logs it, with `at` the time it is logged', () => {
    // Prepare
    const key = revoked(oldKey('kid-a', '2026-01-01T00:00:00.000Z', { label: 'old' }), '2026-02-01T00:00:00.000Z');
    const asRegistrationLogsIt = keyChanges(key);

    // Act
    const events = missingKeyLogEvents('x-corp', [], [key], LOGGED_AT);

    // Assess
    expect(events.map((e) => e.data)).toEqual(asRegistrationLogsIt.map((c) => c.data));
    expect(events.map((e) => e.actor)).toEqual(asRegistrationLogsIt.map((c) => c.actor));
    expect(events.map((e) => e.at)).toEqual([LOGGED_AT, LOGGED_AT]);
    // When the change was made and took effect stay in the record itself.
    expect(events[0]?.data).toMatchObject({ registeredAt: '2026-01-01T00:00:00.000Z', validFrom: key.validFrom });
    expect(events[1]?.data).toMatchObject({ revokedAt: '2026-02-01T00:00:00.000Z' });
  });

  it('orders keys registered at the same instant by kid, whatever order they are listed in', () => {
    // Prepare
    const at = '2026-01-01T00:00:00.000Z';
    const keys = [oldKey('kid-z', at), oldKey('kid-m', at), oldKey('kid-a', at)];

    // Act
    const forwards = missingKeyLogEvents('x-corp', [], keys, LOGGED_AT);
    const backwards = missingKeyLogEvents('x-corp', [], [...keys].reverse(), LOGGED_AT);

    // Assess
    expect(kinds(forwards)).toEqual(['key-registered kid-a', 'key-registered kid-m', 'key-registered kid-z']);
    expect(backwards).toEqual(forwards);
  });

  it('appends after the events the log already has, and never a second event of a kind for a kid', () => {
    // Prepare: a key logged by the portal since the log exists, and one old key revoked since, logged already.
    const logged = oldKey('kid-new', '2026-11-30T00:00:00.000Z');
    const oldRevoked = revoked(oldKey('kid-old', '2026-01-01T00:00:00.000Z'), '2026-11-30T01:00:00.000Z');
    const log = missingKeyEvents([], logged);
    // Revoking an unlogged key logs its registration first, then the revocation (missingKeyEvents).
    const withOld = [...log, ...missingKeyEvents(log, oldRevoked)];
    const untouched = oldKey('kid-untouched', '2026-02-01T00:00:00.000Z');

    // Act
    const events = missingKeyLogEvents('x-corp', withOld, [logged, oldRevoked, untouched], LOGGED_AT);

    // Assess
    expect(kinds(events)).toEqual(['key-registered kid-untouched']);
    expect(events[0]).toMatchObject({ seq: withOld.length + 1, prevHash: withOld.at(-1)?.hash });
    expect(verifyDirectoryChain([...withOld, ...events])).toEqual({ valid: true });
  });

  it('logs only the revocation of a key whose registration is logged', () => {
    // Prepare
    const key = oldKey('kid-a', '2026-01-01T00:00:00.000Z');
    const log = missingKeyEvents([], key);

    // Act
    const events = missingKeyLogEvents('x-corp', log, [revoked(key, '2026-03-01T00:00:00.000Z')], LOGGED_AT);

    // Assess
    expect(kinds(events)).toEqual(['key-revoked kid-a']);
    expect(events[0]?.seq).toBe(2);
  });

  it('finds nothing missing in a complete log, and ignores keys of other platforms', () => {
    // Prepare
    const keys = [oldKey('kid-a', '2026-01-01T00:00:00.000Z'), oldKey('kid-b', '2026-02-01T00:00:00.000Z')];
    const log = missingKeyLogEvents('x-corp', [], keys, LOGGED_AT);
    const elsewhere = oldKey('kid-o', '2026-01-01T00:00:00.000Z', {}, 'other');

    // Act
    const again = missingKeyLogEvents('x-corp', log, [...keys, elsewhere], '2026-12-02T00:00:00.000Z');

    // Assess
    expect(again).toEqual([]);
  });

  it('gives the verifier a log in which an old key is valid for a signature made in its window', async () => {
    // Prepare
    const pair = await generatePlatformKey('EdDSA');
    const key = revoked(
      registeredKey(pair, { registeredAt: '2026-01-01T00:00:00.000Z', validFrom: '2026-01-01T00:00:00.000Z' }),
      '2026-09-01T00:00:00.000Z',
    );
    const checks = new CheckLog();

    // Act
    const keys = await platformKeysFromLog('x-corp', missingKeyLogEvents('x-corp', [], [key], LOGGED_AT), checks);

    // Assess
    expect(checks.failedAny('platform-key-validity')).toBe(false);
    const fromLog = keys?.get(pair.kid);
    expect(fromLog).toBeDefined();
    expect(keyUnusableAt(fromLog as SigningKey, '2026-06-01T00:00:00.000Z')).toBeUndefined();
    expect(keyUnusableAt(fromLog as SigningKey, '2026-10-01T00:00:00.000Z')).toBeDefined();
  });
});

/** The backfill's marker with the DynamoDB adapter's rule: it only moves forward. */
class InMemoryProgress implements BackfillProgressStore {
  stored: BackfillProgress | undefined;
  reads = 0;
  async read() {
    this.reads++;
    return this.stored && { ...this.stored };
  }
  async advance(progress: BackfillProgress) {
    const s = this.stored;
    const behind = s === undefined || (!s.done && (s.after === undefined || (progress.after ?? '') >= s.after));
    if (!behind) return false;
    this.stored = { ...progress };
    return true;
  }
}

class Directory implements PlatformIdPages {
  pages = 0;
  constructor(readonly ids: string[]) {}
  async platformIdsAfter(after: string | undefined, limit: number) {
    this.pages++;
    return [...this.ids]
      .sort()
      .filter((id) => after === undefined || id > after)
      .slice(0, limit);
  }
}

function world(keysByPlatform: Record<string, SigningKey[]>) {
  const keyLog = new InMemoryKeyLogStore();
  const progress = new InMemoryProgress();
  const directory = new Directory(Object.keys(keysByPlatform));
  const keys = { listKeys: async (p: string) => structuredClone(keysByPlatform[p] ?? []) };
  const backfill = (log = keyLog) =>
    new KeyLogBackfill({ platforms: directory, keys, keyLog: log, progress, clock: () => new Date(LOGGED_AT) });
  return { keyLog, progress, directory, backfill };
}

const keysOf = (p: string, n: number) =>
  Array.from({ length: n }, (_, i) => oldKey(`${p}-kid-${i}`, `2026-0${i + 1}-01T00:00:00.000Z`, {}, p));

describe('KeyLogBackfill', () => {
  it('completes a page of platforms a run, resumes after the last, and then costs one read a run', async () => {
    // Prepare
    const { keyLog, progress, directory, backfill } = world({
      alpha: keysOf('alpha', 2),
      beta: [revoked(keysOf('beta', 1)[0] as SigningKey, '2026-05-01T00:00:00.000Z')],
      gamma: keysOf('gamma', 1),
      delta: [],
    });

    // Act
    const first = await backfill().run({ limit: 2 });
    const second = await backfill().run({ limit: 2 });
    const third = await backfill().run({ limit: 2 });
    const pagesBefore = directory.pages;
    const fourth = await backfill().run({ limit: 2 });

    // Assess
    expect(first).toMatchObject({ platforms: ['alpha', 'beta'], done: false });
    expect(first.appended).toEqual(['alpha/1', 'alpha/2', 'beta/1', 'beta/2']);
    expect(second).toMatchObject({ platforms: ['delta', 'gamma'], appended: ['gamma/1'], done: false });
    expect(third).toEqual({ platforms: [], appended: [], done: true });
    expect(fourth).toEqual({ platforms: [], appended: [], done: true });
    expect(directory.pages).toBe(pagesBefore);
    expect(progress.stored).toEqual({ after: 'gamma', done: true });
    for (const p of ['alpha', 'beta', 'gamma'])
      expect(verifyDirectoryChain(await keyLog.platformKeyLog(p))).toEqual({ valid: true });
    expect(kinds(await keyLog.platformKeyLog('beta'))).toEqual(['key-registered beta-kid-0', 'key-revoked beta-kid-0']);
  });

  it('finishes in one run when the page is short, and a new revision (an empty marker) appends nothing', async () => {
    // Prepare
    const { keyLog, progress, backfill } = world({ alpha: keysOf('alpha', 3) });

    // Act
    const first = await backfill().run({ limit: 10 });
    progress.stored = undefined;
    const rerun = await backfill().run({ limit: 10 });

    // Assess
    expect(first).toMatchObject({ done: true, appended: ['alpha/1', 'alpha/2', 'alpha/3'] });
    expect(rerun).toEqual({ platforms: ['alpha'], appended: [], done: true });
    expect(await keyLog.platformKeyLog('alpha')).toHaveLength(3);
  });

  it('re-reads the log when another writer takes the seq, and logs each change once', async () => {
    // Prepare: as the backfill appends its first event, a concurrent writer (a revocation request, another run)
    // logs the same registration first.
    const keys = keysOf('alpha', 2);
    const { keyLog, backfill } = world({ alpha: keys });
    const racing = Object.create(keyLog) as InMemoryKeyLogStore;
    let raced = false;
    racing.appendKeyLog = async (platformId, event) => {
      if (!raced) {
        raced = true;
        await keyLog.appendKeyLog(platformId, missingKeyEvents([], keys[0] as SigningKey)[0] as DirectoryEvent);
      }
      return keyLog.appendKeyLog(platformId, event);
    };

    // Act
    const result = await backfill(racing).run({ limit: 10 });

    // Assess
    const log = await keyLog.platformKeyLog('alpha');
    expect(kinds(log)).toEqual(['key-registered alpha-kid-0', 'key-registered alpha-kid-1']);
    expect(verifyDirectoryChain(log)).toEqual({ valid: true });
    expect(result.appended).toEqual(['alpha/2']);
  });

  it('logs each change once when two runs go at the same time', async () => {
    // Prepare
    const { keyLog, backfill } = world({ alpha: keysOf('alpha', 3), beta: keysOf('beta', 2) });

    // Act
    const [a, b] = await Promise.all([backfill().run({ limit: 10 }), backfill().run({ limit: 10 })]);

    // Assess
    for (const p of ['alpha', 'beta']) {
      const log = await keyLog.platformKeyLog(p);
      expect(verifyDirectoryChain(log)).toEqual({ valid: true });
      expect(new Set(kinds(log)).size).toBe(log.length);
    }
    expect((await keyLog.platformKeyLog('alpha')).length).toBe(3);
    expect(a.appended.length + b.appended.length).toBe(5);
  });

  it('stops at a platform whose log never settles, and starts there again next run', async () => {
    // Prepare
    const { keyLog, progress, backfill } = world({ alpha: keysOf('alpha', 1), beta: keysOf('beta', 1) });
    const busy = Object.create(keyLog) as InMemoryKeyLogStore;
    busy.appendKeyLog = async (platformId, event) =>
      platformId === 'beta' ? false : keyLog.appendKeyLog(platformId, event);

    // Act
    const stalled = await backfill(busy).run({ limit: 10 });
    const cursor = progress.stored;
    const next = await backfill().run({ limit: 10 });

    // Assess
    expect(stalled).toMatchObject({ platforms: ['alpha'], stalledAt: 'beta', done: false });
    expect(cursor).toEqual({ after: 'alpha', done: false });
    expect(next).toMatchObject({ platforms: ['beta'], appended: ['beta/1'], done: true });
  });
});
