import { type CompletedPart, partRange, planParts, storedBytes, withPart } from '../../../lambdas/domain/upload-parts';
import { ApiError } from '../api/api-error';
import { freshEnough, PartUrls } from './part-urls';
import { SpeedMeter, secondsLeft } from './progress';
import type { ResumeStore } from './resume-store';
import { setUploadActive } from './upload-activity';
import type { UploadApi, UploadTarget } from './upload-api';
import { NetworkFailure, PutAborted, putBlob, StorageRefused } from './xhr-put';

/**
 * Sends a submission's files straight to storage through the portal's presigned URLs: one PUT for a small file
 * (with the headers its target names — the SHA-256 the URL signs), parts in parallel for a large one, each part
 * hashed (in a Worker) before its URL is asked for, since the portal binds each part's SHA-256 into its URL too;
 * each part's ETag and SHA-256 are recorded in IndexedDB the moment storage acknowledges it, and the completion
 * names every part's SHA-256. So a pause, a lost connection or a closed tab
 * costs at most the parts in flight: on resume the portal is asked which parts it has (its list is the truth) and
 * for fresh URLs, and only what is missing is sent.
 *
 * Failures: storage refusals worth retrying (403 expired URL → a fresh one, 408, 429, 5xx) are retried with
 * backoff; a lost connection waits for the browser to be online again and then carries on, however long that
 * takes; an API call refused with 401 (the session ended) waits for the user to sign in again — parts already
 * holding URLs keep going meanwhile, nothing finished is lost.
 */
export type FileStatus = 'queued' | 'uploading' | 'paused' | 'done' | 'failed' | 'cancelled';
export type EngineState = 'idle' | 'running' | 'paused' | 'done' | 'failed' | 'cancelled';

export interface EngineFile {
  index: number;
  file: Blob;
  name: string;
  size: number;
  contentType?: string;
  upload: { kind: 'single' } | { kind: 'multipart'; partSize: number; partCount: number };
  /** Already stored (completed on the portal or recorded so here). */
  done: boolean;
  /** Parts recorded in this browser (a fallback if the portal cannot list them). */
  parts: CompletedPart[];
  /** The target the open answer gave, used while fresh (saves a round trip on a new upload). */
  initial?: UploadTarget;
}

export interface FileProgress {
  index: number;
  name: string;
  size: number;
  status: FileStatus;
  sentBytes: number;
  /** Multipart: parts stored, of how many; and how many were already stored when this run began. */
  parts?: { stored: number; count: number; alreadyStored: number };
  error?: string;
}

export interface EngineSnapshot {
  state: EngineState;
  files: FileProgress[];
  totalBytes: number;
  sentBytes: number;
  bytesPerSecond?: number;
  secondsLeft?: number;
  /** Set while uploads wait: for the browser to be online again, or for the user to sign in again. */
  waitingFor?: 'connection' | 'sign-in';
}

export interface EngineOptions {
  api: UploadApi;
  store: ResumeStore;
  noticeId: string;
  submissionId: string;
  files: EngineFile[];
  /** Resolves once the session is usable again after a 401 (the user signed in again). */
  waitForSession: (signal: AbortSignal) => Promise<void>;
  onChange: (snapshot: EngineSnapshot) => void;
  /** Parts of one file in flight at once. @default 4 */
  parallel?: number;
  /** First retry delay; doubles each time. @default 1000 */
  retryBaseMs?: number;
  /** The PUT itself; unit tests pass a fake storage. @default putBlob (XMLHttpRequest) */
  put?: typeof putBlob;
  /**
   * The SHA-256 (hex) of one part, which the portal binds into the part's URL: in the app `hashPartInWorker`
   * (part-hasher.ts, @noble/hashes off the page's thread); unit tests in Node pass their own.
   */
  hashPart: (part: Blob, signal: AbortSignal) => Promise<string>;
  /** Test hook: every PUT the engine makes (part 0 for a single PUT). */
  onPut?: (event: { index: number; partNumber: number; outcome: 'sent' | 'failed' }) => void;
}

/** Storage refusals: tries per PUT before the file is marked failed. Lost connections do not count. */
const ATTEMPTS = 5;
const MAX_BACKOFF_MS = 30_000;
const NOTIFY_EVERY_MS = 150;

interface Track {
  file: EngineFile;
  status: FileStatus;
  stored: CompletedPart[];
  storedBytes: number;
  inflight: Map<number, number>;
  alreadyStored: number;
  error?: string;
}

let engineIds = 0;

export class UploadEngine {
  private readonly tracks: Track[];
  private state: EngineState = 'idle';
  private controller?: AbortController;
  private running?: Promise<void>;
  private readonly speed = new SpeedMeter();
  private waiting = { connection: 0, 'sign-in': 0 };
  private notifyTimer?: ReturnType<typeof setTimeout>;
  private readonly activityId = `upload-engine-${++engineIds}`;

  constructor(private readonly options: EngineOptions) {
    this.tracks = options.files.map((file) => {
      const plan = file.upload.kind === 'multipart' ? file.parts : [];
      const bytes = file.done
        ? file.size
        : file.upload.kind === 'multipart'
          ? storedBytes(file.size, file.upload.partSize, plan)
          : 0;
      return {
        file,
        status: file.done ? 'done' : 'queued',
        stored: plan,
        storedBytes: bytes,
        inflight: new Map(),
        alreadyStored: plan.length,
      };
    });
  }

  /** Starts (or resumes) the upload of every file not yet stored; resolves when this run stops. */
  start(): Promise<void> {
    if (this.state === 'running' || this.state === 'cancelled') return this.running ?? Promise.resolve();
    const controller = new AbortController();
    this.controller = controller;
    this.state = 'running';
    this.speed.reset();
    setUploadActive(this.activityId, true);
    for (const t of this.tracks) if (t.status !== 'done') Object.assign(t, { status: 'queued', error: undefined });
    this.notify(true);
    this.running = this.runAll(controller.signal).finally(() => {
      setUploadActive(this.activityId, false);
      this.notify(true);
    });
    return this.running;
  }

  /** Stops the parts in flight; finished parts and files stay stored and recorded. */
  async pause(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'paused';
    this.controller?.abort();
    await this.running;
  }

  /** Stops everything and forgets the resume state. The submission stays open on the portal, unused. */
  async cancel(): Promise<void> {
    const wasRunning = this.state === 'running';
    this.state = 'cancelled';
    this.controller?.abort();
    if (wasRunning) await this.running;
    for (const t of this.tracks) if (t.status !== 'done') t.status = 'cancelled';
    await this.options.store.delete(this.options.noticeId);
    this.notify(true);
  }

  /** The engine is done with: no more notifications (the page went away). Uploads in flight are stopped. */
  dispose(): void {
    this.controller?.abort();
    clearTimeout(this.notifyTimer);
    setUploadActive(this.activityId, false);
  }

  snapshot(): EngineSnapshot {
    const totalBytes = this.tracks.reduce((sum, t) => sum + t.file.size, 0);
    const files = this.tracks.map((t): FileProgress => {
      const upload = t.file.upload;
      return {
        index: t.file.index,
        name: t.file.name,
        size: t.file.size,
        status: t.status,
        sentBytes: this.sentOf(t),
        parts:
          upload.kind === 'multipart'
            ? {
                stored: t.status === 'done' ? upload.partCount : t.stored.length,
                count: upload.partCount,
                alreadyStored: t.alreadyStored,
              }
            : undefined,
        error: t.error,
      };
    });
    const sentBytes = files.reduce((sum, f) => sum + f.sentBytes, 0);
    const rate = this.state === 'running' ? this.speed.bytesPerSecond() : undefined;
    const waitingFor = this.waiting['sign-in'] > 0 ? 'sign-in' : this.waiting.connection > 0 ? 'connection' : undefined;
    return {
      state: this.state,
      files,
      totalBytes,
      sentBytes,
      bytesPerSecond: rate,
      secondsLeft: this.state === 'running' ? secondsLeft(totalBytes - sentBytes, rate) : undefined,
      waitingFor,
    };
  }

  private sentOf(t: Track): number {
    if (t.status === 'done') return t.file.size;
    let inflight = 0;
    for (const bytes of t.inflight.values()) inflight += bytes;
    return Math.min(t.file.size, t.storedBytes + inflight);
  }

  private async runAll(signal: AbortSignal): Promise<void> {
    for (const track of this.tracks) {
      if (signal.aborted) break;
      if (track.status !== 'done') await this.runOne(track, signal);
    }
    if (this.state === 'running') {
      this.state = this.tracks.every((t) => t.status === 'done') ? 'done' : 'failed';
    }
    if (this.state === 'paused') for (const t of this.tracks) if (t.status === 'queued') t.status = 'paused';
  }

  /** One file; a failure marks that file failed and lets the others carry on. */
  private async runOne(track: Track, signal: AbortSignal): Promise<void> {
    track.status = 'uploading';
    this.notify(true);
    try {
      if (track.file.upload.kind === 'multipart') await this.uploadMultipart(track, track.file.upload, signal);
      else await this.uploadSingle(track, signal);
      track.status = 'done';
    } catch (error) {
      if (signal.aborted) track.status = this.state === 'cancelled' ? 'cancelled' : 'paused';
      else {
        track.status = 'failed';
        track.error = failureMessage(error);
      }
    }
    track.inflight.clear();
    this.notify(true);
  }

  private async uploadSingle(track: Track, signal: AbortSignal): Promise<void> {
    const { api, noticeId, submissionId } = this.options;
    const file = track.file;
    let target = file.initial?.method === 'PUT' && freshEnough(file.initial) ? file.initial : undefined;
    file.initial = undefined;
    await this.withRetry(signal, async (stale) => {
      if (!target || stale) {
        const fresh = await this.api(signal, () => api.uploadUrls(noticeId, submissionId, file.index));
        if (fresh.method !== 'PUT')
          throw new Error('The portal now expects this file in parts; cancel and start again.');
        target = fresh;
      }
      const headers: Record<string, string> = { ...target.headers };
      if (file.contentType) headers['content-type'] = file.contentType;
      await this.put(track, 0, target.url, file.file, headers, signal);
    });
    await this.options.store.markDone(noticeId, file.index);
  }

  private async uploadMultipart(
    track: Track,
    upload: { partSize: number; partCount: number },
    signal: AbortSignal,
  ): Promise<void> {
    const { api, noticeId, submissionId } = this.options;
    const file = track.file;
    const initial = file.initial?.method === 'multipart' && freshEnough(file.initial) ? file.initial : undefined;
    file.initial = undefined;
    // A fresh upload has nothing stored; otherwise the portal says what it has.
    const stored = initial
      ? []
      : await this.api(signal, () => api.listParts(noticeId, submissionId, file.index)).catch((error) => {
          if (error instanceof ApiError && error.status >= 500) return undefined;
          throw error;
        });
    // The portal lists no parts for a file that is already whole in storage: an earlier completion reached storage
    // but not the record (a tab closed, a connection or the portal died in between), which the portal records on
    // being asked for the parts. Only then is the submission read again, so those parts are not sent a second time.
    if (!initial && stored?.length === 0 && (await this.completedOnPortal(file.index, signal))) {
      await this.options.store.markDone(noticeId, file.index);
      return;
    }
    const plan = planParts({ fileSize: file.size, ...upload, recorded: track.stored, stored });
    track.stored = plan.stored;
    track.alreadyStored = plan.stored.length;
    track.storedBytes = storedBytes(file.size, upload.partSize, plan.stored);
    this.notify(true);

    const queue = [...plan.missing];
    const partBlob = (n: number) => {
      const range = partRange(file.size, upload.partSize, n);
      return file.file.slice(range.start, range.end);
    };
    // Each part hashed once per run, when its URL is first asked for: the URL binds it, the completion names it.
    const hashes = new Map<number, Promise<string>>();
    const hashOf = (n: number) => {
      let hash = hashes.get(n);
      if (!hash) {
        hash = this.options.hashPart(partBlob(n), signal);
        hash.catch(() => hashes.delete(n));
        hashes.set(n, hash);
      }
      return hash;
    };
    const urls = new PartUrls(async (parts) => {
      const asked = await Promise.all(
        parts.map(async (partNumber) => ({ partNumber, sha256: await hashOf(partNumber) })),
      );
      return this.api(signal, () => api.uploadUrls(noticeId, submissionId, file.index, asked));
    }, initial);
    const stop = new AbortController();
    const partSignal = AbortSignal.any([signal, stop.signal]);
    const worker = async () => {
      for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
        const partNumber = n;
        const range = partRange(file.size, upload.partSize, partNumber);
        const etag = await this.withRetry(partSignal, async (stale) => {
          const part = await urls.get(partNumber, () => queue, stale);
          const { etag } = await this.put(track, partNumber, part.url, partBlob(partNumber), part.headers, partSignal);
          if (!etag)
            throw new Error(`The storage returned no ETag for part ${partNumber}; the upload cannot be completed.`);
          return etag;
        });
        const sha256 = await hashOf(partNumber);
        track.stored = withPart(track.stored, { partNumber, etag, sha256 });
        track.storedBytes += range.length;
        track.inflight.delete(partNumber);
        await this.options.store.recordPart(noticeId, file.index, { partNumber, etag, sha256 });
        this.notify();
      }
    };
    const workers = Array.from({ length: Math.min(this.options.parallel ?? 4, queue.length) }, () =>
      worker().catch((error) => {
        stop.abort();
        throw error;
      }),
    );
    const results = await Promise.allSettled(workers);
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason);
    if (failures.length > 0) throw failures.find((e) => !(e instanceof PutAborted)) ?? failures[0];
    await this.api(signal, () => api.completeFile(noticeId, submissionId, file.index, track.stored));
    await this.options.store.markDone(noticeId, file.index);
  }

  private async completedOnPortal(index: number, signal: AbortSignal): Promise<boolean> {
    const { api, noticeId, submissionId } = this.options;
    const submission = await this.api(signal, () => api.getSubmission(noticeId, submissionId));
    return Boolean(submission.files.find((f) => f.index === index)?.completedAt);
  }

  private async put(
    track: Track,
    partNumber: number,
    url: string,
    body: Blob,
    headers: Record<string, string>,
    signal: AbortSignal,
  ) {
    track.inflight.set(partNumber, 0);
    try {
      const result = await (this.options.put ?? putBlob)(
        url,
        body,
        headers,
        (sent) => {
          track.inflight.set(partNumber, sent);
          this.notify();
        },
        signal,
      );
      this.options.onPut?.({ index: track.file.index, partNumber, outcome: 'sent' });
      return result;
    } catch (error) {
      track.inflight.delete(partNumber);
      this.options.onPut?.({ index: track.file.index, partNumber, outcome: 'failed' });
      this.notify();
      throw error;
    }
  }

  /** An API call; a 401 waits (without failing the upload) until the user has signed in again, then retries. */
  private async api<T>(signal: AbortSignal, call: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await call();
      } catch (error) {
        if (signal.aborted) throw new PutAborted();
        if (!(error instanceof ApiError && error.unauthenticated)) throw error;
        await this.waitFor('sign-in', () => this.options.waitForSession(signal));
      }
    }
  }

  /**
   * Runs one PUT (and the URL look-up before it) until it succeeds: a refusal worth retrying is retried with
   * backoff up to ATTEMPTS times (a 403 with a fresh URL); a lost connection waits for the browser to be online,
   * then tries again without counting against the attempts.
   */
  private async withRetry<T>(signal: AbortSignal, attempt: (staleUrl: boolean) => Promise<T>): Promise<T> {
    let refusals = 0;
    let stale = false;
    let networkTries = 0;
    for (;;) {
      try {
        return await attempt(stale);
      } catch (error) {
        if (signal.aborted) throw new PutAborted();
        if (isNetworkFailure(error)) {
          const wait = this.backoff(++networkTries);
          await this.waitFor('connection', () => waitForNetwork(signal, wait));
          continue;
        }
        refusals++;
        if (!isRetryable(error) || refusals >= ATTEMPTS) throw error;
        stale = error instanceof StorageRefused && error.status === 403;
        await sleep(this.backoff(refusals), signal);
      }
    }
  }

  private backoff(n: number): number {
    const base = (this.options.retryBaseMs ?? 1000) * 2 ** (n - 1);
    return Math.min(MAX_BACKOFF_MS, base) * (0.75 + Math.random() / 2);
  }

  private async waitFor(what: 'connection' | 'sign-in', wait: () => Promise<void>): Promise<void> {
    this.waiting[what]++;
    this.speed.reset();
    this.notify(true);
    try {
      await wait();
    } finally {
      this.waiting[what]--;
      this.notify(true);
    }
  }

  /** Coalesces progress events (XHR fires many a second) into a few snapshots; state changes go out at once. */
  private notify(now = false): void {
    const send = () => {
      this.notifyTimer = undefined;
      const snap = this.snapshot();
      this.speed.sample(Date.now(), snap.sentBytes);
      this.options.onChange(this.snapshot());
    };
    if (now) {
      clearTimeout(this.notifyTimer);
      send();
    } else this.notifyTimer ??= setTimeout(send, NOTIFY_EVERY_MS);
  }
}

function isNetworkFailure(error: unknown): boolean {
  return error instanceof NetworkFailure || (error instanceof ApiError && error.status === 0);
}

function isRetryable(error: unknown): boolean {
  const status = error instanceof StorageRefused ? error.status : error instanceof ApiError ? error.status : undefined;
  if (status === undefined) return false;
  return (error instanceof StorageRefused && status === 403) || status === 408 || status === 429 || status >= 500;
}

function failureMessage(error: unknown): string {
  if (error instanceof StorageRefused) return `${error.message}. Try again, or cancel and start again.`;
  if (error instanceof Error) return error.message;
  return 'The upload failed.';
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new PutAborted());
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new PutAborted());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** After a lost connection: wait for the browser to be online again, or (if it thinks it is) back off a little. */
function waitForNetwork(signal: AbortSignal, backoffMs: number): Promise<void> {
  const offline = typeof navigator !== 'undefined' && !navigator.onLine;
  return offline ? waitOnline(signal) : sleep(backoffMs, signal);
}

/** Resolves when the browser says it is online again (or at once if it is). */
function waitOnline(signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (navigator.onLine) return resolve();
    const onOnline = () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    };
    const onAbort = () => {
      window.removeEventListener('online', onOnline);
      reject(new PutAborted());
    };
    window.addEventListener('online', onOnline, { once: true });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
