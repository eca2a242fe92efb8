import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompactSign } from 'jose';
import { checkpointMarker } from '../../lambdas/adapters/checkpoint-marker';
import { FileReceiptSigner } from '../../lambdas/adapters/receipt-signers';
import { canonicalJson } from '../../lambdas/domain/canonical-json';
import { type DirectoryEvent, verifyDirectoryChain } from '../../lambdas/domain/directory-chain';
import { ValidationFailed } from '../../lambdas/domain/errors';
import type { Notice } from '../../lambdas/domain/notice';
import { sha256Hex, verifyAcknowledgement } from '../../lambdas/domain/notice-acknowledgement';
import { type NoticeSigner, noticeAsGiven } from '../../lambdas/domain/notice-as-given';
import type { NoticeServiceDeps } from '../../lambdas/domain/notice-service';
import {
  acknowledgementPayload,
  keyWindowAt,
  NoticeAsGivenSchema,
  type RegulatorKeySet,
  verifySignedNotice,
} from '../../lambdas/domain/notice-verification';
import { publishedKeys, type RegulatorKeyLog, receiptJwks } from '../../lambdas/domain/regulator-key-log';
import { RegulatorKeyService } from '../../lambdas/domain/regulator-key-service';
import { SIGNATURE_TYPES } from '../../lambdas/domain/signature-types';
import { defined } from '../support/defined';
import { noticeServiceForTest, officer, TestClock, transparencyDraft, xCorpLegal } from '../support/notice-fixtures';
import { generatePlatformKey, type PlatformKeyPair, registeredKey } from '../support/signing-key-fixtures';

/** The key log as the table keeps it: an append wins only while its seq is free. */
class InMemoryKeyLog implements RegulatorKeyLog {
  events: DirectoryEvent[] = [];
  /** Runs just before an append is decided: a concurrent writer's chance to get there first. */
  beforeAppend?: () => Promise<void>;
  async readLog() {
    return [...this.events];
  }
  async append(event: DirectoryEvent) {
    const race = this.beforeAppend;
    this.beforeAppend = undefined;
    await race?.();
    if (this.events.some((e) => e.seq === event.seq)) return false;
    this.events.push(event);
    return true;
  }
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'signed-notices-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let keyFiles = 0;
const regulatorKey = (type: string = SIGNATURE_TYPES.notice.header) =>
  new FileReceiptSigner(join(dir, `key-${++keyFiles}.json`), type);

function keyWorld(start = '2026-11-24T03:00:00.000Z') {
  const log = new InMemoryKeyLog();
  const clock = new TestClock(start);
  return { log, clock, keys: new RegulatorKeyService({ log, clock: clock.now }) };
}

/** A notice service that signs with `signer`, activated in `world`'s key log (one clock for both). */
function signingService(deps: Partial<NoticeServiceDeps> = {}, world = keyWorld(), signer = regulatorKey()) {
  const activated = world.keys.activated(signer);
  let signatures = 0;
  const noticeSigner: NoticeSigner = {
    ready: () => activated.ready(),
    sign: (payload) => {
      signatures++;
      return activated.sign(payload);
    },
  };
  const portal = noticeServiceForTest({ clock: world.clock, deps: { noticeSigner, ...deps } });
  return { ...portal, world, signatures: () => signatures };
}

describe('the regulator key log', () => {
  it('gives each key the window from its activation until the next one, the newest with no end', async () => {
    // Prepare
    const world = keyWorld();
    const first = regulatorKey();
    const second = regulatorKey();
    const firstJwk = defined((await first.publicJwks()).keys[0], 'first key');
    const secondJwk = defined((await second.publicJwks()).keys[0], 'second key');

    // Act
    await world.keys.ensureActive(firstJwk);
    world.clock.advance(60_000);
    await world.keys.ensureActive(secondJwk);
    const published = await world.keys.published();

    // Assess
    expect(verifyDirectoryChain(published.log)).toEqual({ valid: true });
    expect(published.log.map((e) => [e.chain, e.seq, e.kind])).toEqual([
      ['regulator-keys', 1, 'regulator-key-activated'],
      ['regulator-keys', 2, 'regulator-key-activated'],
    ]);
    expect(published.keys).toEqual([
      {
        ...firstJwk,
        alg: 'ES256',
        use: 'sig',
        // The first key signed before the log existed (receipts filed before an upgrade): in force from the start.
        validFrom: '2000-01-01T00:00:00.000Z',
        validUntil: '2026-11-24T03:01:00.000Z',
      },
      { ...secondJwk, alg: 'ES256', use: 'sig', validFrom: '2026-11-24T03:01:00.000Z' },
    ]);
    // Recorded when it was logged, whatever window it was given.
    expect(published.log[0]?.at).toBe('2026-11-24T03:00:00.000Z');
    expect(published.keys.every((k) => !('d' in k))).toBe(true);
    expect(keyWindowAt(published.keys, defined(firstJwk.kid, 'kid'), '2026-11-24T03:00:59.999Z')).toBeDefined();
    expect(keyWindowAt(published.keys, defined(firstJwk.kid, 'kid'), '2025-06-30T12:00:00.000Z')).toBeDefined();
    expect(keyWindowAt(published.keys, defined(firstJwk.kid, 'kid'), '2026-11-24T03:01:00.000Z')).toBeUndefined();
  });

  it('appends nothing when the head already names the key', async () => {
    const world = keyWorld();
    const jwk = defined((await regulatorKey().publicJwks()).keys[0], 'key');
    await world.keys.ensureActive(jwk);

    expect(await world.keys.ensureActive(jwk)).toBeUndefined();
    expect(world.log.events).toHaveLength(1);
  });

  it('re-reads after losing the race: done if the winner activated the same key, else appends after it', async () => {
    // Prepare: another process activates the same key, then another key, each just before this one's put.
    const world = keyWorld();
    const mine = defined((await regulatorKey().publicJwks()).keys[0], 'key');
    const theirs = defined((await regulatorKey().publicJwks()).keys[0], 'other key');
    const other = new RegulatorKeyService({ log: world.log, clock: world.clock.now });
    world.log.beforeAppend = async () => {
      await other.ensureActive(mine);
    };

    // Act
    const same = await world.keys.ensureActive(mine);
    world.log.beforeAppend = async () => {
      await other.ensureActive(theirs);
    };
    world.clock.advance(1000);
    await world.keys.ensureActive(theirs);
    world.log.beforeAppend = async () => {
      await other.ensureActive(theirs);
    };
    const after = await world.keys.ensureActive(mine);

    // Assess
    expect(same).toBeUndefined();
    expect(world.log.events.map((e) => e.data.kid)).toEqual([mine.kid, theirs.kid, mine.kid]);
    expect(after?.seq).toBe(3);
    expect(verifyDirectoryChain(world.log.events)).toEqual({ valid: true });
  });

  it('publishes one receipt JWKS entry per kid, so JWKS clients never find two candidates', async () => {
    const world = keyWorld();
    const a = defined((await regulatorKey().publicJwks()).keys[0], 'a');
    const b = defined((await regulatorKey().publicJwks()).keys[0], 'b');
    for (const jwk of [a, b, a]) {
      await world.keys.ensureActive(jwk);
      world.clock.advance(1000);
    }

    expect(publishedKeys(world.log.events)).toHaveLength(3);
    expect(receiptJwks(world.log.events).keys.map((k) => k.kid)).toEqual([a.kid, b.kid]);
  });

  it('activates the key once per signer, before its first signature', async () => {
    const world = keyWorld();
    const signer = world.keys.activated(regulatorKey(SIGNATURE_TYPES.receipt.header));

    await signer.sign({ typ: 'anything' });
    await signer.sign({ typ: 'anything' });

    expect(world.log.events).toHaveLength(1);
  });

  it('activates one key when the receipt and notice signers of a new key file first sign at once', async () => {
    // Prepare: both signers of one process, over a key file that does not exist yet.
    const world = keyWorld();
    const file = join(dir, 'shared-key.json');
    const receipts = world.keys.activated(new FileReceiptSigner(file, SIGNATURE_TYPES.receipt.header));
    const notices = world.keys.activated(new FileReceiptSigner(file, SIGNATURE_TYPES.notice.header));

    // Act
    await Promise.all([receipts.sign({ typ: 'a' }), notices.sign({ typ: 'b' })]);

    // Assess
    expect(world.log.events).toHaveLength(1);
    expect((await receipts.publicJwks()).keys).toEqual((await notices.publicJwks()).keys);
  });

  it('marks each event pending for a checkpoint with a key that sorts by time, then chain and seq', () => {
    expect(checkpointMarker('regulator-keys', 7, '2026-11-24T03:00:00.000Z')).toEqual({
      checkpointQueue: 'CP',
      checkpointKey: '2026-11-24T03:00:00.000Z#regulator-keys#0000000007',
    });
  });
});

describe('issuing a signed notice', () => {
  it('signs the notice as given at issue, with the content version, given-at and due time of the issued event', async () => {
    // Prepare
    const portal = signingService();
    const { notice: draft } = await portal.service.createDraft(officer, transparencyDraft());

    // Act
    const issued = await portal.service.issue(officer, draft.id);
    const verification = await verifySignedNotice(
      defined(issued.signedNotice, 'signed'),
      await portal.world.keys.published(),
    );

    // Assess
    expect(verification).toMatchObject({ valid: true });
    expect(verification.notice).toEqual(
      noticeAsGiven({
        draft,
        givenAt: defined(issued.givenAt, 'givenAt'),
        due: { dueAt: issued.dueAt, dueExplanation: issued.dueExplanation },
        signedAt: defined(verification.notice?.signedAt, 'signedAt'),
      }),
    );
    expect(verification.notice).toMatchObject({
      typ: 'notice-as-given',
      noticeId: draft.id,
      platformId: 'x-corp',
      contentSeq: 1,
      contentHash: draft.lastEventHash,
      givenAt: issued.givenAt,
      dueAt: issued.dueAt,
    });
    expect(verification.notice).not.toHaveProperty('reminderPolicy');
    expect(verification.notice).not.toHaveProperty('checkpoint');
    const history = await portal.store.history(draft.id, { limit: 10 });
    expect(history.items.find((e) => e.kind === 'issued')?.data).toMatchObject({ signedNotice: issued.signedNotice });
  });

  it('answers a retry with the same Idempotency-Key with the recorded signature, signing nothing again', async () => {
    const portal = signingService();
    const { notice: draft } = await portal.service.createDraft(officer, transparencyDraft());

    const first = await portal.service.issue(officer, draft.id, 'issue-once');
    portal.world.clock.advance(5000);
    const retry = await portal.service.issue(officer, draft.id, 'issue-once');

    expect(retry.signedNotice).toBe(first.signedNotice);
    expect(portal.signatures()).toBe(1);
  });

  it('names the latest checkpoint when one is known', async () => {
    const { service } = signingService({ latestCheckpoint: async () => ({ seq: 4, hash: 'ab'.repeat(32) }) });
    const { notice: draft } = await service.createDraft(officer, transparencyDraft());

    const issued = await service.issue(officer, draft.id);

    const payload = NoticeAsGivenSchema.parse(
      JSON.parse(Buffer.from(defined(issued.signedNotice?.split('.')[1], 'payload'), 'base64url').toString()),
    );
    expect(payload.checkpoint).toEqual({ seq: 4, hash: 'ab'.repeat(32) });
  });
});

describe('verifying a signed notice', () => {
  async function signed() {
    const portal = signingService();
    const { notice: draft } = await portal.service.createDraft(officer, transparencyDraft());
    const issued = await portal.service.issue(officer, draft.id);
    return { jws: defined(issued.signedNotice, 'signed'), keys: await portal.world.keys.published(), portal };
  }

  it('refuses a payload changed after signing, naming the signature check', async () => {
    const { jws, keys } = await signed();
    const [h, p, s] = jws.split('.');
    const payload = JSON.parse(Buffer.from(p as string, 'base64url').toString());
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...payload, dueAt: '2027-12-31T06:59:59.999Z' })).toString('base64url')}.${s}`;

    const result = await verifySignedNotice(tampered, keys);

    expect(result).toMatchObject({ valid: false, failed: 'signature' });
    expect(result.checks.find((c) => c.id === 'payload')?.status).toBe('not-run');
  });

  it('refuses a receipt offered as a notice on its typ, though the regulator genuinely signed it', async () => {
    const world = keyWorld();
    const receiptSigner = world.keys.activated(regulatorKey(SIGNATURE_TYPES.receipt.header));
    const receipt = await receiptSigner.sign({ typ: 'notice-response-receipt', noticeId: 'ntc_x' });

    const result = await verifySignedNotice(receipt, await world.keys.published());

    expect(result).toMatchObject({ valid: false, failed: 'typ' });
    expect(result.reason).toContain('nrp-receipt+jws');
  });

  it('refuses a notice header over another kind of payload', async () => {
    const world = keyWorld();
    const signer = world.keys.activated(regulatorKey(SIGNATURE_TYPES.notice.header));
    const jws = await signer.sign({ typ: 'notice-portal-checkpoint', seq: 1 });

    const result = await verifySignedNotice(jws, await world.keys.published());

    expect(result).toMatchObject({ valid: false, failed: 'typ' });
    expect(result.reason).toContain('"notice-portal-checkpoint"');
  });

  it('refuses a key the published list does not hold', async () => {
    const { jws } = await signed();
    const other = keyWorld();
    await other.keys.ensureActive(defined((await regulatorKey().publicJwks()).keys[0], 'k'));

    const result = await verifySignedNotice(jws, await other.keys.published());

    expect(result).toMatchObject({ valid: false, failed: 'key' });
  });

  it('refuses a notice signed at a time outside its key window', async () => {
    // Prepare: the key's published window starts an hour after the notice says it was signed.
    const { jws, keys } = await signed();
    const moved: RegulatorKeySet = {
      keys: keys.keys.map((k) => ({ ...k, validFrom: '2026-11-24T04:00:00.000Z' })),
    };

    // Act
    const result = await verifySignedNotice(jws, moved);

    // Assess
    expect(result).toMatchObject({ valid: false, failed: 'key-validity' });
    expect(result.reason).toContain('from 2026-11-24T04:00:00.000Z');
  });

  it('refuses what is not a compact JWS', async () => {
    const result = await verifySignedNotice('not a jws', { keys: [] });
    expect(result).toMatchObject({ valid: false, failed: 'form' });
  });
});

describe('a countersigned acknowledgement', () => {
  let platformKey: PlatformKeyPair;
  let issued: Notice;
  beforeAll(async () => {
    platformKey = await generatePlatformKey('EdDSA');
    const portal = signingService();
    const { notice: draft } = await portal.service.createDraft(officer, transparencyDraft());
    issued = await portal.service.issue(officer, draft.id);
  });

  async function countersign(
    overrides: Record<string, unknown> = {},
    header: Record<string, unknown> = {},
    key = platformKey,
  ) {
    const payload = {
      ...(await acknowledgementPayload({
        noticeId: issued.id,
        platformId: issued.platformId,
        signedNotice: defined(issued.signedNotice, 'signed'),
        acknowledgedAt: '2026-11-24T03:05:00.000Z',
      })),
      ...overrides,
    };
    return new CompactSign(new TextEncoder().encode(canonicalJson(payload)))
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'nrp-acknowledgement+jws', ...header })
      .sign(key.privateKey);
  }

  const check = (signature: string, keys = [registeredKey(platformKey)]) =>
    verifyAcknowledgement({
      signature,
      notice: issued,
      platformId: 'x-corp',
      findKey: async (platformId, kid) => keys.find((k) => k.platformId === platformId && k.kid === kid),
      now: new Date('2026-11-24T03:06:00.000Z'),
    });

  const fieldMessage = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationFailed);
    const issues = (error as ValidationFailed).issues;
    expect(issues.map((i) => i.path)).toEqual(['signature']);
    return issues[0]?.message;
  };

  it('accepts a signature over exactly this signed notice with a registered key', async () => {
    expect(await check(await countersign())).toEqual({ kid: platformKey.kid });
    expect(sha256Hex(defined(issued.signedNotice, 'signed'))).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a signature over another signed notice', async () => {
    const message = await fieldMessage(check(await countersign({ signedNoticeSha256: '0'.repeat(64) })));
    expect(message).toContain('signedNoticeSha256');
  });

  it("refuses another platform's key", async () => {
    const foreign = await generatePlatformKey('ES256');
    const message = await fieldMessage(
      check(await countersign({}, {}, foreign), [registeredKey(foreign, {}, 'videoshare')]),
    );
    expect(message).toContain('not registered for platform x-corp');
  });

  it('refuses a signature of another kind (typ)', async () => {
    const message = await fieldMessage(check(await countersign({}, { typ: 'nrp-receipt+jws' })));
    expect(message).toContain('nrp-acknowledgement+jws');
  });

  it('refuses a key revoked before now', async () => {
    const message = await fieldMessage(
      check(await countersign(), [
        registeredKey(platformKey, {
          revokedAt: '2026-11-24T03:00:00.000Z',
          revocationEffectiveAt: '2026-11-24T03:00:00.000Z',
          revocationReason: 'lost',
        } as never),
      ]),
    );
    expect(message).toContain('revoked');
  });

  it('is recorded by the service in the acknowledged event', async () => {
    const keys = [registeredKey(platformKey)];
    const portal = signingService({
      acknowledgementKeys: { getKey: async (p, kid) => keys.find((k) => k.platformId === p && k.kid === kid) },
    });
    const { service } = portal;
    const { notice: draft } = await service.createDraft(officer, transparencyDraft());
    issued = await service.issue(officer, draft.id);

    const acknowledged = await service.acknowledge(xCorpLegal, draft.id, undefined, await countersign());

    expect(acknowledged.acknowledgementSignature?.kid).toBe(platformKey.kid);
    const history = await portal.store.history(draft.id, { limit: 10 });
    expect(history.items.at(-1)).toMatchObject({ kind: 'acknowledged', data: { kid: platformKey.kid } });
  });
});
