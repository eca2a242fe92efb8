import { createHash } from 'node:crypto';
import {
  type BundleChain,
  checkCheckpointChain,
  checkInclusion,
  checkNamedCheckpoint,
  checkTrusted,
  type VerifiedCheckpoint,
  verifyCheckpointRecords,
} from './bundle-verification-checkpoints';
import { acknowledgementMismatches, receiptMismatches, signedNoticeMismatches } from './bundle-verification-content';
import { checkDueChanges, checkDueTime, checkOnTime, replay } from './bundle-verification-deadlines';
import {
  AcknowledgementPayloadSchema,
  BUNDLE_PATHS,
  type BundleManifest,
  BundleManifestSchema,
  type CheckpointRecord,
  CheckpointRecordSchema,
  DeadlineRuleFileSchema,
  HolidaysFileSchema,
  InclusionProofSchema,
  PlatformKeysFileSchema,
  REQUIRED_ENTRIES,
  ReceiptCheckpointSchema,
  RegulatorKeysFileSchema,
  SignedNoticePayloadSchema,
  submissionPaths,
  zodProblems,
} from './bundle-verification-formats';
import {
  detachedCompact,
  listedKeyProblems,
  PLATFORM_ALGORITHMS,
  platformJwsHeader,
  platformKeysFromLog,
  type RegulatorKey,
  regulatorKeysFromList,
  regulatorKeysFromLog,
  verifyPlatformJws,
  verifyRegulatorJws,
} from './bundle-verification-keys';
import { type BundleCheckId, type BundleVerificationReport, CheckLog } from './bundle-verification-report';
import { canonicalJson } from './canonical-json';
import { type DirectoryEvent, noticeChain, platformKeysChain, REGULATOR_KEYS_CHAIN } from './directory-chain';
import { type NoticeEvent, type NoticeEventOf, NoticeEventSchema, verifyChain } from './notice-event';
import { ReceiptClaimsSchema } from './receipt-verification';
import { SIGNATURE_TYPES } from './signature-types';
import { keyUnusableAt, type SigningKey } from './signing-keys';
import { type Manifest, ManifestSchema } from './submission';
import * as z from './zod';

/**
 * The offline verifier of an evidence bundle (docs/evidence.md; the algorithm is docs/evidence.md): pure, with
 * the bundle behind a port, so the CLI reads a ZIP from disk and tests read one from memory. Every JSON entry is
 * parsed with zod; whatever is malformed or missing is a named failure of the check that needed it, never a crash.
 */
export interface BundleEntry {
  path: string;
  /** Uncompressed size in bytes. */
  size: number;
}

export interface BundleReader {
  /** Every entry, in the order the archive holds them. */
  entries(): Promise<BundleEntry[]>;
  /** An entry's bytes, for the small entries (JSON, JWS); refuses one larger than `maxBytes`. */
  read(path: string, maxBytes: number): Promise<Uint8Array>;
  /** An entry's size and SHA-256 (lower-case hex), streamed: files may be far larger than memory. */
  hash(path: string): Promise<{ size: number; sha256: string }>;
}

export interface BundleVerificationOptions {
  /** The regulator's published keys, obtained independently (`/.well-known/regulator-keys.json`). */
  trustedKeys?: { keys: unknown[]; log?: unknown[] };
  /** A checkpoint obtained independently, or a list of records ending with it (to link it to the bundle). */
  trustedCheckpoint?: CheckpointRecord | CheckpointRecord[];
}

/** JSON and JWS entries are read whole; anything larger than this is refused rather than risk memory. */
export const MAX_DOCUMENT_BYTES = 64 * 1024 ** 2;

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

export async function verifyBundle(
  reader: BundleReader,
  options: BundleVerificationOptions = {},
): Promise<BundleVerificationReport> {
  const verification = new BundleVerification(reader, options);
  try {
    return await verification.run();
  } catch (error) {
    // Every entry is parsed before use, so this is a bug, not a bad bundle; it is still a report, never a crash.
    return verification.stopped(error);
  }
}

class BundleVerification {
  private readonly checks = new CheckLog();
  private listed = new Map<string, BundleEntry>();
  private hashes = new Map<string, { size: number; sha256: string }>();
  private manifest?: BundleManifest;
  private regulatorKeys: RegulatorKey[] = [];
  private keySource: 'bundle' | 'trusted' = 'bundle';
  private events?: NoticeEvent[];
  private checkpoints: VerifiedCheckpoint[] = [];

  constructor(
    private readonly reader: BundleReader,
    private readonly options: BundleVerificationOptions,
  ) {}

  stopped(error: unknown): BundleVerificationReport {
    this.checks.fail(
      'bundle-manifest',
      `verification stopped unexpectedly: ${(error as Error)?.message ?? String(error)}`,
    );
    return this.checks.report({
      noticeId: this.manifest?.noticeId,
      platformId: this.manifest?.platformId,
      regulatorKeys: { source: this.keySource, keys: [] },
    });
  }

  async run(): Promise<BundleVerificationReport> {
    await this.checkListing();
    const events = await this.checkEvents();
    await this.loadRegulatorKeys();
    const regulatorLog = await this.regulatorLog();
    const platform = await this.platformKeys();
    await this.checkCheckpoints(events, regulatorLog, platform?.log);
    if (events) {
      const issued = this.issuedEvent(events);
      const signed = await this.checkSignedNotice(events, issued);
      await this.checkSubmissions(events, platform?.keys);
      await this.checkDeadlines(events, issued);
      await this.checkAcknowledgements(events, signed, platform?.keys);
    } else {
      // Every check below finds what it checks through the events (the filings, the acknowledgements): without them
      // it did not run, which is "not checked", never "not applicable" (that would say the bundle has none).
      for (const id of [
        'notice-signature',
        'notice-content',
        'receipt-signature',
        'receipt-notice',
        'platform-signature',
        'platform-key-validity',
        'file-hash',
        'due-time',
        'on-time',
        'acknowledgement',
      ] as const) {
        this.checks.blocked(id, 'the events could not be read (see event-chain)');
      }
    }
    return this.checks.report({
      noticeId: this.manifest?.noticeId,
      platformId: this.manifest?.platformId,
      regulatorKeys: {
        source: this.keySource,
        keys: this.regulatorKeys.map((k) => ({
          kid: k.kid,
          validFrom: k.windows[0]?.from,
          validUntil: k.windows[k.windows.length - 1]?.until,
        })),
      },
    });
  }

  // ---- reading entries -------------------------------------------------------------------------------------------

  private has(path: string): boolean {
    return this.listed.has(path);
  }

  /** An entry's bytes, or undefined (with a failure of `check`) when it is missing or too large. */
  private async bytes(path: string, check: BundleCheckId): Promise<Uint8Array | undefined> {
    const entry = this.listed.get(path);
    if (!entry) {
      this.checks.fail(check, `the bundle has no ${path}`);
      return undefined;
    }
    if (entry.size > MAX_DOCUMENT_BYTES) {
      this.checks.fail(check, `${path} is ${entry.size} bytes, more than any such document (${MAX_DOCUMENT_BYTES})`);
      return undefined;
    }
    try {
      return await this.reader.read(path, MAX_DOCUMENT_BYTES);
    } catch (error) {
      this.checks.fail(check, `${path} cannot be read: ${(error as Error).message}`);
      return undefined;
    }
  }

  private async json<S extends z.ZodMiniType>(
    path: string,
    schema: S,
    check: BundleCheckId,
  ): Promise<z.infer<S> | undefined> {
    const bytes = await this.bytes(path, check);
    if (!bytes) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(text(bytes));
    } catch {
      this.checks.fail(check, `${path} is not JSON`);
      return undefined;
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      this.checks.fail(check, `${path} is not valid: ${zodProblems(parsed.error)}`);
      return undefined;
    }
    return parsed.data;
  }

  // ---- bundle-manifest, entry-hash -------------------------------------------------------------------------------

  private async checkListing(): Promise<void> {
    let entries: BundleEntry[];
    try {
      entries = await this.reader.entries();
    } catch (error) {
      this.checks.fail('bundle-manifest', `the bundle cannot be read: ${(error as Error).message}`);
      return;
    }
    const duplicates = entries.filter((e, i) => entries.findIndex((f) => f.path === e.path) !== i);
    for (const d of duplicates) this.checks.fail('bundle-manifest', `the bundle holds ${d.path} twice`);
    this.listed = new Map(entries.map((e) => [e.path, e]));
    if (entries[entries.length - 1]?.path !== BUNDLE_PATHS.manifest) {
      this.checks.fail('bundle-manifest', 'manifest.json is not the last entry of the bundle');
    }
    const manifest = await this.json(BUNDLE_PATHS.manifest, BundleManifestSchema, 'bundle-manifest');
    if (!manifest) {
      this.checks.blocked('entry-hash', 'manifest.json cannot be read');
      return;
    }
    this.manifest = manifest;
    const stated = new Map(manifest.entries.map((e) => [e.path, e]));
    for (const e of entries) {
      if (e.path !== BUNDLE_PATHS.manifest && !stated.has(e.path)) {
        this.checks.fail('bundle-manifest', `${e.path} is in the bundle but not listed in manifest.json`);
      }
    }
    for (const e of manifest.entries) {
      if (!this.listed.has(e.path))
        this.checks.fail('bundle-manifest', `manifest.json lists ${e.path}, which is not in the bundle`);
    }
    for (const path of REQUIRED_ENTRIES) {
      if (!this.listed.has(path)) this.checks.fail('bundle-manifest', `the bundle has no ${path}`);
    }
    this.checks.covered('bundle-manifest', `${entries.length} entries, ${manifest.entries.length} listed`);

    for (const e of manifest.entries) {
      if (!this.listed.has(e.path)) continue;
      let actual: { size: number; sha256: string };
      try {
        actual = await this.reader.hash(e.path);
      } catch (error) {
        this.checks.fail('entry-hash', `${e.path} cannot be read: ${(error as Error).message}`);
        continue;
      }
      this.hashes.set(e.path, actual);
      if (actual.size !== e.size) {
        this.checks.fail('entry-hash', `${e.path} is ${actual.size} bytes; manifest.json says ${e.size}`);
      } else if (actual.sha256 !== e.sha256) {
        this.checks.fail('entry-hash', `${e.path} has SHA-256 ${actual.sha256}; manifest.json says ${e.sha256}`);
      }
    }
    this.checks.covered('entry-hash', `${this.hashes.size} entries hashed`);
  }

  // ---- event-chain -----------------------------------------------------------------------------------------------

  private async checkEvents(): Promise<NoticeEvent[] | undefined> {
    const raw = await this.json(BUNDLE_PATHS.events, z.array(NoticeEventSchema).check(z.minLength(1)), 'event-chain');
    if (!raw) return undefined;
    const noticeId = this.manifest?.noticeId ?? raw[0]?.noticeId;
    const foreign = raw.find((e) => e.noticeId !== noticeId);
    if (foreign) {
      this.checks.fail('event-chain', `event ${foreign.seq} belongs to notice ${foreign.noticeId}, not ${noticeId}`);
      return undefined;
    }
    const chain = verifyChain(raw);
    if (!chain.valid) {
      this.checks.fail('event-chain', describeChainProblem(raw, chain));
      return undefined;
    }
    if (raw[0]?.kind !== 'created') {
      this.checks.fail('event-chain', 'event 1 is not the creation of the notice');
      return undefined;
    }
    this.checks.covered('event-chain', `events 1–${raw.length} of ${noticeId}`);
    this.events = raw;
    return raw;
  }

  // ---- keys ------------------------------------------------------------------------------------------------------

  private async loadRegulatorKeys(): Promise<void> {
    if (this.options.trustedKeys) {
      this.keySource = 'trusted';
      const parsed = RegulatorKeysFileSchema.safeParse(this.options.trustedKeys);
      if (!parsed.success) {
        this.checks.fail('regulator-key-validity', `the keys you gave are not valid: ${zodProblems(parsed.error)}`);
        return;
      }
      this.regulatorKeys = parsed.data.log
        ? ((await regulatorKeysFromLog(parsed.data.log, this.checks, 'your key log')) ?? [])
        : await regulatorKeysFromList(parsed.data.keys, this.checks, 'your keys');
      return;
    }
    this.checks.note(
      'regulator-key-validity',
      "the regulator's keys came from the bundle itself: compare their thumbprints (kid) with the regulator's published keys",
    );
  }

  /** The bundle's regulator key log (chain, consistency with its key list, and, without --keys, the keys). */
  private async regulatorLog(): Promise<DirectoryEvent[] | undefined> {
    const file = await this.json(BUNDLE_PATHS.regulatorKeys, RegulatorKeysFileSchema, 'regulator-key-validity');
    if (!file) return undefined;
    if (!file.log) {
      this.checks.fail('regulator-key-validity', `${BUNDLE_PATHS.regulatorKeys} has no key log`);
      return undefined;
    }
    const keys = await regulatorKeysFromLog(file.log, this.checks, BUNDLE_PATHS.regulatorKeys);
    if (!keys) return undefined;
    for (const listed of file.keys) {
      for (const problem of listedKeyProblems(listed, keys)) {
        this.checks.fail('regulator-key-validity', `${BUNDLE_PATHS.regulatorKeys}: ${problem}`);
      }
    }
    if (this.keySource === 'bundle') this.regulatorKeys = keys;
    else {
      for (const k of keys) {
        const trusted = this.regulatorKeys.find((t) => t.kid === k.kid);
        if (!trusted)
          this.checks.note(
            'regulator-key-validity',
            `the bundle's key log names key ${k.kid}, which is not among your keys`,
          );
      }
    }
    return file.log;
  }

  private async platformKeys(): Promise<{ keys: Map<string, SigningKey>; log: DirectoryEvent[] } | undefined> {
    const file = await this.json(BUNDLE_PATHS.platformKeys, PlatformKeysFileSchema, 'platform-key-validity');
    if (!file) return undefined;
    if (this.manifest && file.platformId !== this.manifest.platformId) {
      this.checks.fail(
        'platform-key-validity',
        `${BUNDLE_PATHS.platformKeys} is the key log of ${file.platformId}, not ${this.manifest.platformId}`,
      );
      return undefined;
    }
    const keys = await platformKeysFromLog(file.platformId, file.log, this.checks);
    return keys ? { keys, log: file.log } : undefined;
  }

  // ---- checkpoints -----------------------------------------------------------------------------------------------

  private async checkCheckpoints(
    events: NoticeEvent[] | undefined,
    regulatorLog: DirectoryEvent[] | undefined,
    platformLog: DirectoryEvent[] | undefined,
  ): Promise<void> {
    const records = await this.json(BUNDLE_PATHS.checkpoints, z.array(CheckpointRecordSchema), 'checkpoint-signature');
    const proofs = await this.json(BUNDLE_PATHS.proofs, z.array(InclusionProofSchema), 'checkpoint-inclusion');
    if (!records) {
      for (const id of ['checkpoint-chain', 'checkpoint-inclusion', 'trusted-checkpoint'] as const) {
        this.checks.blocked(id, `${BUNDLE_PATHS.checkpoints} cannot be read`);
      }
      return;
    }
    this.checkpoints = await verifyCheckpointRecords(records, this.regulatorKeys, this.checks, 'bundle');
    checkCheckpointChain(this.checkpoints, this.checks, 'bundle');
    const last = this.checkpoints[this.checkpoints.length - 1];
    if (this.manifest) {
      const named = this.manifest.checkpoint;
      if (
        (named === null) !== (last === undefined) ||
        (named && (named.seq !== last?.seq || named.hash !== last?.hash))
      ) {
        this.checks.fail(
          'checkpoint-chain',
          `manifest.json names checkpoint ${named ? named.seq : 'none'} as the latest, but the bundle's latest is ${last ? last.seq : 'none'}`,
        );
      }
    }
    if (records.length === 0) this.checks.note('checkpoint-chain', 'the bundle holds no checkpoints');

    if (proofs) {
      // The three chains a bundle holds; one whose entry could not be read is named, with no heads.
      const chains: BundleChain[] = [
        { chain: REGULATOR_KEYS_CHAIN, label: 'the regulator key log', heads: regulatorLog },
      ];
      if (this.manifest) {
        chains.push(
          { chain: noticeChain(this.manifest.noticeId), label: 'the notice', heads: events },
          { chain: platformKeysChain(this.manifest.platformId), label: 'the platform key log', heads: platformLog },
        );
      }
      checkInclusion({ proofs, cps: this.checkpoints, chains, checks: this.checks });
    }

    const trusted = this.options.trustedCheckpoint;
    if (trusted === undefined) {
      this.checks.note(
        'trusted-checkpoint',
        'no checkpoint of your own was given (--checkpoint): the checkpoints prove the bundle consistent with itself; only one obtained independently proves the regulator did not re-sign a rewritten history',
      );
      return;
    }
    const list = z
      .array(CheckpointRecordSchema)
      .check(z.minLength(1))
      .safeParse(Array.isArray(trusted) ? trusted : [trusted]);
    if (!list.success) {
      this.checks.fail(
        'trusted-checkpoint',
        `the checkpoint you gave is not a checkpoint record: ${zodProblems(list.error)}`,
      );
      return;
    }
    // Checked on their own log: a fault in what the reader brought is a failure of trusted-checkpoint, not of the
    // bundle's checkpoint-signature.
    const scratch = new CheckLog();
    const verified = await verifyCheckpointRecords(list.data, this.regulatorKeys, scratch, 'your');
    checkCheckpointChain(verified, scratch, 'your');
    const problems = scratch
      .report({ regulatorKeys: { source: this.keySource, keys: [] } })
      .checks.flatMap((c) => c.problems);
    if (problems.length > 0 || verified.length !== list.data.length) {
      for (const p of problems) this.checks.fail('trusted-checkpoint', p);
      if (problems.length === 0)
        this.checks.fail('trusted-checkpoint', 'the checkpoint you gave could not be verified');
      return;
    }
    checkTrusted({ trusted: verified, cps: this.checkpoints, checks: this.checks });
  }

  // ---- the signed notice -----------------------------------------------------------------------------------------

  private issuedEvent(events: NoticeEvent[]): NoticeEventOf<'issued'> | undefined {
    const issued = events.filter((e): e is NoticeEventOf<'issued'> => e.kind === 'issued');
    if (issued.length > 1) this.checks.fail('event-chain', `the notice was issued ${issued.length} times`);
    return issued[0];
  }

  private async checkSignedNotice(
    events: NoticeEvent[],
    issued: NoticeEventOf<'issued'> | undefined,
  ): Promise<string | undefined> {
    if (!issued) {
      this.checks.fail('notice-content', 'the events never issue the notice');
      return undefined;
    }
    const inEvent = issued.data.signedNotice;
    if (!this.has(BUNDLE_PATHS.signedNotice)) {
      if (inEvent)
        this.checks.fail(
          'notice-signature',
          `the issued event (${issued.seq}) carries a signed notice, but the bundle has no ${BUNDLE_PATHS.signedNotice}`,
        );
      else this.checks.note('notice-signature', 'the notice was issued before notices were signed; nothing to check');
      return undefined;
    }
    const bytes = await this.bytes(BUNDLE_PATHS.signedNotice, 'notice-signature');
    if (!bytes) return undefined;
    const jws = text(bytes).trim();
    if (inEvent !== undefined && inEvent !== jws) {
      this.checks.fail(
        'notice-content',
        `${BUNDLE_PATHS.signedNotice} is not the signed notice recorded in the issued event (${issued.seq})`,
      );
    }
    const verified = await verifyRegulatorJws({
      jws,
      kind: 'notice',
      what: 'the signed notice',
      keys: this.regulatorKeys,
      checks: this.checks,
      signedAt: (p) => (p as { signedAt?: string } | null)?.signedAt,
    });
    if (!verified) {
      this.checks.blocked('notice-content', 'the signed notice could not be verified');
      return jws;
    }
    const parsed = SignedNoticePayloadSchema.safeParse(verified.payload);
    if (!parsed.success) {
      this.checks.fail(
        'notice-content',
        `the signed notice does not state what a notice as given states: ${zodProblems(parsed.error)}`,
      );
      return jws;
    }
    const p = parsed.data;
    const noticeId = events[0]?.noticeId;
    const fail = (m: string) => this.checks.fail('notice-content', m);
    if (p.noticeId !== noticeId) {
      fail(`the signed notice is for notice ${p.noticeId}, not ${noticeId}`);
      return jws;
    }
    const contentEvents = events
      .slice(0, issued.seq - 1)
      .filter(
        (e): e is NoticeEventOf<'created' | 'draft-revised'> => e.kind === 'created' || e.kind === 'draft-revised',
      );
    const content = contentEvents[contentEvents.length - 1];
    if (!content) {
      fail("no event before the issue states the notice's content");
      return jws;
    }
    const mismatches = signedNoticeMismatches(p, content, issued);
    for (const m of mismatches) fail(m);
    if (mismatches.length === 0) {
      this.checks.covered(
        'notice-content',
        `content of event ${content.seq}, given-at and due time of event ${issued.seq}`,
      );
    }
    checkNamedCheckpoint(p.checkpoint, p.signedAt, this.checkpoints, this.checks, 'the signed notice');
    return jws;
  }

  // ---- submissions: receipts, platform signatures, files -----------------------------------------------------------

  private async checkSubmissions(events: NoticeEvent[], platformKeys: Map<string, SigningKey> | undefined) {
    const filings = events.filter((e): e is NoticeEventOf<'submitted'> => e.kind === 'submitted');
    for (const event of filings) {
      const sid = event.data.submissionId;
      const paths = submissionPaths(sid);
      if (![...this.listed.keys()].some((p) => p.startsWith(paths.dir))) {
        this.checks.fail(
          'bundle-manifest',
          `submission ${sid} was filed (event ${event.seq}) but the bundle has no ${paths.dir}`,
        );
        continue;
      }
      const manifestBytes = await this.bytes(paths.manifest, 'platform-signature');
      const manifest = manifestBytes ? this.parseManifest(manifestBytes, sid, event) : undefined;
      await this.checkReceipt(event, manifestBytes, manifest);
      if (manifestBytes && manifest) await this.checkPlatformSignature(event, manifestBytes, manifest, platformKeys);
      if (manifest) this.checkFiles(sid, manifest);
    }
    if (filings.length === 0) {
      this.checks.note('receipt-signature', 'no response was filed');
      this.checks.note('platform-signature', 'no response was filed');
    }
    this.checkStrayFiles(filings.map((e) => e.data.submissionId));
  }

  private parseManifest(bytes: Uint8Array, sid: string, event: NoticeEventOf<'submitted'>): Manifest | undefined {
    const path = submissionPaths(sid).manifest;
    let value: unknown;
    try {
      value = JSON.parse(text(bytes));
    } catch {
      this.checks.fail('platform-signature', `${path} is not JSON`);
      return undefined;
    }
    const parsed = ManifestSchema.safeParse(value);
    if (!parsed.success) {
      this.checks.fail('platform-signature', `${path} is not a response manifest: ${zodProblems(parsed.error)}`);
      return undefined;
    }
    const m = parsed.data;
    if (text(bytes) !== canonicalJson(m))
      this.checks.fail('platform-signature', `${path} is not the canonical JSON that was signed`);
    const noticeId = event.noticeId;
    if (m.noticeId !== noticeId)
      this.checks.fail(
        'receipt-notice',
        `the manifest of submission ${sid} is for notice ${m.noticeId}, not ${noticeId}`,
      );
    if (m.submissionId !== sid)
      this.checks.fail('receipt-notice', `the manifest in ${path} is for submission ${m.submissionId}`);
    if (sha256Hex(bytes) !== event.data.manifestSha256) {
      this.checks.fail('receipt-notice', `${path} is not the manifest filed in event ${event.seq} (SHA-256 differs)`);
    }
    if (!same(m.files, event.data.files))
      this.checks.fail('receipt-notice', `the files of ${path} are not those filed in event ${event.seq}`);
    return m;
  }

  private async checkReceipt(event: NoticeEventOf<'submitted'>, manifestBytes?: Uint8Array, manifest?: Manifest) {
    const sid = event.data.submissionId;
    const path = submissionPaths(sid).receipt;
    const what = `the receipt of submission ${sid}`;
    const bytes = await this.bytes(path, 'receipt-signature');
    if (!bytes) {
      this.checks.blocked('receipt-notice', `${what} is missing`);
      checkOnTime({ event, inForce: this.inForceBefore(event), checks: this.checks });
      return;
    }
    const jws = text(bytes).trim();
    const verified = await verifyRegulatorJws({
      jws,
      kind: 'receipt',
      what,
      keys: this.regulatorKeys,
      checks: this.checks,
      signedAt: (p) => (p as { issuedAt?: string } | null)?.issuedAt,
    });
    if (!verified) {
      this.checks.blocked('receipt-notice', `${what} could not be verified`);
      checkOnTime({ event, inForce: this.inForceBefore(event), checks: this.checks });
      return;
    }
    const claims = ReceiptClaimsSchema.safeParse(verified.payload);
    if (!claims.success) {
      this.checks.fail(
        'receipt-signature',
        `${what} does not state what a receipt states: ${zodProblems(claims.error)}`,
      );
      this.checks.blocked('receipt-notice', `${what} states no receipt claims`);
      checkOnTime({ event, inForce: this.inForceBefore(event), checks: this.checks });
      return;
    }
    const c = claims.data;
    const mismatches = receiptMismatches({
      what,
      claims: c,
      jws,
      event,
      platformId: this.manifest?.platformId,
      manifestBytes,
      manifest,
    });
    for (const m of mismatches) this.checks.fail('receipt-notice', m);
    if (mismatches.length === 0) this.checks.covered('receipt-notice', `${what} (${c.receiptNumber})`);
    const named = ReceiptCheckpointSchema.safeParse(verified.payload);
    if (named.success) checkNamedCheckpoint(named.data.checkpoint, c.issuedAt, this.checkpoints, this.checks, what);
    else this.checks.fail('checkpoint-chain', `${what} names a checkpoint that is not {seq, hash}`);
    checkOnTime({ event, inForce: this.inForceBefore(event), receipt: c, checks: this.checks });
  }

  private async checkPlatformSignature(
    event: NoticeEventOf<'submitted'>,
    manifestBytes: Uint8Array,
    manifest: Manifest,
    keys: Map<string, SigningKey> | undefined,
  ) {
    const sid = event.data.submissionId;
    const path = submissionPaths(sid).signature;
    const bytes = await this.bytes(path, 'platform-signature');
    if (!bytes) return;
    const signature = text(bytes).trim();
    const what = `the platform's signature of submission ${sid}`;
    if (detachedCompact(signature) !== event.data.signature) {
      this.checks.fail('platform-signature', `${path} is not the signature filed in event ${event.seq}`);
    }
    const header = platformJwsHeader(signature);
    if (!header || typeof header.kid !== 'string' || !PLATFORM_ALGORITHMS.includes(String(header.alg))) {
      this.checks.fail('platform-signature', `${what} has no header naming an EdDSA or ES256 key`);
      return;
    }
    if (header.crit !== undefined || header.b64 !== undefined) {
      this.checks.fail('platform-signature', `${what} uses JWS extensions the portal refuses`);
      return;
    }
    if (!keys) {
      this.checks.blocked('platform-signature', 'the platform key log could not be read');
      return;
    }
    const key = keys.get(header.kid);
    if (!key) {
      this.checks.fail(
        'platform-key-validity',
        `${what} was made with key ${header.kid}, which the platform's key log never registered`,
      );
      this.checks.blocked('platform-signature', `${what}: its key is unknown`);
      return;
    }
    if (key.alg !== header.alg)
      this.checks.fail('platform-signature', `${what} says ${String(header.alg)}, but key ${key.kid} is ${key.alg}`);
    for (const [label, at] of [
      ['signed', manifest.signedAt],
      ['filed', event.data.filedAt],
    ] as const) {
      const unusable = keyUnusableAt(key, at);
      if (unusable) this.checks.fail('platform-key-validity', `${what}: when it was ${label} (${at}), ${unusable}`);
    }
    if (!this.checks.failedAny('platform-key-validity')) {
      this.checks.covered('platform-key-validity', `key ${key.kid} at ${manifest.signedAt} and ${event.data.filedAt}`);
    }
    const result = await verifyPlatformJws(signature, manifestBytes, key);
    if (!result.ok) this.checks.fail('platform-signature', `${what} ${result.problem}`);
    else this.checks.covered('platform-signature', `${what} (${key.alg}, key ${key.kid})`);
  }

  private checkFiles(sid: string, manifest: Manifest) {
    const paths = submissionPaths(sid);
    if (this.manifest?.files !== 'included') {
      this.checks.note('file-hash', `submission ${sid}: the bundle holds only the files' hashes`);
      return;
    }
    for (const file of manifest.files) {
      const path = paths.file(file.name);
      const actual = this.hashes.get(path);
      if (!this.has(path))
        this.checks.fail('file-hash', `submission ${sid}'s file "${file.name}" is not in the bundle`);
      else if (!actual) this.checks.blocked('file-hash', `${path} could not be hashed`);
      else if (actual.size !== file.size) {
        this.checks.fail(
          'file-hash',
          `"${file.name}" of submission ${sid} is ${actual.size} bytes; its signed manifest says ${file.size}`,
        );
      } else if (actual.sha256 !== file.sha256) {
        this.checks.fail(
          'file-hash',
          `"${file.name}" of submission ${sid} has SHA-256 ${actual.sha256}; its signed manifest says ${file.sha256}`,
        );
      } else this.checks.covered('file-hash', `submission ${sid}: "${file.name}" (${file.size} bytes)`);
    }
    const names = new Set(manifest.files.map((f) => paths.file(f.name)));
    for (const path of this.listed.keys()) {
      if (path.startsWith(paths.files) && !names.has(path)) {
        this.checks.fail('file-hash', `${path} is not a file of submission ${sid}'s signed manifest`);
      }
    }
  }

  private checkStrayFiles(filed: string[]) {
    if (this.manifest?.files === 'hashes-only') {
      for (const path of this.listed.keys()) {
        if (/^submissions\/[^/]+\/files\//.test(path)) {
          this.checks.fail('bundle-manifest', `${path} is a file, in a bundle that says it holds hashes only`);
        }
      }
    }
    for (const path of this.listed.keys()) {
      const sid = /^submissions\/([^/]+)\/files\//.exec(path)?.[1];
      if (sid && !filed.includes(sid))
        this.checks.note('file-hash', `${path} belongs to submission ${sid}, which was never filed`);
    }
  }

  // ---- due time and on time --------------------------------------------------------------------------------------

  private replayed?: ReturnType<typeof replay>;

  private inForceBefore(event: NoticeEvent) {
    if (!this.events) return undefined;
    this.replayed ??= replay(this.events);
    return this.replayed.before[event.seq - 1];
  }

  private async checkDeadlines(events: NoticeEvent[], issued: NoticeEventOf<'issued'> | undefined) {
    const rule = await this.json(BUNDLE_PATHS.rule, DeadlineRuleFileSchema, 'due-time');
    const holidays = await this.json(BUNDLE_PATHS.holidays, HolidaysFileSchema, 'due-time');
    const contentEvents = events.filter(
      (e): e is NoticeEventOf<'created' | 'draft-revised'> =>
        (e.kind === 'created' || e.kind === 'draft-revised') && (!issued || e.seq < issued.seq),
    );
    const content = contentEvents[contentEvents.length - 1];
    if (rule && holidays && issued && content) {
      checkDueTime({ rule, holidays, content: content.data, issued, checks: this.checks });
    } else if (!issued) this.checks.blocked('due-time', 'the notice was never issued');
    this.replayed ??= replay(events);
    if (this.replayed.error) this.checks.fail('on-time', `the events cannot be replayed: ${this.replayed.error}`);
    else checkDueChanges(events, this.replayed.before, this.checks);
  }

  // ---- acknowledgement -------------------------------------------------------------------------------------------

  private async checkAcknowledgements(
    events: NoticeEvent[],
    signedNotice: string | undefined,
    keys: Map<string, SigningKey> | undefined,
  ) {
    const acks = events.filter(
      (e): e is NoticeEventOf<'acknowledged'> => e.kind === 'acknowledged' && e.data.signature !== undefined,
    );
    if (acks.length === 0) {
      this.checks.note('acknowledgement', 'the platform did not countersign its acknowledgement');
      return;
    }
    for (const event of acks) await this.checkAcknowledgement(event, signedNotice, keys);
  }

  private async checkAcknowledgement(
    event: NoticeEventOf<'acknowledged'>,
    signedNotice: string | undefined,
    keys: Map<string, SigningKey> | undefined,
  ) {
    const what = `the acknowledgement in event ${event.seq}`;
    const jws = event.data.signature as string;
    let header: Record<string, unknown> | undefined;
    let payload: unknown;
    try {
      header = platformJwsHeader(jws);
      payload = JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8'));
    } catch {
      this.checks.fail('acknowledgement', `${what} is not a compact JWS`);
      return;
    }
    const expected = SIGNATURE_TYPES.acknowledgement;
    this.checks.covered('typ', what);
    if (header?.typ !== expected.header || (payload as { typ?: unknown } | null)?.typ !== expected.payload) {
      this.checks.fail('typ', `${what} is not an acknowledgement (typ ${JSON.stringify(header?.typ)})`);
      return;
    }
    const parsed = AcknowledgementPayloadSchema.safeParse(payload);
    if (!parsed.success) {
      this.checks.fail(
        'acknowledgement',
        `${what} does not state what an acknowledgement states: ${zodProblems(parsed.error)}`,
      );
      return;
    }
    const key = typeof header?.kid === 'string' ? keys?.get(header.kid) : undefined;
    const problems = acknowledgementMismatches({
      what,
      payload: parsed.data,
      event,
      platformId: this.manifest?.platformId,
      signedNotice,
      key,
      headerKid: header?.kid,
    });
    for (const p of problems) this.checks.fail('acknowledgement', p);
    if (!key) return;
    const result = await verifyPlatformJws(jws, undefined, key);
    if (!result.ok) this.checks.fail('acknowledgement', `${what} ${result.problem}`);
    else if (problems.length === 0) {
      this.checks.covered('acknowledgement', `${what} (key ${key.kid}, acknowledged ${parsed.data.acknowledgedAt})`);
    }
  }
}

/** verifyChain's finding in words: "event 7 does not link to event 6". */
function describeChainProblem(events: readonly NoticeEvent[], problem: { seq: number; problem: string }): string {
  const position = events.findIndex((e) => e.seq === problem.seq) + 1;
  if (problem.problem.startsWith('expected event')) {
    return `the event at position ${position} is numbered ${problem.seq}: an event is missing, inserted or out of order`;
  }
  if (problem.problem === 'does not link to the event before') {
    return `event ${problem.seq} does not link to event ${problem.seq - 1}`;
  }
  return `event ${problem.seq}'s content does not match its hash: it was edited`;
}
