import { createHash } from 'node:crypto';
import { CompactSign, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { generateSigningKey, type LoadedSigningKey, signManifest } from '../../cli/signing';
import { actorFor } from '../../lambdas/domain/caller';
import { canonicalJson } from '../../lambdas/domain/canonical-json';
import { holidaysFromList } from '../../lambdas/domain/deadline-engine';
import {
  type CheckpointLeaf,
  type DirectoryEvent,
  noticeChain,
  platformKeysChain,
  REGULATOR_KEYS_CHAIN,
  sealDirectoryEvent,
} from '../../lambdas/domain/directory-chain';
import { newUlid } from '../../lambdas/domain/ids';
import { inclusionProof, merkleRoot } from '../../lambdas/domain/merkle';
import type { CreateDraftRequest } from '../../lambdas/domain/notice';
import { GENESIS_HASH, type NoticeEvent, sealEvent, type UnsealedEvent } from '../../lambdas/domain/notice-event';
import { applyEvent } from '../../lambdas/domain/notice-lifecycle';
import { SIGNATURE_TYPES, type SignatureKind } from '../../lambdas/domain/signature-types';
import type { SigningKey } from '../../lambdas/domain/signing-keys';
import { type Manifest, manifestSha256, receiptClaims, type Submission } from '../../lambdas/domain/submission';
import { DAY, HOUR, noticeServiceForTest, officer, transparencyDraft, xCorpLegal } from './notice-fixtures';
import { NSW_PUBLIC_HOLIDAYS_2026_2027 } from './nsw-public-holidays';

/**
 * Builds a valid evidence bundle (docs/evidence.md) from the portal's own domain code, for the verifier's tests,
 * the worked example in docs/ and the benchmark: the notice's events come from NoticeService over an in-memory
 * store (real reducers, real due times), filings are committed as SubmissionService commits them (receiptClaims,
 * a regulator-signed receipt, one `submitted` event), manifests are signed with the CLI's own signManifest, and
 * checkpoints are Merkle trees (lambdas/domain/merkle.ts) over the chain heads at four moments.
 *
 * The signed notice in the `issued` event and the checkpoint each receipt names depend on keys and checkpoints
 * this generator makes itself, so they are added after the lifecycle ran and the chain re-sealed, exactly as the
 * portal writes those events (tests/integration/evidence-lifecycle.test.ts verifies a bundle the portal exported).
 */
export interface BundleSourceEntry {
  path: string;
  /** The bytes, for entries held in memory… */
  bytes?: Uint8Array;
  /** …or a file on disk (the benchmark's large files), with its size and SHA-256 computed beforehand. */
  file?: { path: string; size: number; sha256: string };
}

export interface GeneratedBundle {
  noticeId: string;
  platformId: string;
  /** Every entry but manifest.json, in bundle order. */
  entries: BundleSourceEntry[];
  files: 'included' | 'hashes-only';
  createdAt: string;
  events: NoticeEvent[];
  checkpoints: CheckpointRecordOut[];
  /** What /.well-known/regulator-keys.json would serve: the trusted keys for `--keys`. */
  regulatorKeysJson: { keys: Record<string, unknown>[]; log: DirectoryEvent[] };
  regulator: RegulatorSigner;
  platformKey: LoadedSigningKey;
}

export interface CheckpointRecordOut {
  seq: number;
  hash: string;
  payload: { typ: string; seq: number; previous: string; issuedAt: string; treeSize: number; root: string };
  jws: string;
}

export interface InclusionProofOut {
  checkpointSeq: number;
  chain: string;
  seq: number;
  head: string;
  leafIndex: number;
  treeSize: number;
  path: string[];
}

export interface FileInput {
  name: string;
  /** Small files in memory (tests)… */
  bytes?: Uint8Array;
  /** …or on disk (the benchmark). */
  file?: { path: string; size: number; sha256: string };
}

export interface GenerateOptions {
  files?: 'included' | 'hashes-only';
  /** The files of the two filings (default: a short letter and a small CSV each). */
  firstFiling?: FileInput[];
  secondFiling?: FileInput[];
  /** Pairs of extension requested/refused events after the grant, to make a long chain (the benchmark's 1,000). */
  extraEventPairs?: number;
  /** The second filing after the further-information due time, and the portal claims it on time anyway. */
  lateButClaimedOnTime?: boolean;
  /** The platform's key revoked (recorded at the end) with effect before the second filing was signed. */
  revokeKeyBeforeSecondFiling?: boolean;
  /** A platform signature over the signed notice in the `acknowledged` event (plan §1). @default true */
  countersignAcknowledgement?: boolean;
  /** Sign the notice at issue (plan §1); false for a notice issued before signing existed. @default true */
  signNotice?: boolean;
  /** Changes to the draft (e.g. an explicit `dueAt` instead of the type's rule). */
  draft?: Partial<CreateDraftRequest>;
  /** Receipts signed with the first regulator key after the second replaced it. */
  receiptsWithRetiredKey?: boolean;
  /** The keys of another generated bundle: one regulator, one platform, two notices. */
  keys?: Pick<GeneratedBundle, 'regulator' | 'platformKey'>;
}

interface RegulatorKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
  activatedAt: string;
}

/** The regulator's keys: one activated before the notice, a second (rotation) activated before the filings. */
export class RegulatorSigner {
  constructor(readonly keys: RegulatorKey[]) {}

  static async create(activations: string[]): Promise<RegulatorSigner> {
    const keys: RegulatorKey[] = [];
    for (const activatedAt of activations) {
      const { privateKey } = await generateKeyPair('ES256', { extractable: true });
      const privateJwk = await exportJWK(privateKey);
      const { d: _d, ...bare } = privateJwk;
      const kid = await calculateJwkThumbprint(bare, 'sha256');
      keys.push({ kid, privateJwk, publicJwk: { ...bare, kid, alg: 'ES256', use: 'sig' }, activatedAt });
    }
    return new RegulatorSigner(keys);
  }

  /** The key in force at `at` (the latest activated at or before it). */
  keyAt(at: string): RegulatorKey {
    const key = [...this.keys].reverse().find((k) => Date.parse(k.activatedAt) <= Date.parse(at));
    if (!key) throw new Error(`No regulator key is active at ${at}`);
    return key;
  }

  async sign(kind: SignatureKind, payload: Record<string, unknown>, at: string, key = this.keyAt(at)): Promise<string> {
    return new CompactSign(new TextEncoder().encode(canonicalJson(payload)))
      .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: SIGNATURE_TYPES[kind].header })
      .sign(await importJWK(key.privateJwk, 'ES256'));
  }

  log(): DirectoryEvent[] {
    const events: DirectoryEvent[] = [];
    for (const key of this.keys) {
      const { kid, alg: _a, use: _u, ...jwk } = key.publicJwk;
      events.push(
        sealDirectoryEvent(REGULATOR_KEYS_CHAIN, events.length + 1, events[events.length - 1]?.hash ?? GENESIS_HASH, {
          kind: 'regulator-key-activated',
          at: key.activatedAt,
          data: { kid: kid as string, jwk: { ...jwk, kid, alg: 'ES256', use: 'sig' }, activatedAt: key.activatedAt },
        }),
      );
    }
    return events;
  }

  published(): { keys: Record<string, unknown>[]; log: DirectoryEvent[] } {
    return {
      keys: this.keys.map((k, i) => ({
        ...k.publicJwk,
        validFrom: k.activatedAt,
        ...(this.keys[i + 1] ? { validUntil: this.keys[i + 1]?.activatedAt } : {}),
      })),
      log: this.log(),
    };
  }
}

const encode = (value: unknown) =>
  new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value, null, 2));
const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

const REGULATOR_KEY_1_AT = '2026-11-01T00:00:00.000Z';
const PLATFORM_KEY_AT = '2026-11-02T00:00:00.000Z';
const REGULATOR_KEY_2_AT = '2026-12-10T00:00:00.000Z';
const HOLIDAYS = {
  description: 'public holidays in New South Wales, Australia',
  dates: { ...NSW_PUBLIC_HOLIDAYS_2026_2027 },
};

function defaultFiling(label: string): FileInput[] {
  return [
    { name: 'cover-letter.txt', bytes: encode(`X Corp responds to the notice (${label}).\n`) },
    { name: 'reports.csv', bytes: encode('month,reports\n2026-09,1204\n2026-10,1187\n') },
  ];
}

const fileSize = (f: FileInput) => f.file?.size ?? f.bytes?.length ?? 0;
const fileSha = (f: FileInput) => f.file?.sha256 ?? sha256(f.bytes ?? new Uint8Array());

/** A platform signing key made by the CLI's own keygen code. */
export async function newPlatformKey(): Promise<LoadedSigningKey> {
  const generated = await generateSigningKey('EdDSA');
  return {
    alg: generated.alg,
    kid: generated.kid,
    publicJwk: generated.publicJwk,
    key: await importJWK(generated.privateJwk, generated.alg),
  };
}

export async function generateEvidenceBundle(options: GenerateOptions = {}): Promise<GeneratedBundle> {
  const regulator = options.keys?.regulator ?? (await RegulatorSigner.create([REGULATOR_KEY_1_AT, REGULATOR_KEY_2_AT]));
  const platformKey = options.keys?.platformKey ?? (await newPlatformKey());
  const platformId = 'x-corp';
  const registered: SigningKey = {
    kid: platformKey.kid,
    platformId,
    alg: platformKey.alg,
    jwk: platformKey.publicJwk,
    label: 'Legal team signing key',
    validFrom: PLATFORM_KEY_AT,
    registeredAt: PLATFORM_KEY_AT,
    registeredBy: { subject: 'sub-admin', name: 'Ada Admin', role: 'regulator-admin' },
  };

  // ---- the lifecycle, through the portal's own services --------------------------------------------------------
  const { service, store, clock } = noticeServiceForTest({
    start: '2026-11-24T03:00:00.000Z',
    holidaysFor: () => holidaysFromList(HOLIDAYS.description, HOLIDAYS.dates),
  });
  const draft = await service.createDraft(
    officer,
    transparencyDraft({ contacts: ['legal@x-corp.example'], ...options.draft }),
  );
  const noticeId = draft.notice.id;
  clock.advance(HOUR);
  const issued = await service.issue(officer, noticeId);
  clock.advance(DAY);
  await service.acknowledge(xCorpLegal, noticeId);
  clock.advance(DAY);
  const asked = await service.requestExtension(xCorpLegal, noticeId, {
    requestedDueAt: new Date(Date.parse(issued.dueAt as string) + 14 * DAY).toISOString(),
    reason: 'The data for October is still being compiled.',
  });
  clock.advance(DAY);
  let notice = await service.grantExtension(officer, noticeId, asked.extensions[0]?.id as string, {
    reason: 'Reasonable: the period covers a month not yet closed.',
    legalBasis: 'Online Safety Act 2021 (Cth) s 56(4)',
  });
  for (let i = 0; i < (options.extraEventPairs ?? 0); i++) {
    clock.advance(60_000);
    const request = await service.requestExtension(xCorpLegal, noticeId, {
      requestedDueAt: new Date(Date.parse(notice.dueAt as string) + DAY).toISOString(),
      reason: `Further time asked (${i + 1}).`,
    });
    clock.advance(60_000);
    notice = await service.refuseExtension(
      officer,
      noticeId,
      request.extensions[request.extensions.length - 1]?.id as string,
      'Refused.',
    );
  }
  const submissions: { submission: Submission; manifest: Manifest; signature: string; files: FileInput[] }[] = [];

  /** As SubmissionService.commit does: the receipt from the notice as it stands, then one `submitted` event. */
  const file = async (files: FileInput[], signedAt: string, filedAt: string, claimOnTime?: boolean) => {
    const current = await store.load(noticeId);
    if (!current) throw new Error('notice vanished');
    const submissionId = `sub_${newUlid(clock.now())}`;
    const manifest: Manifest = {
      noticeId,
      submissionId,
      files: files.map((f) => ({ name: f.name, size: fileSize(f), sha256: fileSha(f) })),
      answers: [
        { question: '1', answer: 'Hash matching (PhotoDNA) and classifiers on uploads; human review of every hit.' },
        { question: '2', answer: 'See reports.csv.' },
      ],
      signer: { name: 'Xavier Counsel', title: 'Head of Legal' },
      signedAt,
    };
    const signature = await signManifest(manifest, platformKey);
    const submission: Submission = {
      submissionId,
      noticeId,
      platformId,
      status: 'filed',
      version: 3,
      openedAt: signedAt,
      openedBy: actorFor(xCorpLegal, ['platform-responder']) as Submission['openedBy'],
      files: files.map((f, index) => ({
        index,
        name: f.name,
        size: fileSize(f),
        key: `responses/${noticeId}/${submissionId}/${index}`,
        declaredSha256: fileSha(f),
        upload: { kind: 'single' },
        sha256: fileSha(f),
        hashedSize: fileSize(f),
        hashedAt: filedAt,
      })),
      finalize: {
        requestedAt: filedAt,
        manifest,
        signature,
        manifestSha256: manifestSha256(manifest),
        kid: platformKey.kid,
      },
    };
    clock.moveTo(filedAt);
    clock.advance(2_000);
    const claims = receiptClaims({
      notice: current,
      submission,
      manifest,
      kid: platformKey.kid,
      filedAt,
      issuedAt: clock.now().toISOString(),
    });
    if (claimOnTime) claims.onTime = true;
    const jws = await regulator.sign('receipt', { ...claims }, claims.issuedAt);
    submission.receipt = { number: claims.receiptNumber, filedAt, onTime: claims.onTime, jws };
    const event = sealEvent(noticeId, current.version + 1, current.lastEventHash, {
      kind: 'submitted',
      at: clock.now().toISOString(),
      actor: submission.openedBy,
      idempotencyKey: `finalize:${submissionId}`,
      data: {
        submissionId,
        filedAt,
        onTime: claims.onTime,
        receiptNumber: claims.receiptNumber,
        receipt: jws,
        manifestSha256: manifestSha256(manifest),
        signature,
        kid: platformKey.kid,
        files: claims.files,
      },
    });
    await store.append(event, applyEvent(current, event));
    submissions.push({ submission, manifest, signature, files });
  };

  const extendedDue = Date.parse(notice.dueAt as string);
  const first = new Date(extendedDue - 6 * DAY).toISOString();
  clock.moveTo(new Date(Date.parse(first) - 10 * 60_000).toISOString());
  await file(
    options.firstFiling ?? defaultFiling('first response'),
    new Date(Date.parse(first) - 10 * 60_000).toISOString(),
    first,
  );
  clock.advance(DAY);
  await service.startReview(officer, noticeId);
  clock.advance(DAY);
  const furtherDue = new Date(clock.now().getTime() + 10 * DAY).toISOString();
  await service.requestFurtherInformation(officer, noticeId, {
    dueAt: furtherDue,
    reason: 'Break the reports down by country.',
  });
  const secondAt = new Date(
    Date.parse(furtherDue) + (options.lateButClaimedOnTime ? 2 * HOUR : -2 * DAY),
  ).toISOString();
  const secondSignedAt = new Date(Date.parse(secondAt) - 10 * 60_000).toISOString();
  await file(
    options.secondFiling ?? defaultFiling('further information'),
    secondSignedAt,
    secondAt,
    options.lateButClaimedOnTime,
  );
  clock.advance(DAY);
  await service.startReview(officer, noticeId);
  clock.advance(DAY);
  await service.accept(officer, noticeId, 'The response answers the notice.');
  const endAt = clock.now().toISOString();

  // ---- the platform key log ---------------------------------------------------------------------------------------
  const platformLog: DirectoryEvent[] = [
    sealDirectoryEvent(platformKeysChain(platformId), 1, GENESIS_HASH, {
      kind: 'key-registered',
      at: PLATFORM_KEY_AT,
      actor: registered.registeredBy,
      data: { ...registered },
    }),
  ];
  if (options.revokeKeyBeforeSecondFiling) {
    const effective = new Date(Date.parse(secondSignedAt) - HOUR).toISOString();
    platformLog.push(
      sealDirectoryEvent(platformKeysChain(platformId), 2, platformLog[0]?.hash as string, {
        kind: 'key-revoked',
        at: new Date(Date.parse(endAt) + 60_000).toISOString(),
        actor: registered.registeredBy,
        data: {
          kid: platformKey.kid,
          revokedAt: new Date(Date.parse(endAt) + 60_000).toISOString(),
          revocationEffectiveAt: effective,
          revocationReason: 'The key was found on a compromised laptop.',
        },
      }),
    );
  }
  const regulatorLog = regulator.log();

  // ---- finishing the events as parts A and B write them, with checkpoints at four moments ------------------------
  const stored = (await store.history(noticeId, { limit: 100_000 })).items;
  const checkpointTimes = [
    '2026-11-03T00:00:00.000Z',
    new Date(Date.parse(stored.find((e) => e.kind === 'issued')?.at as string) + 10 * 60_000).toISOString(),
    new Date(Date.parse(stored.find((e) => e.kind === 'submitted')?.at as string) + 10 * 60_000).toISOString(),
    new Date(Date.parse(endAt) + 2 * HOUR).toISOString(),
  ];
  const checkpoints: CheckpointRecordOut[] = [];
  const proofs: InclusionProofOut[] = [];
  const events: NoticeEvent[] = [];
  const chainAt = (log: readonly { at: string; hash: string }[], at: string) =>
    log.filter((e) => Date.parse(e.at) <= Date.parse(at));

  const makeCheckpoint = async (issuedAt: string) => {
    const leaves: CheckpointLeaf[] = [];
    // Another notice changed in the same period: checkpoints commit to every chain changed, not only this one.
    leaves.push({
      chain: 'notice:ntc_01KAZ0000000000000000000ZZ',
      seq: checkpoints.length + 1,
      head: sha256(`other ${checkpoints.length}`),
    });
    const noticeHeads = events.filter((e) => Date.parse(e.at) <= Date.parse(issuedAt));
    if (noticeHeads.length > 0)
      leaves.push({
        chain: noticeChain(noticeId),
        seq: noticeHeads.length,
        head: noticeHeads[noticeHeads.length - 1]?.hash as string,
      });
    for (const [chain, log] of [
      [REGULATOR_KEYS_CHAIN, regulatorLog],
      [platformKeysChain(platformId), platformLog],
    ] as const) {
      const heads = chainAt(log, issuedAt);
      if (heads.length > 0) leaves.push({ chain, seq: heads.length, head: heads[heads.length - 1]?.hash as string });
    }
    leaves.sort((a, b) => (a.chain < b.chain ? -1 : a.chain > b.chain ? 1 : 0));
    const leafBytes = leaves.map((l) =>
      new TextEncoder().encode(canonicalJson({ chain: l.chain, seq: l.seq, head: l.head })),
    );
    const seq = checkpoints.length + 1;
    const payload = {
      typ: 'notice-portal-checkpoint',
      seq,
      previous: checkpoints[seq - 2]?.hash ?? GENESIS_HASH,
      issuedAt,
      treeSize: leaves.length,
      root: merkleRoot(leafBytes),
    };
    const jws = await regulator.sign('checkpoint', payload, issuedAt);
    checkpoints.push({ seq, hash: sha256(canonicalJson(payload)), payload, jws });
    leaves.forEach((leaf, leafIndex) => {
      if (leaf.chain.startsWith('notice:ntc_01KAZ')) return;
      proofs.push({
        checkpointSeq: seq,
        chain: leaf.chain,
        seq: leaf.seq,
        head: leaf.head,
        leafIndex,
        treeSize: leaves.length,
        path: inclusionProof(leafBytes, leafIndex),
      });
    });
  };

  const latestCheckpoint = () => {
    const cp = checkpoints[checkpoints.length - 1];
    return cp ? { seq: cp.seq, hash: cp.hash } : undefined;
  };
  let signedNotice: string | undefined;
  let nextCheckpoint = 0;
  for (const original of stored) {
    while (
      nextCheckpoint < checkpointTimes.length &&
      Date.parse(checkpointTimes[nextCheckpoint] as string) < Date.parse(original.at)
    ) {
      await makeCheckpoint(checkpointTimes[nextCheckpoint++] as string);
    }
    const { hash: _h, prevHash: _p, seq: _s, noticeId: _n, ...unsealed } = original;
    let next = unsealed as UnsealedEvent;
    if (next.kind === 'issued' && options.signNotice !== false) {
      const content = events.filter((e) => e.kind === 'created' || e.kind === 'draft-revised').at(-1) as NoticeEvent & {
        kind: 'created';
      };
      const { reminderPolicy: _r, ...fields } = content.data;
      signedNotice = await regulator.sign(
        'notice',
        {
          typ: SIGNATURE_TYPES.notice.payload,
          noticeId,
          ...fields,
          givenAt: next.at,
          dueAt: next.data.dueAt,
          dueExplanation: next.data.dueExplanation,
          contentSeq: content.seq,
          contentHash: content.hash,
          checkpoint: latestCheckpoint(),
          signedAt: next.at,
        },
        next.at,
      );
      next = { ...next, data: { ...next.data, signedNotice } };
    }
    if (next.kind === 'acknowledged' && signedNotice && options.countersignAcknowledgement !== false) {
      const payload = {
        typ: SIGNATURE_TYPES.acknowledgement.payload,
        noticeId,
        platformId,
        signedNoticeSha256: sha256(Buffer.from(signedNotice, 'ascii')),
        acknowledgedAt: next.at,
      };
      const jws = await new CompactSign(new TextEncoder().encode(canonicalJson(payload)))
        .setProtectedHeader({ alg: platformKey.alg, kid: platformKey.kid, typ: SIGNATURE_TYPES.acknowledgement.header })
        .sign(platformKey.key);
      next = { ...next, data: { signature: jws, kid: platformKey.kid } };
    }
    if (next.kind === 'submitted') {
      const sub = submissions.find(
        (s) => s.submission.submissionId === (next as { data: { submissionId: string } }).data.submissionId,
      );
      const claims = JSON.parse(Buffer.from(next.data.receipt.split('.')[1] as string, 'base64url').toString('utf8'));
      const receipt = await regulator.sign(
        'receipt',
        { ...claims, checkpoint: latestCheckpoint() },
        claims.issuedAt,
        options.receiptsWithRetiredKey ? regulator.keys[0] : undefined,
      );
      if (sub?.submission.receipt) sub.submission.receipt.jws = receipt;
      next = { ...next, data: { ...next.data, receipt } };
    }
    const previous = events[events.length - 1];
    events.push(sealEvent(noticeId, events.length + 1, previous?.hash ?? GENESIS_HASH, next));
  }
  while (nextCheckpoint < checkpointTimes.length) await makeCheckpoint(checkpointTimes[nextCheckpoint++] as string);

  // ---- the entries ---------------------------------------------------------------------------------------------
  const files = options.files ?? 'included';
  const final = events.reduce<ReturnType<typeof applyEvent> | undefined>((n, e) => applyEvent(n, e), undefined);
  const entries: BundleSourceEntry[] = [
    { path: 'notice/notice.json', bytes: encode(final) },
    { path: 'notice/events.json', bytes: encode(events) },
  ];
  if (signedNotice) entries.push({ path: 'notice/signed-notice.jws', bytes: encode(signedNotice) });
  for (const { submission, manifest, signature, files: inputs } of submissions) {
    const dir = `submissions/${submission.submissionId}`;
    entries.push(
      { path: `${dir}/submission.json`, bytes: encode(submission) },
      { path: `${dir}/manifest.json`, bytes: encode(canonicalJson(manifest)) },
      { path: `${dir}/signature.jws`, bytes: encode(signature) },
      { path: `${dir}/receipt.jws`, bytes: encode(submission.receipt?.jws as string) },
    );
    if (files === 'included') {
      for (const f of inputs) entries.push({ path: `${dir}/files/${f.name}`, bytes: f.bytes, file: f.file });
    }
  }
  const issuedEvent = events.find((e) => e.kind === 'issued') as NoticeEvent;
  entries.push(
    { path: 'keys/regulator-keys.json', bytes: encode(regulator.published()) },
    { path: 'keys/platform-keys.json', bytes: encode({ platformId, log: platformLog }) },
    { path: 'checkpoints/checkpoints.json', bytes: encode(checkpoints) },
    { path: 'checkpoints/proofs.json', bytes: encode(proofs) },
    {
      path: 'deadline/rule.json',
      bytes: encode({
        timeZone: final?.timeZone,
        jurisdiction: final?.jurisdiction,
        deadlineRule: final?.deadlineRule,
        requestedDueAt: final?.requestedDueAt,
        givenAt: issuedEvent.at,
      }),
    },
    { path: 'deadline/holidays.json', bytes: encode(HOLIDAYS) },
  );
  return {
    noticeId,
    platformId,
    entries,
    files,
    createdAt: new Date(Date.parse(endAt) + 3 * HOUR).toISOString(),
    events,
    checkpoints,
    regulatorKeysJson: regulator.published(),
    regulator,
    platformKey,
  };
}

/** manifest.json for these entries: every other entry's path, size and SHA-256, and the latest checkpoint. */
export function bundleManifest(
  bundle: Pick<GeneratedBundle, 'noticeId' | 'platformId' | 'createdAt' | 'files' | 'checkpoints'>,
  entries: readonly BundleSourceEntry[],
) {
  const last = bundle.checkpoints[bundle.checkpoints.length - 1];
  return {
    format: 'notice-portal-evidence-bundle',
    version: 1,
    noticeId: bundle.noticeId,
    platformId: bundle.platformId,
    createdAt: bundle.createdAt,
    files: bundle.files,
    checkpoint: last ? { seq: last.seq, hash: last.hash } : null,
    entries: entries.map((e) => ({
      path: e.path,
      size: e.file?.size ?? e.bytes?.length ?? 0,
      sha256: e.file?.sha256 ?? sha256(e.bytes ?? new Uint8Array()),
    })),
  };
}

/** The entries with manifest.json last, as the exporter writes them. */
export function withManifest(
  bundle: GeneratedBundle,
  entries: readonly BundleSourceEntry[] = bundle.entries,
): BundleSourceEntry[] {
  return [...entries, { path: 'manifest.json', bytes: encode(bundleManifest(bundle, entries)) }];
}
