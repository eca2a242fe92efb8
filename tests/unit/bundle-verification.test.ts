import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { signManifest } from '../../cli/signing';
import { type BundleVerificationOptions, verifyBundle } from '../../lambdas/domain/bundle-verification';
import type { BundleCheckId, BundleVerificationReport } from '../../lambdas/domain/bundle-verification-report';
import { canonicalJson } from '../../lambdas/domain/canonical-json';
import { type DirectoryEvent, sealDirectoryEvent } from '../../lambdas/domain/directory-chain';
import { GENESIS_HASH, type NoticeEvent, sealEvent } from '../../lambdas/domain/notice-event';
import type { Manifest } from '../../lambdas/domain/submission';
import { entriesBundleReader, replaceEntry } from '../support/bundle-readers';
import {
  type BundleSourceEntry,
  type GeneratedBundle,
  generateEvidenceBundle,
  newPlatformKey,
  RegulatorSigner,
  withManifest,
} from '../support/evidence-bundle-generator';

/**
 * The offline verifier against bundles built from the portal's own domain code, and against the tampering the
 * issue names: each tampered bundle must fail, and fail on the check that names what was done.
 */
let bundle: GeneratedBundle;
let other: GeneratedBundle;

beforeAll(async () => {
  bundle = await generateEvidenceBundle();
  // A second notice to the same platform, under the same regulator and platform keys.
  other = await generateEvidenceBundle({ keys: bundle });
});

const text = (s: string) => new TextEncoder().encode(s);
const json = (v: unknown) => text(JSON.stringify(v, null, 2));
const entry = (b: GeneratedBundle, path: string) => b.entries.find((e) => e.path === path)?.bytes as Uint8Array;
const entryText = (b: GeneratedBundle, path: string) => Buffer.from(entry(b, path)).toString('utf8');
const submissionIds = (b: GeneratedBundle) =>
  b.events.flatMap((e) => (e.kind === 'submitted' ? [e.data.submissionId] : []));

/** Verifies the entries with a freshly computed manifest.json, as a tamperer who knows the format would leave it. */
function verify(b: GeneratedBundle, entries: BundleSourceEntry[] = b.entries, options?: BundleVerificationOptions) {
  return verifyBundle(entriesBundleReader(withManifest(b, entries)), options);
}

function problems(report: BundleVerificationReport, id: BundleCheckId): string[] {
  return report.checks.find((c) => c.id === id)?.problems ?? [];
}

/** Both parse as JSON and mean the same. */
function sameJson(a: Uint8Array, b: Uint8Array): boolean {
  try {
    return (
      canonicalJson(JSON.parse(Buffer.from(a).toString('utf8'))) ===
      canonicalJson(JSON.parse(Buffer.from(b).toString('utf8')))
    );
  } catch {
    return false;
  }
}

/** The events, changed by `change`, and re-sealed from `from` on so that every hash and link is consistent. */
function rewrittenEvents(events: NoticeEvent[], change: (events: NoticeEvent[]) => NoticeEvent[]): NoticeEvent[] {
  const changed = change(events.map((e) => structuredClone(e)));
  const sealed: NoticeEvent[] = [];
  for (const e of changed) {
    const { hash: _h, prevHash: _p, seq: _s, noticeId, ...rest } = e;
    sealed.push(sealEvent(noticeId, sealed.length + 1, sealed[sealed.length - 1]?.hash ?? GENESIS_HASH, rest));
  }
  return sealed;
}

describe('verifying an evidence bundle', () => {
  it('passes every check of a whole-lifecycle bundle: issue, extension granted, further information, two filings, acceptance', async () => {
    const kinds = bundle.events.map((e) => e.kind);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'issued',
        'acknowledged',
        'extension-granted',
        'further-information-requested',
        'accepted',
      ]),
    );
    expect(kinds.filter((k) => k === 'submitted')).toHaveLength(2);

    const report = await verify(bundle);

    expect(report.failed).toEqual([]);
    expect(report.valid).toBe(true);
    const status = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    expect(status).toEqual({
      'bundle-manifest': 'pass',
      'entry-hash': 'pass',
      'event-chain': 'pass',
      'notice-signature': 'pass',
      'notice-content': 'pass',
      typ: 'pass',
      'regulator-key-validity': 'pass',
      'checkpoint-signature': 'pass',
      'checkpoint-chain': 'pass',
      'checkpoint-inclusion': 'pass',
      'trusted-checkpoint': 'not-applicable',
      'receipt-signature': 'pass',
      'receipt-notice': 'pass',
      'platform-signature': 'pass',
      'platform-key-validity': 'pass',
      'file-hash': 'pass',
      'due-time': 'pass',
      'on-time': 'pass',
      acknowledgement: 'pass',
    });
    expect(report.regulatorKeys.source).toBe('bundle');
    expect(report.regulatorKeys.keys.map((k) => k.kid)).toEqual(bundle.regulator.keys.map((k) => k.kid));
  });

  it('passes with the regulator keys given independently, and says so', async () => {
    const report = await verify(bundle, bundle.entries, { trustedKeys: bundle.regulatorKeysJson });
    expect(report.failed).toEqual([]);
    expect(report.regulatorKeys.source).toBe('trusted');
  });

  it('passes a hashes-only bundle, with file-hash not applicable', async () => {
    const hashesOnly = { ...bundle, files: 'hashes-only' as const };
    const report = await verify(
      hashesOnly,
      bundle.entries.filter((e) => !e.path.includes('/files/')),
    );
    expect(report.failed).toEqual([]);
    expect(report.checks.find((c) => c.id === 'file-hash')?.status).toBe('not-applicable');
  });

  it('passes a notice issued before notices were signed, with notice-signature and notice-content not applicable', async () => {
    const unsigned = await generateEvidenceBundle({ keys: bundle, signNotice: false });
    expect(unsigned.entries.some((e) => e.path === 'notice/signed-notice.jws')).toBe(false);

    const report = await verify(unsigned);

    expect(report.failed).toEqual([]);
    const status = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    expect(status['notice-signature']).toBe('not-applicable');
    expect(status['notice-content']).toBe('not-applicable');
    expect(status.acknowledgement).toBe('not-applicable');
    expect(status['on-time']).toBe('pass');
  });

  it('recomputes a due time the officer set explicitly, and refuses a rule file that says another', async () => {
    const explicit = await generateEvidenceBundle({ keys: bundle, draft: { dueAt: '2026-12-18T06:00:00.000Z' } });
    const issued = explicit.events.find((e) => e.kind === 'issued') as NoticeEvent & { kind: 'issued' };
    const rule = JSON.parse(entryText(explicit, 'deadline/rule.json'));

    const report = await verify(explicit);
    const edited = await verify(
      explicit,
      replaceEntry(
        explicit.entries,
        'deadline/rule.json',
        json({ ...rule, requestedDueAt: '2026-12-19T06:00:00.000Z' }),
      ),
    );

    expect(issued.data.dueAt).toBe('2026-12-18T06:00:00.000Z');
    expect(report.failed).toEqual([]);
    expect(report.checks.find((c) => c.id === 'due-time')?.covered[0]).toMatch(
      /recomputed from the officer's explicit due time/,
    );
    expect(edited.failed).toEqual(['due-time']);
    expect(problems(edited, 'due-time')).toEqual([
      'deadline/rule.json says requestedDueAt "2026-12-19T06:00:00.000Z", but the notice as issued says "2026-12-18T06:00:00.000Z"',
      'the rule and holidays give the due time 2026-12-19T06:00:00.000Z, but the issued event (2) says 2026-12-18T06:00:00.000Z',
    ]);
  });

  describe('names what was tampered with', () => {
    it('a flipped byte in a file: entry-hash (manifest.json kept) and file-hash', async () => {
      const path = `submissions/${submissionIds(bundle)[0]}/files/reports.csv`;
      const flipped = Buffer.from(entry(bundle, path));
      flipped[3] = (flipped[3] as number) ^ 0x01;
      const manifest = withManifest(bundle).find((e) => e.path === 'manifest.json') as BundleSourceEntry;
      const tampered = [...replaceEntry(bundle.entries, path, flipped), manifest];

      const kept = await verifyBundle(entriesBundleReader(tampered));
      const rebuilt = await verify(bundle, replaceEntry(bundle.entries, path, flipped));

      expect(kept.failed).toEqual(['entry-hash', 'file-hash']);
      expect(problems(kept, 'entry-hash')[0]).toContain(path);
      expect(rebuilt.failed).toEqual(['file-hash']);
      expect(problems(rebuilt, 'file-hash')[0]).toMatch(
        /"reports.csv" of submission sub_\w+ has SHA-256 \w+; its signed manifest says/,
      );
    });

    it('an edited event: event-chain says its content does not match its hash', async () => {
      const events = structuredClone(bundle.events);
      (events[3] as NoticeEvent).reason = 'We never asked for more time.';
      const report = await verify(bundle, replaceEntry(bundle.entries, 'notice/events.json', json(events)));
      expect(report.failed).toEqual(['event-chain']);
      expect(problems(report, 'event-chain')).toEqual(["event 4's content does not match its hash: it was edited"]);
    });

    it('an edited event: the checks that need the events say "not checked", none says "not applicable"', async () => {
      const events = structuredClone(bundle.events);
      (events[3] as NoticeEvent).reason = 'We never asked for more time.';
      const report = await verify(bundle, replaceEntry(bundle.entries, 'notice/events.json', json(events)));
      const status = (id: BundleCheckId) => report.checks.find((c) => c.id === id)?.status;
      // The bundle has receipts, platform signatures, files and a countersigned acknowledgement: none was checked.
      for (const id of [
        'receipt-signature',
        'platform-signature',
        'platform-key-validity',
        'file-hash',
        'acknowledgement',
      ] as const) {
        expect([id, status(id)]).toEqual([id, 'not-checked']);
      }
      expect(report.checks.find((c) => c.id === 'file-hash')?.notes).toEqual([
        'not checked: the events could not be read (see event-chain)',
      ]);
    });

    it('a removed event: event-chain', async () => {
      const events = bundle.events.filter((e) => e.seq !== 7);
      const report = await verify(bundle, replaceEntry(bundle.entries, 'notice/events.json', json(events)));
      expect(report.failed).toEqual(['event-chain']);
      expect(problems(report, 'event-chain')[0]).toBe(
        'the event at position 7 is numbered 8: an event is missing, inserted or out of order',
      );
    });

    it('an inserted event: event-chain says the next one does not link to it', async () => {
      const events = structuredClone(bundle.events);
      const forged = sealEvent(bundle.noticeId, 4, (events[2] as NoticeEvent).hash, {
        kind: 'extension-refused',
        at: (events[2] as NoticeEvent).at,
        actor: (events[0] as NoticeEvent).actor,
        data: { extensionId: 'ext_0' },
      });
      const shifted = events.slice(3).map((e) => ({ ...e, seq: e.seq + 1 }));
      const inserted = [...events.slice(0, 3), forged, ...shifted];
      const report = await verify(bundle, replaceEntry(bundle.entries, 'notice/events.json', json(inserted)));
      expect(report.failed).toEqual(['event-chain']);
      expect(problems(report, 'event-chain')[0]).toBe('event 5 does not link to event 4');
    });

    it('reordered events: event-chain', async () => {
      const events = structuredClone(bundle.events);
      [events[3], events[4]] = [events[4] as NoticeEvent, events[3] as NoticeEvent];
      const report = await verify(bundle, replaceEntry(bundle.entries, 'notice/events.json', json(events)));
      expect(report.failed).toEqual(['event-chain']);
      expect(problems(report, 'event-chain')[0]).toMatch(/an event is missing, inserted or out of order/);
    });

    it('a rewritten chain with consistent hashes: checkpoint-inclusion, as no checkpoint committed to it', async () => {
      const rewritten = rewrittenEvents(bundle.events, (events) => {
        (events[3] as NoticeEvent).reason = 'We never asked for more time.';
        return events;
      });
      const report = await verify(bundle, replaceEntry(bundle.entries, 'notice/events.json', json(rewritten)));
      expect(report.failed).toEqual(['checkpoint-inclusion']);
      expect(problems(report, 'checkpoint-inclusion')[0]).toMatch(
        /^checkpoint 3 committed to a different event \d+ of the notice than the bundle holds: the chain was rewritten after the checkpoint$/,
      );
    });

    it('a chain cut short after a checkpoint, re-sealed: checkpoint-inclusion', async () => {
      const report = await verify(
        bundle,
        replaceEntry(bundle.entries, 'notice/events.json', json(bundle.events.slice(0, 10))),
      );
      expect(report.failed).toContain('checkpoint-inclusion');
      expect(problems(report, 'checkpoint-inclusion')[0]).toMatch(
        /the bundle has only 10: events were removed after the checkpoint/,
      );
    });

    it("a manifest signed with a key that is not the platform's: platform-key-validity", async () => {
      const sid = submissionIds(bundle)[0] as string;
      const path = `submissions/${sid}/signature.jws`;
      const manifest = JSON.parse(entryText(bundle, `submissions/${sid}/manifest.json`)) as Manifest;
      const forged = await signManifest(manifest, await newPlatformKey());
      const report = await verify(bundle, replaceEntry(bundle.entries, path, text(forged)));
      expect(report.failed).toEqual(['platform-signature', 'platform-key-validity']);
      expect(problems(report, 'platform-key-validity')[0]).toMatch(/which the platform's key log never registered$/);
      expect(problems(report, 'platform-signature')[0]).toBe(`${path} is not the signature filed in event 6`);
    });

    it("a platform key swapped in the key log: platform-key-validity, and the log's checkpoint no longer holds", async () => {
      const file = JSON.parse(entryText(bundle, 'keys/platform-keys.json')) as {
        platformId: string;
        log: DirectoryEvent[];
      };
      const impostor = await newPlatformKey();
      const first = file.log[0] as DirectoryEvent & { data: Record<string, unknown> };
      const { hash: _h, prevHash: _p, seq: _s, chain, ...rest } = first;
      const swapped = sealDirectoryEvent(chain, 1, GENESIS_HASH, {
        ...rest,
        data: { ...rest.data, jwk: impostor.publicJwk },
      } as never);
      const report = await verify(
        bundle,
        replaceEntry(bundle.entries, 'keys/platform-keys.json', json({ ...file, log: [swapped] })),
      );
      expect(report.failed).toEqual(expect.arrayContaining(['platform-key-validity', 'checkpoint-inclusion']));
      expect(problems(report, 'platform-key-validity')[0]).toMatch(/names key \S+, which is not its thumbprint/);
    });

    it("the regulator's keys swapped for others: regulator-key-validity for every regulator signature", async () => {
      const impostor = await RegulatorSigner.create(['2026-01-01T00:00:00.000Z']);
      const report = await verify(bundle, bundle.entries, { trustedKeys: impostor.published() });
      expect(report.failed).toContain('regulator-key-validity');
      expect(problems(report, 'regulator-key-validity')).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^the signed notice is signed with key \S+, which is not one of the regulator's keys$/),
        ]),
      );
    });

    it('a regulator key listed without the members its log gave it (found by the property test): regulator-key-validity', async () => {
      const file = JSON.parse(entryText(bundle, 'keys/regulator-keys.json'));
      const { alg: _alg, ...withoutAlg } = file.keys[0];
      file.keys[0] = withoutAlg;
      const report = await verify(bundle, replaceEntry(bundle.entries, 'keys/regulator-keys.json', json(file)));
      expect(report.failed).toContain('regulator-key-validity');
      expect(problems(report, 'regulator-key-validity')).toContain(
        `keys/regulator-keys.json: key ${withoutAlg.kid} is not listed exactly as its log activated it (alg missing)`,
      );
    });

    it('a platform key revoked with effect before it signed: platform-key-validity', async () => {
      const revoked = await generateEvidenceBundle({ keys: bundle, revokeKeyBeforeSecondFiling: true });
      const report = await verify(revoked);
      expect(report.failed).toEqual(['platform-key-validity']);
      expect(problems(report, 'platform-key-validity')[0]).toMatch(
        /^the platform's signature of submission sub_\w+: when it was signed \(\S+\), key \S+ was revoked with effect from \S+$/,
      );
    });

    it('receipts signed with a regulator key after it was replaced: regulator-key-validity', async () => {
      const stale = await generateEvidenceBundle({ keys: bundle, receiptsWithRetiredKey: true });
      const [first] = bundle.regulator.keys;
      const report = await verify(stale);
      expect(report.failed).toEqual(['regulator-key-validity']);
      expect(problems(report, 'regulator-key-validity')[0]).toMatch(
        new RegExp(
          `^the receipt of submission sub_\\w+ was signed at \\S+ with key ${first?.kid}, which was in force only 2026-11-01T00:00:00.000Z to 2026-12-10T00:00:00.000Z$`,
        ),
      );
    });

    it('a receipt from another notice: receipt-notice', async () => {
      const sid = submissionIds(bundle)[0] as string;
      const foreign = entry(other, `submissions/${submissionIds(other)[0]}/receipt.jws`);
      const report = await verify(bundle, replaceEntry(bundle.entries, `submissions/${sid}/receipt.jws`, foreign));
      // It also names a checkpoint of the other notice's bundle.
      expect(report.failed).toEqual(['checkpoint-chain', 'receipt-notice']);
      expect(problems(report, 'receipt-notice')[0]).toBe(
        `the receipt of submission ${sid} is for notice ${other.noticeId}, not ${bundle.noticeId}`,
      );
    });

    it('a notice signature from another notice: notice-content', async () => {
      const report = await verify(
        bundle,
        replaceEntry(bundle.entries, 'notice/signed-notice.jws', entry(other, 'notice/signed-notice.jws')),
      );
      // The platform's countersignature was over this notice's signed notice, not the other's.
      expect(report.failed).toEqual(['notice-content', 'acknowledgement']);
      expect(problems(report, 'notice-content')).toContain(
        `the signed notice is for notice ${other.noticeId}, not ${bundle.noticeId}`,
      );
    });

    it('a checkpoint signature replayed as a receipt: typ', async () => {
      const sid = submissionIds(bundle)[0] as string;
      const checkpoint = bundle.checkpoints[2]?.jws as string;
      const report = await verify(
        bundle,
        replaceEntry(bundle.entries, `submissions/${sid}/receipt.jws`, text(checkpoint)),
      );
      expect(report.failed).toEqual(['typ']);
      expect(problems(report, 'typ')[0]).toBe(
        `the receipt of submission ${sid} is not a receipt: its header typ is "nrp-checkpoint+jws" and payload typ "notice-portal-checkpoint", where a receipt has "nrp-receipt+jws" and "notice-response-receipt"`,
      );
      expect(report.checks.find((c) => c.id === 'receipt-notice')?.status).toBe('not-checked');
    });

    it('clock claims that are wrong — filed after the due time in force but marked on time: on-time', async () => {
      const lying = await generateEvidenceBundle({ keys: bundle, lateButClaimedOnTime: true });
      const report = await verify(lying);
      expect(report.failed).toEqual(['on-time']);
      const [inEvent, inReceipt] = problems(report, 'on-time');
      expect(inEvent).toMatch(
        /^submission sub_\w+ was filed at \S+, after the due time then in force, \S+ \(set by event 8\), but event 9 marks it on time$/,
      );
      expect(inReceipt).toMatch(
        /^the receipt of submission sub_\w+ marks it on time, but it was filed at \S+, after the due time then in force/,
      );
    });

    it('a deadline rule edited after the fact: due-time', async () => {
      const rule = JSON.parse(entryText(bundle, 'deadline/rule.json'));
      rule.deadlineRule.period.amount = 21;
      const report = await verify(bundle, replaceEntry(bundle.entries, 'deadline/rule.json', json(rule)));
      expect(report.failed).toEqual(['due-time']);
      expect(problems(report, 'due-time')[0]).toMatch(/^deadline\/rule.json says deadlineRule/);
    });

    it('a holiday slipped into the calendar after the fact: due-time names the recomputed and the issued due time', async () => {
      const holidays = JSON.parse(entryText(bundle, 'deadline/holidays.json'));
      const issued = bundle.events.find((e) => e.kind === 'issued') as NoticeEvent & { kind: 'issued' };
      // Due at the end of Tuesday 22 December 2026 (Sydney); a "holiday" that day would roll it to the 23rd.
      holidays.dates['2026-12-22'] = 'Office closure';
      const report = await verify(bundle, replaceEntry(bundle.entries, 'deadline/holidays.json', json(holidays)));
      expect(report.failed).toEqual(['due-time']);
      expect(problems(report, 'due-time')[0]).toBe(
        `the rule and holidays give the due time 2026-12-23T12:59:59.999Z, but the issued event (2) says ${issued.data.dueAt}`,
      );
    });

    it('an entry not listed in manifest.json, and one listed but missing: bundle-manifest', async () => {
      const entries = [...bundle.entries, { path: 'notice/extra.txt', bytes: text('hello') }];
      const manifest = JSON.parse(
        Buffer.from(withManifest(bundle, bundle.entries).at(-1)?.bytes as Uint8Array).toString('utf8'),
      );
      manifest.entries.push({ path: 'notice/gone.json', size: 1, sha256: '0'.repeat(64) });
      const report = await verifyBundle(
        entriesBundleReader([...entries, { path: 'manifest.json', bytes: json(manifest) }]),
      );
      expect(report.failed).toEqual(['bundle-manifest']);
      expect(problems(report, 'bundle-manifest')).toEqual([
        'notice/extra.txt is in the bundle but not listed in manifest.json',
        'manifest.json lists notice/gone.json, which is not in the bundle',
      ]);
    });

    it('malformed entries are named failures, never a crash', async () => {
      const entries = replaceEntry(
        replaceEntry(bundle.entries, 'notice/events.json', text('[{"seq": 1')),
        'checkpoints/checkpoints.json',
        json([{ seq: 'one' }]),
      );
      const report = await verify(bundle, entries);
      expect(report.failed).toEqual(expect.arrayContaining(['event-chain', 'checkpoint-signature']));
      expect(problems(report, 'event-chain')).toEqual(['notice/events.json is not JSON']);
      expect(problems(report, 'checkpoint-signature')[0]).toMatch(
        /^checkpoints\/checkpoints.json is not valid: 0.seq:/,
      );
    });
  });

  it('fails, and never throws, for any byte changed in any entry that is evidence', async () => {
    // Not evidence: the projections (notice.json, submission.json) are informational, and a holiday the due time
    // never reaches does not change it (the calendar is not signed: only what it decides is checked).
    const evidence = bundle.entries.filter(
      (e) => !/notice\/notice\.json$|submission\.json$|holidays\.json$/.test(e.path),
    );
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), async (which, offset, xor) => {
        const target = evidence[which % evidence.length] as BundleSourceEntry;
        const bytes = Buffer.from(target.bytes as Uint8Array);
        bytes[offset % bytes.length] = (bytes[offset % bytes.length] as number) ^ xor;
        // JSON whitespace swapped for other whitespace (a space for a CR) is the same document: nothing to detect.
        fc.pre(!sameJson(target.bytes as Uint8Array, bytes));
        const report = await verify(bundle, replaceEntry(bundle.entries, target.path, bytes));
        expect({ path: target.path, valid: report.valid }).toEqual({ path: target.path, valid: false });
      }),
      { numRuns: 150 },
    );
  });

  describe('a checkpoint held outside the bundle', () => {
    it("pins the bundle's checkpoints when it is one of them", async () => {
      const report = await verify(bundle, bundle.entries, { trustedCheckpoint: bundle.checkpoints[1] });
      expect(report.failed).toEqual([]);
      expect(report.checks.find((c) => c.id === 'trusted-checkpoint')?.covered[0]).toMatch(/pins checkpoints 1–2/);
    });

    it('is refused when the bundle holds another checkpoint of that number', async () => {
      const report = await verify(bundle, bundle.entries, { trustedCheckpoint: other.checkpoints[3] });
      expect(report.failed).toEqual(['trusted-checkpoint']);
      expect(problems(report, 'trusted-checkpoint')[0]).toBe(
        "the bundle's checkpoint 4 is not the one you hold: its hash differs",
      );
    });

    it('is refused when another regulator signed it', async () => {
      const impostor = await RegulatorSigner.create(['2026-01-01T00:00:00.000Z']);
      const held = structuredClone(bundle.checkpoints[3]) as GeneratedBundle['checkpoints'][number];
      held.jws = await impostor.sign('checkpoint', held.payload, held.payload.issuedAt);
      const report = await verify(bundle, bundle.entries, { trustedCheckpoint: held });
      expect(report.failed).toEqual(['trusted-checkpoint']);
      expect(problems(report, 'trusted-checkpoint')[0]).toMatch(
        /^your checkpoint 4 is signed with key \S+, which is not one of the regulator's keys$/,
      );
    });

    it('pins the bundle through later checkpoints that link to its latest, and asks for them when they are missing', async () => {
      const last = bundle.checkpoints[3] as GeneratedBundle['checkpoints'][number];
      const later = async (seq: number, previous: string) => {
        const payload = {
          typ: 'notice-portal-checkpoint',
          seq,
          previous,
          issuedAt: '2027-02-01T00:00:00.000Z',
          treeSize: 1,
          root: 'a'.repeat(64),
        };
        const jws = await bundle.regulator.sign('checkpoint', payload, payload.issuedAt);
        return { seq, hash: createHash('sha256').update(canonicalJson(payload)).digest('hex'), payload, jws };
      };
      const five = await later(5, last.hash);
      const six = await later(6, five.hash);

      const linked = await verify(bundle, bundle.entries, { trustedCheckpoint: [five, six] });
      const unlinked = await verify(bundle, bundle.entries, { trustedCheckpoint: six });

      expect(linked.failed).toEqual([]);
      expect(unlinked.failed).toEqual(['trusted-checkpoint']);
      expect(problems(unlinked, 'trusted-checkpoint')[0]).toMatch(
        /later than the bundle's latest \(4\) and checkpoint 5 is missing: give checkpoints 5–6/,
      );
    });
  });
});
