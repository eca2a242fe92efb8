import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compactVerify, createLocalJWKSet } from 'jose';
import { FileReceiptSigner } from '../../lambdas/adapters/receipt-signers';
import { canonicalJson } from '../../lambdas/domain/canonical-json';
import {
  type CheckpointRecord,
  leafBytes,
  verifyAgainstCheckpoint,
  verifyCheckpointChain,
} from '../../lambdas/domain/checkpoint';
import { CheckpointRunner } from '../../lambdas/domain/checkpoint-runner';
import {
  type DirectoryEvent,
  hashDirectoryEvent,
  platformKeysChain,
  sealDirectoryEvent,
} from '../../lambdas/domain/directory-chain';
import { verifyInclusion } from '../../lambdas/domain/merkle';
import { GENESIS_HASH } from '../../lambdas/domain/notice-event';
import { SIGNATURE_TYPES } from '../../lambdas/domain/signature-types';
import { defined } from '../support/defined';
import { InMemoryCheckpointStore } from '../support/in-memory-checkpoint-store';

let dir: string;
let signer: FileReceiptSigner;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'checkpoint-runner-'));
  signer = new FileReceiptSigner(join(dir, 'key.json'), SIGNATURE_TYPES.checkpoint.header);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const clock = () => new Date('2026-12-01T00:05:00.000Z');
const runner = (store: InMemoryCheckpointStore, options: { maxLeaves?: number } = {}) =>
  new CheckpointRunner({ store, signer, clock, ...options });

/** A platform key log of `n` revocation events (content irrelevant here, only that it is hashed). */
function keyLog(platform: string, n: number, from: DirectoryEvent[] = []): DirectoryEvent[] {
  const events = [...from];
  for (let seq = events.length + 1; seq <= n; seq++) {
    events.push(
      sealDirectoryEvent(platformKeysChain(platform), seq, events.at(-1)?.hash ?? GENESIS_HASH, revocation(seq)),
    );
  }
  return events;
}
const revocation = (seq: number, reason = `reason ${seq}`) => ({
  kind: 'key-revoked' as const,
  at: `2026-12-01T00:00:0${seq % 10}.000Z`,
  data: {
    kid: `k${seq}`,
    revokedAt: '2026-12-01T00:00:00.000Z',
    revocationEffectiveAt: '2026-12-01T00:00:00.000Z',
    revocationReason: reason,
  },
});
const recompute = (event: DirectoryEvent) => {
  const { hash: _hash, ...rest } = event;
  return hashDirectoryEvent(rest);
};
function markAll(store: InMemoryCheckpointStore, events: readonly DirectoryEvent[]) {
  for (const e of events) store.mark(e.chain, e.seq, e.hash, e.at);
}

describe('CheckpointRunner', () => {
  it('writes nothing when nothing is pending', async () => {
    // Prepare
    const store = new InMemoryCheckpointStore();

    // Act
    const report = await runner(store).run();

    // Assess
    expect(report).toEqual({ created: [], cleared: 0, lost: false });
    expect(store.writes).toEqual([]);
  });

  it('commits one leaf per changed chain, its newest event, and proves each; a second run writes nothing', async () => {
    // Prepare
    const store = new InMemoryCheckpointStore();
    const logs = { b: keyLog('b', 3), a: keyLog('a', 2), c: keyLog('c', 1) };
    for (const log of Object.values(logs)) markAll(store, log);

    // Act
    const report = await runner(store).run();

    // Assess
    expect(report.created).toHaveLength(1);
    expect(report.cleared).toBe(6);
    expect(store.markers.size).toBe(0);
    const checkpoint = defined(await store.latest(), 'the checkpoint');
    expect(checkpoint.payload).toMatchObject({
      typ: 'notice-portal-checkpoint',
      seq: 1,
      previous: GENESIS_HASH,
      treeSize: 3,
    });
    expect(verifyCheckpointChain([checkpoint])).toEqual({ valid: true });
    const { payload, protectedHeader } = await compactVerify(
      checkpoint.jws,
      createLocalJWKSet(await signer.publicJwks()),
    );
    expect(protectedHeader.typ).toBe('nrp-checkpoint+jws');
    expect(new TextDecoder().decode(payload)).toBe(canonicalJson(checkpoint.payload));
    // Leaves sorted by chain: a, b, c.
    for (const [index, [name, log]] of Object.entries(logs)
      .sort(([x], [y]) => (x < y ? -1 : 1))
      .entries()) {
      const [proof] = await store.proofs(platformKeysChain(name));
      const head = defined(log.at(-1), 'the head');
      expect(proof).toMatchObject({ checkpointSeq: 1, seq: head.seq, head: head.hash, leafIndex: index, treeSize: 3 });
      const leaf = leafBytes({ chain: head.chain, seq: head.seq, head: head.hash });
      expect(
        verifyInclusion({
          leaf,
          index,
          treeSize: 3,
          path: defined(proof, 'the proof').path,
          root: checkpoint.payload.root,
        }),
      ).toBe(true);
    }
    expect(store.checkpoints.get(1)).not.toHaveProperty('leaves');

    // Act: nothing has changed since.
    const writes = store.writes.length;
    expect(await runner(store).run()).toEqual({ created: [], cleared: 0, lost: false });
    expect(store.writes).toHaveLength(writes);
  });

  it('makes several linked checkpoints in one run when more chains changed than one holds', async () => {
    // Prepare
    const store = new InMemoryCheckpointStore();
    for (const p of ['p1', 'p2', 'p3', 'p4', 'p5']) markAll(store, keyLog(p, 2));

    // Act
    const report = await runner(store, { maxLeaves: 2 }).run();

    // Assess
    expect(report.created.map((c) => c.seq)).toEqual([1, 2, 3]);
    const all = await store.range(1, 3);
    expect(all.map((c) => c.payload.treeSize)).toEqual([2, 2, 1]);
    expect(verifyCheckpointChain(all)).toEqual({ valid: true });
    expect(store.markers.size).toBe(0);
  });

  it('leaves an event appended after the markers were read for the next checkpoint', async () => {
    // Prepare: the run reads the markers, then event 3 of the same chain is appended.
    const store = new InMemoryCheckpointStore();
    const log = keyLog('late', 3);
    markAll(store, log.slice(0, 2));
    const read = store.pendingMarkers.bind(store);
    let first = true;
    store.pendingMarkers = async () => {
      const markers = await read();
      if (first) markAll(store, log.slice(2));
      first = false;
      return markers;
    };

    // Act
    await runner(store).run();

    // Assess
    expect((await store.proofs(platformKeysChain('late'))).map((p) => p.seq)).toEqual([2]);
    expect([...store.markers.values()].map((m) => m.seq)).toEqual([3]);
    await runner(store).run();
    expect((await store.proofs(platformKeysChain('late'))).map((p) => p.seq)).toEqual([2, 3]);
  });

  it.each([
    ['after the checkpoint is stored, before any proof', 'putProof', 0],
    ['after one proof', 'putProof', 1],
    ['before it is marked complete', 'completeCheckpoint', 0],
    ['after one marker is cleared', 'clearMarker', 1],
  ] as const)('finishes a run that crashed %s', async (_when, method, succeedFirst) => {
    // Prepare
    const store = new InMemoryCheckpointStore();
    for (const p of ['x', 'y', 'z']) markAll(store, keyLog(p, 2));
    const original = store[method].bind(store) as (...args: unknown[]) => Promise<unknown>;
    let calls = 0;
    (store as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
      if (calls++ >= succeedFirst) throw new Error('crash');
      return original(...args);
    };
    await expect(runner(store).run()).rejects.toThrow('crash');
    (store as unknown as Record<string, unknown>)[method] = original;

    // Act
    const report = await runner(store).run();

    // Assess: the one checkpoint, complete, every proof, no marker left, nothing new.
    if (method !== 'clearMarker') expect(report.resumed?.seq).toBe(1);
    expect(report.created).toEqual([]);
    expect([...store.checkpoints.keys()]).toEqual([1]);
    expect(store.checkpoints.get(1)?.status).toBe('complete');
    for (const p of ['x', 'y', 'z']) expect(await store.proofs(platformKeysChain(p))).toHaveLength(1);
    expect(store.markers.size).toBe(0);
    expect(await runner(store).run()).toEqual({ created: [], cleared: 0, lost: false });
  });

  it('lets one of two concurrent runs make each checkpoint, losing no marker', async () => {
    // Prepare
    const store = new InMemoryCheckpointStore();
    for (const p of ['m', 'n', 'o']) markAll(store, keyLog(p, 3));

    // Both runs read the newest checkpoint before either stores the next, so both sign the same sequence number.
    const read = store.newestCheckpoint.bind(store);
    let arrived = 0;
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    store.newestCheckpoint = async () => {
      const newest = await read();
      if (++arrived === 2) release();
      await gate;
      return newest;
    };

    // Act
    const reports = await Promise.all([runner(store).run(), runner(store).run()]);

    // Assess
    expect(reports.flatMap((r) => r.created).map((c) => c.seq)).toEqual([1]);
    expect(reports.filter((r) => r.lost)).toHaveLength(1);
    expect(store.markers.size).toBe(0);
    expect(store.checkpoints.get(1)?.status).toBe('complete');
  });
});

describe('verifyAgainstCheckpoint', () => {
  /** A chain covered by checkpoint 1, then grown and covered again by checkpoint 2, the one the verifier trusts. */
  async function covered() {
    const store = new InMemoryCheckpointStore();
    const chain = platformKeysChain('evidence');
    const first = keyLog('evidence', 4);
    markAll(store, first);
    await runner(store).run();
    const later = keyLog('evidence', 6, first);
    markAll(store, later.slice(4));
    markAll(store, keyLog('other', 1));
    await runner(store).run();
    const [proof] = await store.proofs(chain);
    const checkpoints = await store.range(1, 2);
    const trusted = defined(checkpoints.at(-1), 'checkpoint 2');
    return {
      chain,
      events: later,
      proof: defined(proof, 'the proof'),
      checkpoints,
      trusted: { seq: trusted.seq, hash: trusted.hash },
    };
  }
  const check = (c: Awaited<ReturnType<typeof covered>>, events: DirectoryEvent[], checkpoints?: CheckpointRecord[]) =>
    verifyAgainstCheckpoint({ ...c, events, checkpoints: checkpoints ?? c.checkpoints, recomputeHash: recompute });

  /** Re-seals events 1… so that the chain's own hashes are consistent again: a rewrite the chain alone cannot reveal. */
  function reseal(events: DirectoryEvent[]): DirectoryEvent[] {
    const out: DirectoryEvent[] = [];
    for (const [i, e] of events.entries()) {
      const { hash: _h, prevHash: _p, seq: _s, chain, ...rest } = e;
      out.push(sealDirectoryEvent(chain, i + 1, out.at(-1)?.hash ?? GENESIS_HASH, rest as never));
    }
    return out;
  }

  it('accepts the chain as stored', async () => {
    const c = await covered();
    expect(check(c, c.events)).toEqual({ valid: true });
  });

  it('detects an edited event, even with every hash after it recomputed', async () => {
    const c = await covered();
    const edited = c.events.map((e, i) => (i === 1 ? { ...e, ...revocation(2, 'rewritten') } : e)) as DirectoryEvent[];
    expect(check(c, edited).valid).toBe(false);
    expect(check(c, reseal(edited))).toEqual({ valid: false, problem: expect.stringContaining('not the head') });
  });

  it('detects a removed, an inserted and a reordered event, rewritten into a consistent chain', async () => {
    const c = await covered();
    const [e1, e2, e3, ...rest] = c.events as [DirectoryEvent, DirectoryEvent, DirectoryEvent, ...DirectoryEvent[]];
    const removed = reseal([e1, e3, ...rest]);
    const inserted = reseal([e1, { ...e2, data: { ...e2.data, kid: 'inserted' } } as DirectoryEvent, e2, e3, ...rest]);
    const reordered = reseal([e1, e3, e2, ...rest]);
    for (const events of [removed, inserted, reordered]) expect(check(c, events).valid).toBe(false);
  });

  it('refuses a gap in the checkpoints, a tampered checkpoint, or one that does not end at the trusted one', async () => {
    const c = await covered();
    const [cp1, cp2] = c.checkpoints as [CheckpointRecord, CheckpointRecord];
    expect(check(c, c.events, [cp1]).valid).toBe(false);
    const tampered = { ...cp1, payload: { ...cp1.payload, root: 'f'.repeat(64) } };
    expect(check(c, c.events, [tampered, cp2]).valid).toBe(false);
    expect(check(c, c.events, [{ ...tampered, hash: '' }, cp2]).valid).toBe(false);
  });
});
