import { createReadStream } from 'node:fs';
import { pipeline, Readable, Transform } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { CliError, Interrupted, networkReason } from './errors';
import { sha256File } from './file-hash';
import type { LocalFile } from './folder';
import type { Io } from './io';
import { ApiError, type PortalClient } from './portal-client';
import { ProgressBar } from './progress';
import { type CompletedPart, partRange, planParts, type StateFile } from './upload-state';

/**
 * Sends a response's files straight to storage through the presigned URLs the portal hands out: one PUT for a
 * small file, parts in parallel for a large one. Bodies are streamed from disk (never buffered whole) with an
 * exact Content-Length. A single PUT also sends the headers its target names (the file's SHA-256, which the URL
 * signs, so storage refuses any other bytes). A part is hashed (SHA-256, streamed from disk) before its URL is asked
 * for, because the portal binds each part's SHA-256 into its URL the same way; the part's PUT sends the headers the
 * URL came with, and the completion names every part's SHA-256. The portal hashes the stored bytes itself either
 * way. Every finished part is recorded in the state file straight away (with its SHA-256), so an interruption
 * costs at most the parts in flight.
 */
export interface TransferStats {
  filesUploaded: number;
  filesAlreadyStored: number;
  /** Parts of multipart uploads (a single PUT is counted as a file, not a part). */
  partsUploaded: number;
  partsAlreadyStored: number;
  bytesUploaded: number;
}

export interface UploadContext {
  client: PortalClient;
  noticeId: string;
  submissionId: string;
  io: Io;
  quiet: boolean;
  /** Parts of one file in flight at once. */
  parallel: number;
  signal: AbortSignal;
  /** Persists the state file; called after every change worth keeping. */
  save: () => void;
  stats: TransferStats;
  /**
   * Test hook (NOTICE_PORTAL_TEST_FAIL_AFTER_PARTS): stop as if interrupted once this many parts were uploaded in
   * this run, so the integration tests can exercise a resume. Not for production use.
   */
  failAfterParts?: number;
  /** First retry delay; each retry waits twice as long. @default 1000 */
  retryBaseMs?: number;
}

export type InitialTarget =
  | { method: 'PUT'; url: string; headers: Record<string, string>; expiresAt: string }
  | { method: 'multipart'; parts: PresignedPart[]; expiresAt: string };

/** A part's upload URL and the headers to send with it (signed into the URL: the part's SHA-256). */
export interface PresignedPart {
  partNumber: number;
  url: string;
  headers: Record<string, string>;
}

/** Attempts per PUT: the first and up to three retries. */
const ATTEMPTS = 4;
const RETRY_BASE_MS = 1000;
/** A URL this close to its expiry is replaced before use rather than failing half-way through a part. */
const URL_EXPIRY_MARGIN_MS = 60_000;
/**
 * Part URLs asked for at once. Each part is read and hashed before its URL is asked for, so a batch only runs a few
 * parts ahead of the uploads instead of reading the whole file first.
 */
const URL_BATCH = 8;

export async function uploadFile(ctx: UploadContext, file: LocalFile, entry: StateFile, initial?: InitialTarget) {
  if (entry.index === undefined) throw new Error(`No file index for ${file.name}`);
  if (entry.multipart) return uploadMultipart(ctx, file, entry, initial?.method === 'multipart' ? initial : undefined);
  return uploadSingle(ctx, file, entry, initial?.method === 'PUT' ? initial : undefined);
}

async function uploadSingle(
  ctx: UploadContext,
  file: LocalFile,
  entry: StateFile,
  initial?: { url: string; headers: Record<string, string>; expiresAt: string },
) {
  const index = entry.index as number;
  const progress = new ProgressBar(ctx.io, file.name, file.size, { quiet: ctx.quiet });
  let target = initial && !expiringSoon(initial.expiresAt) ? initial : undefined;
  try {
    await withRetry(ctx, `${file.name}`, async (previousFailure) => {
      if (!target || previousFailure?.staleUrl) {
        const fresh = await ctx.client.uploadUrls(ctx.noticeId, ctx.submissionId, index);
        if (fresh.method !== 'PUT') {
          throw new CliError(`The portal now expects ${file.name} in parts; rerun with --restart to upload afresh.`);
        }
        target = fresh;
      }
      const headers: Record<string, string> = { ...target.headers };
      if (entry.contentType) headers['content-type'] = entry.contentType;
      await putRange(ctx, target.url, file.path, 0, file.size - 1, headers, progress);
    });
  } catch (error) {
    progress.abandon();
    throw error;
  }
  entry.done = true;
  ctx.save();
  ctx.stats.filesUploaded++;
  ctx.stats.bytesUploaded += file.size;
  progress.finish('uploaded');
}

async function uploadMultipart(
  ctx: UploadContext,
  file: LocalFile,
  entry: StateFile,
  initial?: { parts: PresignedPart[]; expiresAt: string },
) {
  const index = entry.index as number;
  const { partSize, partCount } = entry.multipart as { partSize: number; partCount: number };
  if (Math.ceil(file.size / partSize) !== partCount) {
    throw new CliError(
      `The portal planned ${partCount} parts of ${partSize} bytes for ${file.name} (${file.size} bytes), which do not cover it.`,
    );
  }
  const plan = await resumePlan(ctx, file, entry, initial === undefined);
  if (plan === 'completed') {
    entry.done = true;
    ctx.save();
    ctx.stats.filesAlreadyStored++;
    if (!ctx.quiet) ctx.io.err(`${file.name}: already stored whole (its completion had not been recorded)\n`);
    return;
  }
  const storedBytes = plan.stored.reduce((sum, p) => sum + partRange(file.size, partSize, p.partNumber).length, 0);
  const progress = new ProgressBar(ctx.io, file.name, file.size, { initial: storedBytes, quiet: ctx.quiet });
  const queue = [...plan.missing];
  const hashes = new PartHashes(file.path, file.size, partSize, ctx.signal);
  const urls = new PartUrls(
    async (parts) =>
      ctx.client.uploadUrls(
        ctx.noticeId,
        ctx.submissionId,
        index,
        await Promise.all(parts.map(async (partNumber) => ({ partNumber, sha256: await hashes.of(partNumber) }))),
      ),
    initial,
  );
  // One failure stops the other parts in flight: what finished is recorded, the rest is for the rerun.
  const stop = new AbortController();
  const signal = AbortSignal.any([ctx.signal, stop.signal]);
  const partCtx = { ...ctx, signal };

  const worker = async () => {
    for (let partNumber = queue.shift(); partNumber !== undefined; partNumber = queue.shift()) {
      const range = partRange(file.size, partSize, partNumber);
      const n = partNumber;
      const etag = await withRetry(partCtx, `${file.name} part ${n}`, async (previousFailure) => {
        const part = await urls.get(n, () => queue, previousFailure?.staleUrl);
        const response = await putRange(partCtx, part.url, file.path, range.start, range.end, part.headers, progress);
        const tag = response.headers.get('etag');
        if (!tag)
          throw new CliError(`The storage returned no ETag for ${file.name} part ${n}; cannot complete the upload.`);
        return tag;
      });
      const sha256 = await hashes.of(n);
      entry.parts = sortParts([...entry.parts.filter((p) => p.partNumber !== n), { partNumber: n, etag, sha256 }]);
      ctx.save();
      ctx.stats.partsUploaded++;
      ctx.stats.bytesUploaded += range.length;
      if (ctx.failAfterParts !== undefined && ctx.stats.partsUploaded >= ctx.failAfterParts) {
        throw new Interrupted(
          `Stopped after ${ctx.stats.partsUploaded} parts (test hook NOTICE_PORTAL_TEST_FAIL_AFTER_PARTS); rerun to resume.`,
        );
      }
    }
  };
  try {
    await runWorkers(Math.min(ctx.parallel, queue.length), worker, stop);
  } catch (error) {
    progress.abandon();
    throw error;
  }
  await ctx.client.completeFile(ctx.noticeId, ctx.submissionId, index, sortParts(entry.parts));
  entry.done = true;
  ctx.save();
  ctx.stats.filesUploaded++;
  progress.finish(
    plan.stored.length > 0 ? `uploaded (${plan.stored.length} of ${partCount} parts were already stored)` : 'uploaded',
  );
}

/**
 * Which parts are stored and which are still to send, recorded in the folder's state before anything is sent. A
 * fresh upload has nothing stored yet; a resumed one asks the portal, whose list is the truth. `completed`: the
 * file is stored whole — the completion of an earlier run reached storage but not the portal's record (the portal
 * or the connection died in between), and the portal has recorded it on being asked for the parts.
 */
async function resumePlan(ctx: UploadContext, file: LocalFile, entry: StateFile, resumed: boolean) {
  const index = entry.index as number;
  const { partSize, partCount } = entry.multipart as { partSize: number; partCount: number };
  const stored = resumed ? await storedParts(ctx, file.name, index) : [];
  // The portal lists no parts for a completed file; only then is the submission read again to tell which it is.
  if (resumed && stored?.length === 0) {
    const submission = await ctx.client.getSubmission(ctx.noticeId, ctx.submissionId);
    if (submission.files.find((f) => f.index === index)?.completedAt) return 'completed' as const;
  }
  const plan = planParts({ fileSize: file.size, partSize, partCount, recorded: entry.parts, stored });
  entry.parts = plan.stored;
  ctx.save();
  ctx.stats.partsAlreadyStored += plan.stored.length;
  if (plan.stored.length > 0 && !ctx.quiet) {
    ctx.io.err(
      `${file.name}: resuming; ${plan.stored.length} of ${partCount} parts already stored, uploading ${plan.missing.length}\n`,
    );
  }
  return plan;
}

/** Runs `count` workers; the first to fail stops the others (through `stop`), and its error is thrown. */
async function runWorkers(count: number, worker: () => Promise<void>, stop: AbortController): Promise<void> {
  const workers = Array.from({ length: count }, () =>
    worker().catch((error) => {
      stop.abort();
      throw error;
    }),
  );
  const results = await Promise.allSettled(workers);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (!failure) return;
  // The first real failure, not the aborts it caused in the other workers.
  const first = results.find(
    (r): r is PromiseRejectedResult =>
      r.status === 'rejected' && (r.reason as { name?: string })?.name !== 'AbortError',
  );
  throw (first ?? failure).reason;
}

/**
 * The parts the portal says are stored. If it cannot say (a server error, after the client's own retries), the
 * folder's record is used instead: a part is recorded only once storage acknowledged it with an ETag, so at worst
 * the completion is refused and the user told.
 */
async function storedParts(ctx: UploadContext, name: string, index: number) {
  try {
    return (await ctx.client.listParts(ctx.noticeId, ctx.submissionId, index)).parts;
  } catch (error) {
    if (error instanceof ApiError && error.code === 'upload-expired') {
      // Storage aborted the upload (the bucket's lifecycle rule, days after it started): its parts are gone.
      throw new CliError(`${name}: storage no longer holds this upload, so it cannot be resumed.`, undefined, [
        error.message,
        'Rerun with --restart to open a new submission and upload the files again.',
      ]);
    }
    if (!(error instanceof ApiError) || error.status < 500) throw error;
    if (!ctx.quiet) {
      ctx.io.err(
        `${name}: the portal could not list the stored parts (${error.status}); relying on this folder's record of finished parts\n`,
      );
    }
    return undefined;
  }
}

function sortParts(parts: CompletedPart[]): CompletedPart[] {
  return [...parts].sort((a, b) => a.partNumber - b.partNumber);
}

class StorageRefused extends CliError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** PUTs bytes `[start, end]` of a file, streamed, counting what is read into the progress bar. */
async function putRange(
  ctx: Pick<UploadContext, 'signal'>,
  url: string,
  path: string,
  start: number,
  end: number,
  headers: Record<string, string>,
  progress: ProgressBar,
): Promise<Response> {
  let sent = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      sent += chunk.length;
      progress.add(chunk.length);
      callback(null, chunk);
    },
  });
  const source = pipeline(createReadStream(path, { start, end, highWaterMark: 1024 * 1024 }), counter, () => {});
  try {
    const response = await fetch(url, {
      method: 'PUT',
      body: Readable.toWeb(source) as ReadableStream<Uint8Array>,
      duplex: 'half',
      headers: { ...headers, 'content-length': String(end - start + 1) },
      signal: ctx.signal,
    } as RequestInit);
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
      const message = /<Message>([^<]+)<\/Message>/.exec(text)?.[1];
      throw new StorageRefused(
        response.status,
        `The storage refused the upload (${response.status}${code ? ` ${code}` : ''})${message ? `: ${message}` : ''}`,
      );
    }
    await response.body?.cancel();
    return response;
  } catch (error) {
    progress.add(-sent);
    source.destroy();
    throw error;
  }
}

interface PreviousFailure {
  error: unknown;
  /** The URL was refused (expired or bad signature): get a new one before trying again. */
  staleUrl?: string | true;
}

/** Runs one PUT with up to three retries and exponential backoff; what cannot succeed on retry fails at once. */
async function withRetry<T>(
  ctx: Pick<UploadContext, 'signal' | 'io' | 'quiet' | 'retryBaseMs'>,
  what: string,
  attempt: (previousFailure?: PreviousFailure) => Promise<T>,
): Promise<T> {
  let previous: PreviousFailure | undefined;
  for (let n = 1; ; n++) {
    try {
      return await attempt(previous);
    } catch (error) {
      previous = await afterFailedAttempt(ctx, what, error, n);
    }
  }
}

/** Throws what cannot or need not be retried; otherwise says so, waits out the backoff and describes the failure. */
async function afterFailedAttempt(
  ctx: Pick<UploadContext, 'signal' | 'io' | 'quiet' | 'retryBaseMs'>,
  what: string,
  error: unknown,
  n: number,
): Promise<PreviousFailure> {
  if (ctx.signal.aborted || error instanceof Interrupted) throw error;
  const status = error instanceof StorageRefused ? error.status : undefined;
  if (!isRetryable(error) || n >= ATTEMPTS) throw finalFailure(what, error, n);
  const wait = (ctx.retryBaseMs ?? RETRY_BASE_MS) * 2 ** (n - 1) * (0.75 + Math.random() / 2);
  if (!ctx.quiet) {
    ctx.io.err(
      `\n${what}: attempt ${n} failed (${error instanceof StorageRefused ? error.message : networkReason(error)}); retrying in ${(wait / 1000).toFixed(1)} s\n`,
    );
  }
  await sleep(wait, undefined, { signal: ctx.signal });
  return { error, staleUrl: status === 403 ? true : undefined };
}

function isRetryable(error: unknown): boolean {
  if (error instanceof StorageRefused) {
    const status = error.status;
    return status === 403 || status === 408 || status === 429 || status >= 500;
  }
  // Network failures are worth a retry; our own refusals are not.
  return !(error instanceof CliError);
}

/** The error the user sees when an upload gives up: what was refused, or what failed, and after how many tries. */
function finalFailure(what: string, error: unknown, attempts: number): unknown {
  if (error instanceof StorageRefused && attempts > 1) {
    return new CliError(`${what}: ${error.message} (after ${attempts} attempts).`);
  }
  if (error instanceof CliError) return error;
  return new CliError(`${what}: the upload failed after ${attempts} attempts (${networkReason(error)}).`);
}

function expiringSoon(expiresAt: string): boolean {
  return Date.parse(expiresAt) - Date.now() < URL_EXPIRY_MARGIN_MS;
}

/**
 * Upload URLs for the parts of one file. URLs expire, so they are fetched in batches as the upload reaches them,
 * replaced when close to expiry or refused, and one refresh serves every worker waiting for it.
 */
export class PartUrls {
  private readonly urls = new Map<number, PresignedPart & { expiresAt: string }>();
  private refreshing?: Promise<void>;

  constructor(
    private readonly fetchBatch: (
      parts: number[],
    ) => Promise<{ method: string; parts?: PresignedPart[]; expiresAt: string }>,
    initial?: { parts: PresignedPart[]; expiresAt: string },
  ) {
    if (initial) this.remember(initial.parts, initial.expiresAt);
  }

  async get(partNumber: number, upcoming: () => readonly number[], stale?: string | true): Promise<PresignedPart> {
    const usable = (n: number) => {
      const entry = this.urls.get(n);
      return entry && !expiringSoon(entry.expiresAt) ? entry : undefined;
    };
    if (!stale) {
      const entry = usable(partNumber);
      if (entry) return entry;
    }
    if (this.refreshing) await this.refreshing;
    const afterWait = usable(partNumber);
    if (afterWait && !stale) return afterWait;
    const batch = [partNumber, ...upcoming().filter((n) => n !== partNumber && !usable(n))].slice(0, URL_BATCH);
    this.refreshing = this.fetchBatch(batch)
      .then((target) => {
        if (target.method !== 'multipart' || !target.parts) {
          throw new CliError('The portal no longer treats this file as a multipart upload; rerun with --restart.');
        }
        this.remember(target.parts, target.expiresAt);
      })
      .finally(() => {
        this.refreshing = undefined;
      });
    await this.refreshing;
    const entry = this.urls.get(partNumber);
    if (!entry) throw new CliError(`The portal gave no upload URL for part ${partNumber}.`);
    return entry;
  }

  private remember(parts: PresignedPart[], expiresAt: string): void {
    for (const part of parts) this.urls.set(part.partNumber, { ...part, headers: part.headers ?? {}, expiresAt });
  }
}

/**
 * Each part's SHA-256 (hex), read from disk once, when its URL is first asked for; a retry or a fresh URL for the
 * same part reuses it. The portal binds it into the part's URL, and the completion names it.
 */
export class PartHashes {
  private readonly hashes = new Map<number, Promise<string>>();

  constructor(
    private readonly path: string,
    private readonly fileSize: number,
    private readonly partSize: number,
    private readonly signal: AbortSignal,
  ) {}

  of(partNumber: number): Promise<string> {
    let hash = this.hashes.get(partNumber);
    if (!hash) {
      const { start, end, length } = partRange(this.fileSize, this.partSize, partNumber);
      hash = length === 0 ? Promise.resolve(EMPTY_SHA256) : sha256File(this.path, { start, end, signal: this.signal });
      // A failed read (the run was stopped) is not remembered: the next ask reads the part again.
      hash.catch(() => this.hashes.delete(partNumber));
      this.hashes.set(partNumber, hash);
    }
    return hash;
  }
}

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
