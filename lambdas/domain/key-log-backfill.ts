import { missingKeyLogEvents } from './key-log';
import type { KeyLogStore } from './key-log-store';
import type { SigningKeyStore } from './signing-key-store';

/**
 * The one-off backfill of the platforms' key logs: keys registered (and revoked) before the log existed have no
 * `key-registered` / `key-revoked` event and no pending mark, so nothing else would ever log them, and every
 * evidence bundle of a response signed with one fails `platform-key-validity`. The backfill walks the directory's
 * platforms in id order, a page a run, and appends each platform's missing events (key-log.ts
 * `missingKeyLogEvents`). Progress is a cursor (the last platform finished) kept in a marker that also records the
 * pass as done, so later runs cost one read.
 *
 * Safe to retry and to run beside itself and beside new registrations: every append is conditional on its
 * sequence number, a writer that loses re-reads the log and decides again, and an event is only ever appended
 * when the log it just read has none of that kind for that kid. The marker only ever moves forward.
 */

/** The directory's platform ids in order, a page at a time (a Query of one partition, never a Scan). */
export interface PlatformIdPages {
  /** Up to `limit` platform ids after `after` (from the first when undefined), in id order. */
  platformIdsAfter(after: string | undefined, limit: number): Promise<string[]>;
}

export interface BackfillProgress {
  /** The last platform whose log is complete; the next run starts after it. */
  after?: string;
  done: boolean;
}

/** Where a backfill keeps its progress (one marker item per backfill). */
export interface BackfillProgressStore {
  read(): Promise<BackfillProgress | undefined>;
  /** Saves `progress` unless the stored progress is already further (done, or past `after`); false then. */
  advance(progress: BackfillProgress): Promise<boolean>;
}

export interface KeyLogBackfillDeps {
  platforms: PlatformIdPages;
  keys: Pick<SigningKeyStore, 'listKeys'>;
  keyLog: Pick<KeyLogStore, 'platformKeyLog' | 'appendKeyLog'>;
  progress: BackfillProgressStore;
  clock: () => Date;
}

export interface KeyLogBackfillResult {
  /** `<platform>/<seq>` of every event this run appended. */
  appended: string[];
  /** Platforms whose logs this run completed (including those that lacked nothing). */
  platforms: string[];
  done: boolean;
  /** A platform whose log kept changing under every attempt; the next run starts again there. */
  stalledAt?: string;
}

const MAX_ATTEMPTS = 5;

export class KeyLogBackfill {
  constructor(private readonly deps: KeyLogBackfillDeps) {}

  /** Completes the logs of up to `limit` platforms after the cursor; nothing but one read once the pass is done. */
  async run(options: { limit: number }): Promise<KeyLogBackfillResult> {
    const progress = await this.deps.progress.read();
    if (progress?.done) return { appended: [], platforms: [], done: true };
    const page = await this.deps.platforms.platformIdsAfter(progress?.after, options.limit);
    const appended: string[] = [];
    const platforms: string[] = [];
    let after = progress?.after;
    for (const platformId of page) {
      const events = await this.completeLog(platformId);
      if (!events) {
        // Keep the cursor before this platform: the next run tries it again.
        if (after !== progress?.after) await this.deps.progress.advance({ after, done: false });
        return { appended, platforms, done: false, stalledAt: platformId };
      }
      appended.push(...events.map((seq) => `${platformId}/${seq}`));
      platforms.push(platformId);
      after = platformId;
    }
    // A short page is the last: the pass is done. A platform created later is logged as it registers keys.
    const done = page.length < options.limit;
    await this.deps.progress.advance({ after, done });
    return { appended, platforms, done };
  }

  /** Appends what the platform's log lacks for its keys; the seqs appended, or undefined if it never settled. */
  private async completeLog(platformId: string): Promise<number[] | undefined> {
    const { keys, keyLog, clock } = this.deps;
    const appended: number[] = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const records = await keys.listKeys(platformId);
      const missing = missingKeyLogEvents(
        platformId,
        await keyLog.platformKeyLog(platformId),
        records,
        clock().toISOString(),
      );
      let complete = true;
      for (const event of missing) {
        if (!(await keyLog.appendKeyLog(platformId, event))) {
          // Another writer took this seq (a registration, a revocation, another run): read again and decide again.
          complete = false;
          break;
        }
        appended.push(event.seq);
      }
      if (complete) return appended;
    }
    return undefined;
  }
}
