import type { Caller } from './caller';
import { actorFor, REGULATOR_ROLES } from './caller';
import type { HolidayCalendar } from './deadline-engine';
import { Conflict, Forbidden, NotFound } from './errors';
import type {
  BundleBuildTrigger,
  BundleFileMode,
  BundleProgress,
  BundleRef,
  EvidenceBundle,
  EvidenceBundleRecord,
  EvidenceBundleStore,
} from './evidence-bundle';
import {
  type BundleEntry,
  bundleChains,
  bundleEntries,
  bundleManifest,
  type WrittenEntry,
} from './evidence-bundle-layout';
import type { CheckpointRecord, EvidenceSources } from './evidence-sources';
import { bundleIdForIdempotencyKey } from './ids';
import type { Jurisdiction, Notice } from './notice';
import type { NoticeEvent } from './notice-event';
import { assertVisible } from './notice-lifecycle';
import type { NoticeStore } from './notice-store';
import type { SubmissionStore } from './submission-store';

/**
 * Writes a bundle's ZIP to storage, streaming: the entries in order, then the manifest made from what was written.
 * Implemented over yazl and an S3 multipart upload (s3-evidence-bundle-archive.ts).
 */
export interface BundleArchive {
  /**
   * Where attempt `attempt` of a bundle is stored. Each run writes its own object, so a run that lost its lease and
   * finishes late can never overwrite the ZIP that the record (written by the run that won) describes.
   */
  objectKey(noticeId: string, bundleId: string, attempt: number): string;
  write(
    key: string,
    entries: readonly BundleEntry[],
    manifest: (written: readonly WrittenEntry[]) => Uint8Array,
    options: { onProgress: (progress: BundleProgress) => void; signal?: AbortSignal },
  ): Promise<{ size: number; sha256: string }>;
  presignGet(key: string, fileName: string, expiresInSeconds: number): Promise<string>;
}

export interface EvidenceBundleServiceDeps {
  notices: Pick<NoticeStore, 'load' | 'history'>;
  submissions: Pick<SubmissionStore, 'listSubmissions'>;
  bundles: EvidenceBundleStore;
  sources: EvidenceSources;
  archive: BundleArchive;
  trigger: BundleBuildTrigger;
  holidaysFor: (jurisdiction: Jurisdiction) => HolidayCalendar;
  clock: () => Date;
  newBundleId: () => string;
  settings?: Partial<BundleSettings>;
  /** Where a start that failed is reported (the bundle is still built: by the sweep, once its lease ends). */
  warn?: (message: string, fields: Record<string, unknown>) => void;
}

export interface BundleSettings {
  /** A building bundle whose run has not written for this long is presumed dead and restarted by the sweep. */
  leaseMs: number;
  /** How often a run records progress (and renews its lease): the throttle of progress writes. */
  heartbeatMs: number;
  /** Runs after which a bundle that still fails is marked failed. */
  maxAttempts: number;
  downloadExpirySeconds: number;
}

export const DEFAULT_BUNDLE_SETTINGS: BundleSettings = {
  leaseMs: 90_000,
  heartbeatMs: 2_000,
  maxAttempts: 3,
  downloadExpirySeconds: 300,
};

/** Another run took the bundle over (its lease had ended): this one stops without writing. */
class Superseded extends Error {}

export type BuildOutcome = 'ready' | 'failed' | 'retry-later' | 'not-building' | 'busy' | 'superseded';

/**
 * Requesting, building and reading evidence bundles. A request writes the record (`building`) and starts a build
 * elsewhere; a build claims the record (attempt + 1, a lease), streams the ZIP while renewing the lease with its
 * progress, and ends `ready` (or, after `maxAttempts`, `failed`). A run that dies leaves a lease that ends; the
 * sweep lists those through a sparse index and builds them again. Every write is conditional on the version read.
 */
export class EvidenceBundleService {
  private readonly settings: BundleSettings;

  constructor(private readonly deps: EvidenceBundleServiceDeps) {
    this.settings = { ...DEFAULT_BUNDLE_SETTINGS, ...deps.settings };
  }

  async request(
    caller: Caller,
    noticeId: string,
    files: BundleFileMode,
    idempotencyKey?: string,
  ): Promise<{ bundle: EvidenceBundle; created: boolean }> {
    const notice = await this.visibleIssued(caller, noticeId);
    const actor = actorFor(caller, [...REGULATOR_ROLES, 'platform-responder']);
    if (!actor) throw new Forbidden('Only regulator and platform users may request an evidence bundle.');
    const bundleId = idempotencyKey
      ? bundleIdForIdempotencyKey(noticeId, caller.subject, idempotencyKey)
      : this.deps.newBundleId();
    const existing = idempotencyKey ? await this.deps.bundles.getBundle(noticeId, bundleId) : undefined;
    if (existing) return { bundle: await this.replay(existing, files), created: false };

    const now = this.deps.clock();
    const record: EvidenceBundleRecord = {
      bundleId,
      noticeId,
      platformId: notice.platformId,
      status: 'building',
      files,
      requestedAt: now.toISOString(),
      requestedBy: actor,
      progress: { entriesWritten: 0, bytesWritten: 0 },
      version: 1,
      objectKey: this.deps.archive.objectKey(noticeId, bundleId, 1),
      // No run has claimed it yet: if the start below is lost, the sweep builds it when this lease ends.
      attempt: 0,
      leaseUntil: new Date(now.getTime() + this.settings.leaseMs).toISOString(),
      ...(idempotencyKey && { idempotencyKey }),
    };
    if (!(await this.deps.bundles.createBundle(record))) {
      const raced = idempotencyKey && (await this.deps.bundles.getBundle(noticeId, bundleId));
      if (raced) return { bundle: await this.replay(raced, files), created: false };
      throw new Conflict('concurrent-update', 'A bundle with this id already exists; try again.');
    }
    // The record is the commitment: a start that fails (Lambda throttled, unreachable) only delays the build until
    // the sweep finds the request's lease ended, so the caller still gets its 202 and a bundle to poll.
    await this.deps.trigger.start({ noticeId, bundleId }).catch((error) =>
      this.deps.warn?.('evidence bundle build not started; the sweep will start it', {
        noticeId,
        bundleId,
        error: String(error),
      }),
    );
    return { bundle: await this.view(record), created: true };
  }

  async get(caller: Caller, noticeId: string, bundleId: string): Promise<EvidenceBundle> {
    await this.visibleIssued(caller, noticeId);
    const record = await this.deps.bundles.getBundle(noticeId, bundleId);
    if (!record) throw new NotFound(`Evidence bundle ${bundleId} was not found.`);
    return this.view(record);
  }

  /**
   * One build run. Claims the bundle unless another live run holds it, writes the ZIP, and records the outcome.
   * A failure before `maxAttempts` leaves it `building` with its lease ended, so the next sweep tries again.
   */
  async build(
    ref: BundleRef,
    log: (message: string, fields: Record<string, unknown>) => void = () => {},
  ): Promise<BuildOutcome> {
    const claimed = await this.claim(ref);
    if (typeof claimed === 'string') return claimed;
    let current = claimed;

    // Progress writes are serialised and throttled; each renews the lease and fails if another run took over.
    let progress = current.progress;
    let writing: Promise<void> = Promise.resolve();
    let superseded = false;
    const stop = new AbortController();
    const write = (next: Partial<EvidenceBundleRecord>) => {
      writing = writing
        .then(async () => {
          if (superseded) return;
          const record = { ...current, ...next, version: current.version + 1 };
          if (await this.deps.bundles.replaceBundle(record, current.version)) current = record;
          else {
            superseded = true;
            stop.abort();
          }
        })
        // A heartbeat that fails (the table briefly unreachable) is only a missed heartbeat: the next one renews
        // the lease, and should the lease end first, the conditional writes tell this run it was superseded.
        .catch((error) => log('evidence bundle heartbeat failed', { ...ref, error: String(error) }));
      return writing;
    };
    const heartbeat = setInterval(() => {
      void write({ progress, leaseUntil: this.leaseFrom(this.deps.clock()) });
    }, this.settings.heartbeatMs);
    try {
      const { entries, checkpoints } = await this.entriesFor(current);
      const stored = await this.deps.archive.write(
        current.objectKey,
        entries,
        (written) =>
          bundleManifest(
            {
              noticeId: current.noticeId,
              platformId: current.platformId,
              createdAt: current.requestedAt,
              files: current.files,
              checkpoints,
            },
            written,
          ),
        {
          onProgress: (next) => {
            progress = next;
          },
          signal: stop.signal,
        },
      );
      clearInterval(heartbeat);
      await writing;
      if (superseded) throw new Superseded();
      const readyAt = this.deps.clock().toISOString();
      const { leaseUntil: _lease, ...rest } = current;
      const ready: EvidenceBundleRecord = {
        ...rest,
        version: current.version + 1,
        status: 'ready',
        progress: { entriesWritten: entries.length + 1, bytesWritten: stored.size },
        size: stored.size,
        sha256: stored.sha256,
        readyAt,
      };
      if (!(await this.deps.bundles.replaceBundle(ready, current.version))) return 'superseded';
      log('evidence bundle ready', { ...ref, size: stored.size, attempt: current.attempt });
      return 'ready';
    } catch (error) {
      clearInterval(heartbeat);
      await writing.catch(() => {});
      if (error instanceof Superseded || superseded) return 'superseded';
      log('evidence bundle build failed', { ...ref, attempt: current.attempt, error: String(error) });
      const at = this.deps.clock();
      const next =
        current.attempt >= this.settings.maxAttempts
          ? this.failed(current, at)
          : // The lease ends now: the next sweep restarts the build from the beginning.
            { ...current, version: current.version + 1, leaseUntil: at.toISOString() };
      await this.deps.bundles.replaceBundle(next, current.version);
      return next.status === 'failed' ? 'failed' : 'retry-later';
    }
  }

  /** Takes the bundle for this run (attempt + 1, a fresh lease), or says why not. */
  private async claim(ref: BundleRef): Promise<EvidenceBundleRecord | BuildOutcome> {
    const found = await this.deps.bundles.getBundle(ref.noticeId, ref.bundleId);
    if (found?.status !== 'building') return 'not-building';
    const now = this.deps.clock();
    // attempt 0 is the request's own lease, waiting for the first run; any later one belongs to a live run.
    if (found.attempt > 0 && found.leaseUntil && found.leaseUntil > now.toISOString()) return 'busy';
    if (found.attempt >= this.settings.maxAttempts) {
      await this.deps.bundles.replaceBundle(this.failed(found, now), found.version);
      return 'failed';
    }
    const attempt = found.attempt + 1;
    const claimed: EvidenceBundleRecord = {
      ...found,
      version: found.version + 1,
      attempt,
      objectKey: this.deps.archive.objectKey(found.noticeId, found.bundleId, attempt),
      progress: { entriesWritten: 0, bytesWritten: 0 },
      leaseUntil: this.leaseFrom(now),
    };
    return (await this.deps.bundles.replaceBundle(claimed, found.version)) ? claimed : 'superseded';
  }

  /** Restarts every build whose lease has ended (a run killed, timed out, or failed), oldest first. */
  async sweep(options: {
    limit: number;
    continueWhile?: () => boolean;
    log?: (message: string, fields: Record<string, unknown>) => void;
  }): Promise<{ examined: number; outcomes: Record<string, BuildOutcome> }> {
    const due = await this.deps.bundles.listExpiredBuilds(this.deps.clock().toISOString(), options.limit);
    const outcomes: Record<string, BuildOutcome> = {};
    for (const ref of due) {
      if (options.continueWhile && !options.continueWhile()) break;
      outcomes[ref.bundleId] = await this.build(ref, options.log);
    }
    return { examined: due.length, outcomes };
  }

  /** The entries, and the checkpoints read for them (the manifest names the latest). */
  private async entriesFor(
    record: EvidenceBundleRecord,
  ): Promise<{ entries: BundleEntry[]; checkpoints: CheckpointRecord[] }> {
    const notice = await this.deps.notices.load(record.noticeId);
    if (!notice) throw new Error(`invariant: the notice of bundle ${record.bundleId} exists`);
    const chains = bundleChains(notice);
    const [events, submissions, regulatorKeys, platformKeyLog, checkpoints, proofs] = await Promise.all([
      this.allEvents(notice.id),
      this.deps.submissions.listSubmissions(notice.id),
      this.deps.sources.regulatorKeys(),
      this.deps.sources.platformKeyLog(notice.platformId),
      this.deps.sources.checkpoints(chains),
      this.deps.sources.proofs(chains),
    ]);
    const entries = bundleEntries({
      notice,
      events,
      submissions,
      files: record.files,
      regulatorKeys,
      platformKeyLog,
      checkpoints,
      proofs,
      holidays: this.deps.holidaysFor(notice.jurisdiction),
    });
    return { entries, checkpoints };
  }

  private async allEvents(noticeId: string): Promise<NoticeEvent[]> {
    const events: NoticeEvent[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.deps.notices.history(noticeId, { limit: 100, cursor });
      events.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return events;
  }

  /** Regulators see any issued notice, a platform its own; drafts have no evidence (and a platform never sees one). */
  private async visibleIssued(caller: Caller, noticeId: string): Promise<Notice> {
    const notice = assertVisible(caller, await this.deps.notices.load(noticeId), noticeId);
    if (notice.status === 'draft') {
      throw new Conflict('illegal-transition', `Notice ${noticeId} is a draft: it has no evidence until it is issued.`);
    }
    return notice;
  }

  private async replay(existing: EvidenceBundleRecord, files: BundleFileMode): Promise<EvidenceBundle> {
    if (existing.files !== files) {
      throw new Conflict(
        'idempotency-key-reused',
        `This Idempotency-Key already requested a bundle with files "${existing.files}"; use a new key for another.`,
      );
    }
    return this.view(existing);
  }

  private async view(record: EvidenceBundleRecord): Promise<EvidenceBundle> {
    const {
      platformId: _p,
      version: _v,
      objectKey,
      attempt: _a,
      leaseUntil: _l,
      idempotencyKey: _k,
      ...bundle
    } = record;
    if (record.status !== 'ready') return bundle;
    const fileName = `evidence-${record.noticeId}-${record.bundleId}.zip`;
    const downloadUrl = await this.deps.archive.presignGet(objectKey, fileName, this.settings.downloadExpirySeconds);
    return { ...bundle, downloadUrl };
  }

  private failed(record: EvidenceBundleRecord, at: Date): EvidenceBundleRecord {
    const { leaseUntil: _lease, ...rest } = record;
    return {
      ...rest,
      version: record.version + 1,
      status: 'failed',
      error: `The bundle could not be built after ${record.attempt} attempts (last at ${at.toISOString()}); request a new one.`,
    };
  }

  private leaseFrom(now: Date): string {
    return new Date(now.getTime() + this.settings.leaseMs).toISOString();
  }
}
