/**
 * Benchmark: signed responses through the local portal. Starts `npm start`'s portal as a child process (embedded
 * dynalite and s3rver behind the SigV4 guard), then for each file size (64 MiB, 256 MiB and 1 GiB by default):
 *
 * - a raw PUT of the file to the same S3 endpoint with the AWS SDK (multipart above 64 MiB, with the part size the
 *   portal would choose, 4 parts in parallel): the ceiling;
 * - the same file through the portal: open a submission, upload to the presigned URL(s) (same parallelism, streamed),
 *   complete, finalize with a signed manifest, and poll until the receipt: throughput end to end, and how fast the
 *   portal verifies (hashes the stored bytes itself);
 * - the portal process's peak memory during each, from /proc/<pid>/status (VmRSS sampled every 100 ms, and VmHWM):
 *   the portal process includes the embedded S3 server that receives every byte, so it must stay flat.
 *
 * Then 100 small submissions (one 4 KiB file each) finalized one after another, and 100 more eight at a time.
 *
 *   npm run bench:responses              (add -- 16 64 for other sizes, in MiB)
 *
 * Linux only (reads /proc). The default sizes need about 5 GiB free in the temp directory (test files, s3rver data).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline, Readable, Transform } from 'node:stream';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { calculateJwkThumbprint, exportJWK, FlattenedSign, generateKeyPair, type KeyLike } from 'jose';
import { canonicalJson } from '../lambdas/domain/canonical-json';
import { SINGLE_PUT_MAX_BYTES } from '../lambdas/domain/submission';
import { partSizeFor } from '../lambdas/domain/submission-service';
import { type Figure, ratio, recordFigures } from './support/figures';

const MIB = 1024 * 1024;
const SIZES_MIB = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const PARALLEL_PARTS = 4;
const SMALL_COUNT = 100;
const SMALL_BYTES = 4096;
const SMALL_CONCURRENCY = 8;
/** Peak RSS growth between the smallest and the largest file that still counts as flat. */
const FLAT_TOLERANCE_BYTES = 64 * MIB;
const ROOT = join(__dirname, '..');
const PLATFORM = 'x-corp';
const PLATFORM_USER = 'x-corp-legal';

// ---- the portal as a child process ---------------------------------------------------------------------------

interface PortalProcess {
  child: ChildProcess;
  url: string;
  s3Endpoint: string;
  /** Everything the portal printed after its ready line (errors, warnings). */
  laterOutput: () => string;
}

async function startPortalProcess(dataDir: string): Promise<PortalProcess> {
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'local/start.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      DYNAMODB_PORT: '0',
      S3_PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let readyAt = -1;
  const append = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const { url, s3Endpoint } = await new Promise<{ url: string; s3Endpoint: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The portal was not ready in 30 s:\n${output}`)), 30_000);
    const check = () => {
      const ready = /Notice portal ready in \d+ ms: API (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      const apiUrl = ready?.[1];
      const s3Url = /DynamoDB \S+ · S3 (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (ready && apiUrl !== undefined && s3Url !== undefined) {
        clearTimeout(timer);
        readyAt = output.indexOf('\n', ready.index) + 1 || output.length;
        resolve({ url: apiUrl, s3Endpoint: s3Url });
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The portal exited with ${code} before it was ready:\n${output}`));
    });
  });
  return { child, url, s3Endpoint, laterOutput: () => (readyAt < 0 ? '' : output.slice(readyAt)) };
}

async function stopPortalProcess(portal: PortalProcess): Promise<void> {
  if (portal.child.exitCode !== null || portal.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => portal.child.once('exit', () => resolve()));
  portal.child.kill('SIGINT');
  const timeout = setTimeout(() => portal.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timeout);
}

/**
 * The process that runs the portal: tsx's CLI starts the script in a child node process of its own, so the pid
 * spawned here is only a wrapper. Picks the deepest node descendant (esbuild's service is not node).
 */
function portalPid(rootPid: number): number {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may hold spaces, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // the process went away while listing
    }
  }
  const isNode = (pid: number) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim().startsWith('node');
    } catch {
      return false;
    }
  };
  let best = rootPid;
  let bestDepth = 0;
  const visit = (pid: number, depth: number) => {
    for (const [child, parent] of parents) {
      if (parent !== pid) continue;
      if (isNode(child) && depth + 1 > bestDepth) {
        best = child;
        bestDepth = depth + 1;
      }
      visit(child, depth + 1);
    }
  };
  visit(rootPid, 0);
  return best;
}

// ---- memory of the portal process ------------------------------------------------------------------------------

interface MemoryWindow {
  /** Highest VmRSS seen by sampling every 100 ms. */
  sampledPeak: number;
  /** VmHWM: the kernel's own peak RSS, since the window began if it could be reset, else since the process began. */
  hwm: number;
  hwmSinceWindow: boolean;
}

class MemoryWatch {
  private timer: NodeJS.Timeout | undefined;
  private peak = 0;
  private hwmReset = false;

  constructor(readonly pid: number) {}

  start(): void {
    this.timer = setInterval(() => this.sample(), 100);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  current(): number {
    return this.status().rss;
  }

  /** Bytes the process has read so far (rchar: files and sockets alike, page cache included). */
  readBytes(): number {
    try {
      return Number(/^rchar:\s+(\d+)/m.exec(readFileSync(`/proc/${this.pid}/io`, 'utf8'))?.[1] ?? 0);
    } catch {
      return 0;
    }
  }

  /** Begins a measuring window: forgets the sampled peak and (where the kernel allows) resets VmHWM. */
  begin(): void {
    try {
      writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
      this.hwmReset = true;
    } catch {
      this.hwmReset = false;
    }
    this.peak = this.status().rss;
  }

  end(): MemoryWindow {
    this.sample();
    const { hwm } = this.status();
    return { sampledPeak: this.peak, hwm, hwmSinceWindow: this.hwmReset };
  }

  private sample(): void {
    const rss = this.status().rss;
    if (rss > this.peak) this.peak = rss;
  }

  private status(): { rss: number; hwm: number } {
    try {
      const text = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
      return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
    } catch {
      return { rss: 0, hwm: 0 };
    }
  }
}

// ---- the portal's API --------------------------------------------------------------------------------------------

// biome-ignore lint/suspicious/noExplicitAny: the API's JSON answers, of several shapes; the fields used are checked
type Json = any;

class Api {
  private readonly tokens = new Map<string, { token: string; at: number }>();

  constructor(readonly url: string) {}

  private async token(user: string): Promise<string> {
    const cached = this.tokens.get(user);
    // Dev tokens live an hour; a 1 GiB run stays well inside that, but a slow machine might not.
    if (cached && Date.now() - cached.at < 30 * 60_000) return cached.token;
    const response = await fetch(`${this.url}/dev-idp/token/${user}`, { method: 'POST' });
    if (!response.ok) throw new Error(`No token for ${user}: HTTP ${response.status}`);
    const token = await response.text();
    this.tokens.set(user, { token, at: Date.now() });
    return token;
  }

  /** The answer's HTTP status and JSON body; anything but an expected status is an error naming the request. */
  async send(
    user: string,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    ok = [200, 201],
  ): Promise<{ status: number; body: Json }> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${await this.token(user)}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!ok.includes(response.status)) {
      throw new Error(`${method} ${path} as ${user}: HTTP ${response.status} ${text.slice(0, 2000)}`);
    }
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  async call(user: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Json> {
    return (await this.send(user, method, path, body)).body;
  }
}

interface Signer {
  privateKey: KeyLike;
  kid: string;
}

async function registerSigningKey(api: Api): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const jwk = await exportJWK(publicKey);
  await api.call('admin', 'POST', `/platforms/${PLATFORM}/signing-keys`, { jwk, label: 'Benchmark key' });
  return { privateKey, kid: await calculateJwkThumbprint(jwk) };
}

/** Detached compact JWS (`<protected>..<signature>`) over the manifest's canonical JSON. */
async function sign(manifest: object, signer: Signer): Promise<string> {
  const jws = await new FlattenedSign(new TextEncoder().encode(canonicalJson(manifest)))
    .setProtectedHeader({ alg: 'EdDSA', kid: signer.kid })
    .sign(signer.privateKey);
  return `${jws.protected}..${jws.signature}`;
}

async function issuedNotice(api: Api, title: string): Promise<string> {
  const draft = await api.call('officer', 'POST', '/notices', {
    type: 'transparency-notice',
    platformId: PLATFORM,
    title,
    mannerAndForm: 'Answer each question in writing through the portal, signed by an authorised officer.',
    requirements: {
      questions: [
        { number: '1', text: 'Describe the tools you use to detect known child sexual abuse material.' },
        { number: '2', text: 'State the median time to action a user report.' },
      ],
    },
  });
  await api.call('officer', 'POST', `/notices/${draft.id}/issue`);
  return draft.id;
}

function manifestFor(noticeId: string, submissionId: string, files: { name: string; size: number; sha256: string }[]) {
  return {
    noticeId,
    submissionId,
    files,
    answers: [
      { question: '1', answer: 'We use hash matching and an in-house classifier on every upload.' },
      { question: '2', cannotAnswer: { reason: 'We do not measure time to action per report category.' } },
    ],
    signer: { name: 'Benchmark Counsel', title: 'General Counsel' },
    signedAt: new Date().toISOString(),
  };
}

/** Polls the submission until it carries a receipt; fails on a verification error recorded on it. */
async function pollUntilFiled(api: Api, noticeId: string, submissionId: string): Promise<Json> {
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    const submission = await api.call(PLATFORM_USER, 'GET', `/notices/${noticeId}/submissions/${submissionId}`);
    if (submission.receipt) return submission;
    if (submission.status === 'open' && submission.lastError) {
      throw new Error(`Submission ${submissionId} was not filed: ${JSON.stringify(submission.lastError)}`);
    }
    if (Date.now() > deadline) throw new Error(`Submission ${submissionId} not filed after 30 minutes`);
    await sleep(100);
  }
}

// ---- files and streams -------------------------------------------------------------------------------------------

/** Writes `size` bytes without ever holding more than 1 MiB: a random block, stamped with its offset each time. */
async function writeTestFile(path: string, size: number): Promise<void> {
  const block = randomBytes(MIB);
  const out = createWriteStream(path);
  for (let offset = 0; offset < size; offset += MIB) {
    const chunk = Buffer.from(block.subarray(0, Math.min(MIB, size - offset)));
    chunk.writeUInt32BE(offset / MIB, 0);
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    out.end(() => resolve());
  });
}

async function sha256File(path: string): Promise<string> {
  const digest = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: MIB })) digest.update(chunk as Buffer);
  return digest.digest('hex');
}

/** Bytes [start, end) of a file as a stream, counted into the progress bar as they are read. */
function slice(path: string, start: number, end: number, progress: Progress): Readable {
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      progress.add(chunk.length);
      callback(null, chunk);
    },
  });
  return pipeline(createReadStream(path, { start, end: end - 1, highWaterMark: MIB }), counter, () => {});
}

async function inParallel<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.min(limit, queue.length) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await run(item);
    }),
  );
}

interface Progress {
  add(bytes: number): void;
  done(): void;
}

/** A progress bar on stderr (bytes, or items), redrawn at most five times a second. */
function progressBar(label: string, total: number, unit: 'bytes' | 'items' = 'bytes'): Progress {
  const width = 30;
  const started = Date.now();
  let done = 0;
  let drawn = 0;
  const draw = () => {
    drawn = Date.now();
    const filled = Math.min(width, Math.round((done / total) * width));
    const seconds = (Date.now() - started) / 1000;
    const scale = unit === 'bytes' ? MIB : 1;
    const name = unit === 'bytes' ? 'MiB' : '';
    const rate = seconds > 0 ? done / scale / seconds : 0;
    process.stderr.write(
      `\r  ${label.padEnd(28)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` +
        `${(done / scale).toFixed(0).padStart(5)}/${(total / scale).toFixed(0)} ${name} ${rate.toFixed(0).padStart(5)} ${name || 'per'}/s`,
    );
  };
  return {
    add(bytes) {
      done += bytes;
      if (Date.now() - drawn >= 200) draw();
    },
    done() {
      draw();
      process.stderr.write('\n');
    },
  };
}

// ---- one large file ----------------------------------------------------------------------------------------------

interface LargeResult {
  size: number;
  clientHashMs: number;
  rawMs: number;
  rawGetMs: number;
  rawMemory: MemoryWindow;
  uploadMs: number;
  finalizeStatus: number;
  finalizeRequestMs: number;
  finalizeToReceiptMs: number;
  storedToReceiptMs: number;
  /** What the portal process read between the upload being stored and the receipt (rchar), in bytes. */
  readAfterStored: number;
  endToEndMs: number;
  portalMemory: MemoryWindow;
  kind: 'single' | 'multipart';
}

async function rawUpload(s3: S3Client, bucket: string, key: string, path: string, size: number): Promise<void> {
  const progress = progressBar(`raw S3 ${label(size)}`, size);
  if (size <= SINGLE_PUT_MAX_BYTES) {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: slice(path, 0, size, progress),
        ContentLength: size,
        ChecksumSHA256: Buffer.from(await sha256OfRange(path, 0, size), 'hex').toString('base64'),
      }),
    );
  } else {
    const partSize = partSizeFor(size);
    // The same work as the portal's path under Object Lock: a SHA-256 upload, each part hashed and checksummed.
    const created = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ChecksumAlgorithm: 'SHA256' }),
    );
    const uploadId = created.UploadId!;
    const numbers = Array.from({ length: Math.ceil(size / partSize) }, (_, i) => i + 1);
    const done = new Map<number, { etag: string; checksum: string }>();
    await inParallel(numbers, PARALLEL_PARTS, async (partNumber) => {
      const start = (partNumber - 1) * partSize;
      const end = Math.min(size, start + partSize);
      const checksum = Buffer.from(await sha256OfRange(path, start, end), 'hex').toString('base64');
      const out = await s3.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          PartNumber: partNumber,
          Body: slice(path, start, end, progress),
          ContentLength: end - start,
          ChecksumSHA256: checksum,
        }),
      );
      done.set(partNumber, { etag: out.ETag ?? '', checksum });
    });
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: {
          Parts: numbers.map((n) => ({
            PartNumber: n,
            ETag: done.get(n)?.etag,
            ChecksumSHA256: done.get(n)?.checksum,
          })),
        },
      }),
    );
  }
  progress.done();
}

/** The SHA-256 (hex) of bytes `[start, end)` of a file, streamed. */
async function sha256OfRange(path: string, start: number, end: number): Promise<string> {
  const hash = createHash('sha256');
  if (end > start)
    for await (const chunk of createReadStream(path, { start, end: end - 1 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** PUTs bytes [start, end) of a file to a presigned URL, streamed (fetch with a stream body needs duplex: 'half'). */
async function presignedPut(
  url: string,
  path: string,
  start: number,
  end: number,
  progress: Progress,
  headers: Record<string, string> = {},
): Promise<string> {
  const response = await fetch(url, {
    method: 'PUT',
    body: Readable.toWeb(slice(path, start, end, progress)) as ReadableStream<Uint8Array>,
    duplex: 'half',
    headers: { ...headers, 'content-length': String(end - start) },
  } as RequestInit);
  const text = await response.text();
  if (!response.ok) throw new Error(`Presigned PUT refused: HTTP ${response.status} ${text.slice(0, 500)}`);
  return response.headers.get('etag') ?? '';
}

/** GETs an object and hashes it as it streams in: what the portal's own verification does, done from outside. */
async function rawGetAndHash(s3: S3Client, bucket: string, key: string, size: number): Promise<string> {
  const progress = progressBar(`raw GET+sha256 ${label(size)}`, size);
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const digest = createHash('sha256');
  for await (const chunk of out.Body as Readable) {
    digest.update(chunk as Buffer);
    progress.add((chunk as Buffer).length);
  }
  progress.done();
  return digest.digest('hex');
}

async function throughPortal(
  api: Api,
  signer: Signer,
  path: string,
  size: number,
  sha256: string,
  readBytes: () => number,
): Promise<Omit<LargeResult, 'size' | 'clientHashMs' | 'rawMs' | 'rawGetMs' | 'rawMemory' | 'portalMemory'>> {
  const noticeId = await issuedNotice(api, `Benchmark notice for ${label(size)}`);
  const name = `evidence-${size}.bin`;
  const contentType = 'application/octet-stream';
  const started = performance.now();
  const opened = await api.call(PLATFORM_USER, 'POST', `/notices/${noticeId}/submissions`, {
    files: [{ name, size, sha256, contentType }],
  });
  const submissionId: string = opened.submission.submissionId;
  const upload = opened.uploads[0];
  const progress = progressBar(`portal ${label(size)}`, size);
  if (upload.method === 'PUT') {
    await presignedPut(upload.url, path, 0, size, progress, { ...upload.headers, 'content-type': contentType });
  } else {
    const partSize: number = upload.partSize;
    const filePath = `/notices/${noticeId}/submissions/${submissionId}/files/0`;
    const numbers = Array.from({ length: upload.partCount as number }, (_, i) => i + 1);
    const range = (n: number) => ({ start: (n - 1) * partSize, end: Math.min(size, n * partSize) });
    // Part URLs bind each part's SHA-256 (as the CLI does: hash a part, then ask for its URL), 100 at a time.
    const hashes = new Map<number, string>();
    const parts: { partNumber: number; url: string; headers: Record<string, string> }[] = [];
    for (let i = 0; i < numbers.length; i += 100) {
      const batch = numbers.slice(i, i + 100);
      for (const n of batch) hashes.set(n, await sha256OfRange(path, range(n).start, range(n).end));
      const target = await api.call(PLATFORM_USER, 'POST', `${filePath}/upload-urls`, {
        parts: batch.map((partNumber) => ({ partNumber, sha256: hashes.get(partNumber) })),
      });
      parts.push(...target.parts);
    }
    const etags = new Map<number, string>();
    await inParallel(parts, PARALLEL_PARTS, async (part) => {
      const { start, end } = range(part.partNumber);
      etags.set(part.partNumber, await presignedPut(part.url, path, start, end, progress, part.headers));
    });
    await api.call(PLATFORM_USER, 'POST', `${filePath}/complete`, {
      parts: [...etags]
        .sort(([a], [b]) => a - b)
        .map(([partNumber, etag]) => ({ partNumber, etag, sha256: hashes.get(partNumber) })),
    });
  }
  progress.done();
  const stored = performance.now();
  const readAtStored = readBytes();

  const manifest = manifestFor(noticeId, submissionId, [{ name, size, sha256 }]);
  const signature = await sign(manifest, signer);
  const finalizeStarted = performance.now();
  const finalized = await api.send(
    PLATFORM_USER,
    'POST',
    `/notices/${noticeId}/submissions/${submissionId}/finalize`,
    { manifest, signature },
    [200, 202],
  );
  const finalizeAnswered = performance.now();
  if (finalized.status === 202) {
    process.stderr.write(`  finalize answered 202; polling the submission until it is filed …\n`);
    await pollUntilFiled(api, noticeId, submissionId);
  } else if (!finalized.body.receipt) {
    throw new Error(`finalize answered ${finalized.status} without a receipt`);
  }
  const filed = performance.now();
  const readAfterStored = readBytes() - readAtStored;
  return {
    kind: upload.method === 'PUT' ? 'single' : 'multipart',
    uploadMs: stored - started,
    finalizeStatus: finalized.status,
    finalizeRequestMs: finalizeAnswered - finalizeStarted,
    finalizeToReceiptMs: filed - finalizeStarted,
    storedToReceiptMs: filed - stored,
    readAfterStored,
    endToEndMs: filed - started,
  };
}

// ---- many small submissions --------------------------------------------------------------------------------------

interface Prepared {
  noticeId: string;
  submissionId: string;
  body: { manifest: object; signature: string };
}

interface SmallResult {
  mode: string;
  count: number;
  ms: number;
  latencies: number[];
  statuses: Map<number, number>;
  /** Portal RSS just before, at its peak during, and two seconds after the run. */
  rss?: { before: number; peak: number; after: number };
}

async function prepareSmall(api: Api, signer: Signer, count: number, tag: string): Promise<Prepared[]> {
  const prepared: Prepared[] = [];
  let done = 0;
  const bar = progressBar(`setup ${tag}`, count, 'items');
  await inParallel(
    Array.from({ length: count }, (_, i) => i),
    4,
    async (i) => {
      const noticeId = await issuedNotice(api, `Benchmark small response ${tag} ${i}`);
      const bytes = randomBytes(SMALL_BYTES);
      const name = 'response.pdf';
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const opened = await api.call(PLATFORM_USER, 'POST', `/notices/${noticeId}/submissions`, {
        files: [{ name, size: bytes.length, sha256, contentType: 'application/pdf' }],
      });
      const put = await fetch(opened.uploads[0].url, {
        method: 'PUT',
        body: bytes,
        headers: { ...opened.uploads[0].headers, 'content-type': 'application/pdf' },
      });
      await put.text();
      if (!put.ok) throw new Error(`Presigned PUT refused: HTTP ${put.status}`);
      const submissionId: string = opened.submission.submissionId;
      const manifest = manifestFor(noticeId, submissionId, [{ name, size: bytes.length, sha256 }]);
      prepared.push({ noticeId, submissionId, body: { manifest, signature: await sign(manifest, signer) } });
      done++;
      bar.add(1);
    },
  );
  bar.done();
  // The S3 event hashes each upload in the background; wait for it so finalize is timed on its steady path.
  for (const p of prepared) {
    for (let i = 0; ; i++) {
      const submission = await api.call(PLATFORM_USER, 'GET', `/notices/${p.noticeId}/submissions/${p.submissionId}`);
      if (submission.files[0].sha256) break;
      if (i > 100) throw new Error(`Submission ${p.submissionId} was not hashed within 10 s of its upload`);
      await sleep(100);
    }
  }
  if (done !== count) throw new Error(`prepared ${done} of ${count}`);
  return prepared;
}

async function finalizeAll(api: Api, prepared: Prepared[], concurrency: number, mode: string): Promise<SmallResult> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const started = performance.now();
  await inParallel(prepared, concurrency, async (p) => {
    const t0 = performance.now();
    const out = await api.send(
      PLATFORM_USER,
      'POST',
      `/notices/${p.noticeId}/submissions/${p.submissionId}/finalize`,
      p.body,
      [200, 202],
    );
    if (out.status === 202) await pollUntilFiled(api, p.noticeId, p.submissionId);
    else if (!out.body.receipt) throw new Error(`finalize answered ${out.status} without a receipt`);
    latencies.push(performance.now() - t0);
    statuses.set(out.status, (statuses.get(out.status) ?? 0) + 1);
  });
  return { mode, count: prepared.length, ms: performance.now() - started, latencies, statuses };
}

// ---- output ------------------------------------------------------------------------------------------------------

function label(bytes: number): string {
  return bytes >= 1024 * MIB && bytes % (1024 * MIB) === 0 ? `${bytes / (1024 * MIB)} GiB` : `${bytes / MIB} MiB`;
}

const mib = (bytes: number) => `${(bytes / MIB).toFixed(0)} MiB`;
const rate = (bytes: number, ms: number) => (ms > 0 ? (bytes / MIB / (ms / 1000)).toFixed(0) : '–');
const seconds = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};

function printTable(title: string, header: string[], rows: string[][]): void {
  // A row with fewer cells than the header prints the missing ones empty.
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join(' | ');
  console.log(`\n${title}\n`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const row of rows) console.log(line(row));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Warm-up (untimed): one small response end to end, which also tells us the bucket the portal presigns for. */
async function warmUp(api: Api, signer: Signer): Promise<string> {
  const [warm] = await prepareSmall(api, signer, 1, 'warm-up');
  if (!warm) throw new Error('The warm-up prepared no response.');
  await finalizeAll(api, [warm], 1, 'warm-up');
  const warmNotice = await api.call(PLATFORM_USER, 'GET', `/notices/${warm.noticeId}`);
  if (warmNotice.status !== 'submitted') throw new Error(`warm-up notice is ${warmNotice.status}`);
  const probe = await api.call(PLATFORM_USER, 'POST', `/notices/${await issuedNotice(api, 'probe')}/submissions`, {
    files: [{ name: 'probe.bin', size: 1, sha256: createHash('sha256').update('p').digest('hex') }],
  });
  const bucketSegment = new URL(probe.uploads[0].url).pathname.split('/')[1];
  if (bucketSegment === undefined) throw new Error(`The presigned URL ${probe.uploads[0].url} names no bucket.`);
  return decodeURIComponent(bucketSegment);
}

/** The published figures: throughputs against the raw S3 ceiling (ratio = ceiling / portal), memory growth, finalize. */
function responseFigures(large: LargeResult[], small: SmallResult[], startMs: number): Figure[] {
  const figures: Figure[] = [
    { name: 'portal child process ready (tsx local/start.ts)', value: Math.round(startMs), unit: 'ms' },
  ];
  const mibps = (bytes: number, ms: number) => Math.round((bytes / MIB / (ms / 1000)) * 10) / 10;
  for (const r of large) {
    const raw = mibps(r.size, r.rawMs);
    const upload = mibps(r.size, r.uploadMs);
    const rawGet = mibps(r.size, r.rawGetMs);
    const verify = mibps(r.size, r.storedToReceiptMs);
    figures.push(
      {
        name: `${label(r.size)}: portal upload`,
        value: upload,
        unit: 'MiB/s',
        reference: { name: 'raw S3 PUT', value: raw },
        ratio: ratio(raw, upload),
      },
      {
        name: `${label(r.size)}: end to end (open → receipt)`,
        value: mibps(r.size, r.endToEndMs),
        unit: 'MiB/s',
        reference: { name: 'raw S3 PUT', value: raw },
        ratio: ratio(raw, mibps(r.size, r.endToEndMs)),
      },
      {
        name: `${label(r.size)}: verify (stored → receipt)`,
        value: verify,
        unit: 'MiB/s',
        reference: { name: 'raw GET + sha256', value: rawGet },
        ratio: ratio(rawGet, verify),
      },
    );
  }
  const peakOf = (r: LargeResult) => Math.max(r.portalMemory.sampledPeak, r.portalMemory.hwm);
  const [smallest] = large;
  const largest = large.at(-1);
  if (large.length >= 2 && smallest && largest) {
    const growth = Math.round((peakOf(largest) - peakOf(smallest)) / MIB);
    figures.push({
      name: `portal peak RSS growth, ${label(smallest.size)} → ${label(largest.size)}`,
      value: growth,
      unit: 'MiB',
      goal: `≤ ${FLAT_TOLERANCE_BYTES / MIB} MiB (flat)`,
      met: growth <= FLAT_TOLERANCE_BYTES / MIB,
    });
  }
  for (const r of small) {
    figures.push(
      {
        name: `finalize ${r.count} small responses, ${r.mode}`,
        value: Math.round((r.count / (r.ms / 1000)) * 10) / 10,
        unit: 'per s',
      },
      { name: `finalize, ${r.mode}: p50`, value: Math.round(percentile(r.latencies, 50)), unit: 'ms' },
      { name: `finalize, ${r.mode}: p95`, value: Math.round(percentile(r.latencies, 95)), unit: 'ms' },
    );
  }
  return figures;
}

// ---- main --------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const sizes = (SIZES_MIB.length ? SIZES_MIB : [64, 256, 1024]).map((m) => Math.round(m * MIB));
  const workDir = mkdtempSync(join(tmpdir(), 'bench-responses-'));
  let portal: PortalProcess | undefined;
  let memory: MemoryWatch | undefined;
  let s3: S3Client | undefined;
  const cleanUp = async () => {
    memory?.stop();
    s3?.destroy();
    if (portal) await stopPortalProcess(portal);
    rmSync(workDir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => {
    process.stderr.write('\nInterrupted; stopping the portal and removing temporary files.\n');
    void cleanUp().finally(() => process.exit(130));
  });

  try {
    process.stderr.write(`Writing test files (${sizes.map(label).join(', ')}) to ${workDir} …\n`);
    const files = new Map<number, string>();
    for (const size of sizes) {
      const path = join(workDir, `file-${size}.bin`);
      await writeTestFile(path, size);
      files.set(size, path);
    }

    const startedAt = performance.now();
    portal = await startPortalProcess(join(workDir, 'data'));
    const startMs = performance.now() - startedAt;
    const pid = portalPid(portal.child.pid!);
    const watch = new MemoryWatch(pid);
    memory = watch;
    watch.start();
    process.stderr.write(
      `Portal ${portal.url} (pid ${pid}), S3 ${portal.s3Endpoint}, ready in ${startMs.toFixed(0)} ms\n`,
    );

    const api = new Api(portal.url);
    const signer = await registerSigningKey(api);
    s3 = new S3Client({
      endpoint: portal.s3Endpoint,
      region: 'ap-southeast-2',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });

    const bucket = await warmUp(api, signer);
    const baseline = watch.current();

    const large: LargeResult[] = [];
    for (const size of sizes) {
      const path = files.get(size)!;
      process.stderr.write(`\n${label(size)}:\n`);
      const hashStarted = performance.now();
      const sha256 = await sha256File(path);
      const clientHashMs = performance.now() - hashStarted;

      const rawKey = `bench/raw-${size}`;
      watch.begin();
      const rawStarted = performance.now();
      await rawUpload(s3, bucket, rawKey, path, size);
      const rawMs = performance.now() - rawStarted;
      const getStarted = performance.now();
      const rawSha256 = await rawGetAndHash(s3, bucket, rawKey, size);
      const rawGetMs = performance.now() - getStarted;
      const rawMemory = watch.end();
      if (rawSha256 !== sha256) throw new Error(`raw GET of ${label(size)} hashed to ${rawSha256}, not ${sha256}`);
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: rawKey }));
      await sleep(500);

      watch.begin();
      const portalRun = await throughPortal(api, signer, path, size, sha256, () => watch.readBytes());
      const portalMemory = watch.end();
      large.push({ size, clientHashMs, rawMs, rawGetMs, rawMemory, portalMemory, ...portalRun });
      await sleep(500);
    }

    process.stderr.write(`\n${SMALL_COUNT} small submissions (one ${SMALL_BYTES / 1024} KiB file each):\n`);
    const sequentialSet = await prepareSmall(api, signer, SMALL_COUNT, 'sequential');
    const concurrentSet = await prepareSmall(api, signer, SMALL_COUNT, `concurrency ${SMALL_CONCURRENCY}`);
    const measured = async (run: () => Promise<SmallResult>): Promise<SmallResult> => {
      const before = watch.current();
      watch.begin();
      const result = await run();
      const window = watch.end();
      await sleep(2000);
      return { ...result, rss: { before, peak: Math.max(window.sampledPeak, window.hwm), after: watch.current() } };
    };
    const sequential = await measured(() => finalizeAll(api, sequentialSet, 1, 'sequential'));
    const concurrent = await measured(() =>
      finalizeAll(api, concurrentSet, SMALL_CONCURRENCY, `concurrency ${SMALL_CONCURRENCY}`),
    );

    // ---- results ----
    const parts = (r: LargeResult) =>
      r.kind === 'single' ? '1 PUT' : `${Math.ceil(r.size / partSizeFor(r.size))}×${mib(partSizeFor(r.size))}`;
    printTable(
      `Uploading a file: raw S3 PUT vs through the portal (same S3 endpoint, ${PARALLEL_PARTS} parts in parallel):`,
      ['file', 'upload as', 'raw S3 PUT', 'portal upload', 'portal vs raw', 'end to end (open → receipt)'],
      large.map((r) => [
        label(r.size),
        parts(r),
        `${rate(r.size, r.rawMs)} MiB/s`,
        `${rate(r.size, r.uploadMs)} MiB/s`,
        `${((r.rawMs / r.uploadMs) * 100).toFixed(0)}%`,
        `${rate(r.size, r.endToEndMs)} MiB/s (${seconds(r.endToEndMs)})`,
      ]),
    );
    console.log(
      '\n  raw S3 PUT = one PutObject, or create + parts + complete; portal upload = open + presigned PUT(s) + complete.' +
        "\n  End to end = open → receipt in hand (the client's own SHA-256 of the file is excluded).",
    );
    printTable(
      "Verifying and filing (the portal hashes the stored bytes itself; an upload's S3 event starts it):",
      [
        'file',
        'finalize answered',
        'finalize → receipt',
        'stored → receipt',
        'verify',
        'raw GET+sha256',
        'portal read after stored',
        'client sha256',
      ],
      large.map((r) => [
        label(r.size),
        `${r.finalizeStatus} in ${seconds(r.finalizeRequestMs)}`,
        seconds(r.finalizeToReceiptMs),
        seconds(r.storedToReceiptMs),
        `${rate(r.size, r.storedToReceiptMs)} MiB/s`,
        `${rate(r.size, r.rawGetMs)} MiB/s`,
        `${(r.readAfterStored / r.size).toFixed(1)}× size`,
        `${rate(r.size, r.clientHashMs)} MiB/s`,
      ]),
    );
    console.log(
      '\n  stored = the last PUT (and complete) answered; verify = size ÷ (stored → receipt). raw GET+sha256 = the same' +
        '\n  stream-and-hash from outside the portal, the ceiling for verify. "read after stored" = the portal process\'s' +
        '\n  rchar from stored to receipt ÷ size: one hashing pass reads the bytes about 3× (s3rver from disk, the guard' +
        '\n  from s3rver, the hasher from the guard), so ~3× is one pass and ~6× means the bytes were hashed twice.',
    );

    const hwmNote = large.every((r) => r.portalMemory.hwmSinceWindow) ? 'since each phase began' : 'since start';
    printTable(
      `Portal process memory (idle after warm-up: ${mib(baseline)} RSS; VmHWM ${hwmNote}):`,
      [
        'file',
        'peak RSS, raw PUT+GET',
        'peak RSS, portal',
        'VmHWM, raw PUT+GET',
        'VmHWM, portal',
        'portal peak − idle',
      ],
      large.map((r) => {
        const peak = Math.max(r.portalMemory.sampledPeak, r.portalMemory.hwm);
        return [
          label(r.size),
          mib(r.rawMemory.sampledPeak),
          mib(r.portalMemory.sampledPeak),
          mib(r.rawMemory.hwm),
          mib(r.portalMemory.hwm),
          mib(peak - baseline),
        ];
      }),
    );
    const [smallest] = large;
    const largest = large.at(-1);
    if (large.length >= 2 && smallest && largest) {
      const peakOf = (r: LargeResult) => Math.max(r.portalMemory.sampledPeak, r.portalMemory.hwm);
      const growth = peakOf(largest) - peakOf(smallest);
      const flat = growth <= FLAT_TOLERANCE_BYTES;
      console.log(
        `\nVerdict: ${flat ? 'FLAT' : 'GROWS'} — portal peak ${mib(peakOf(largest))} at ${label(largest.size)} vs ` +
          `${mib(peakOf(smallest))} at ${label(smallest.size)} (${growth >= 0 ? '+' : ''}${mib(growth)}; flat means within ` +
          `${mib(FLAT_TOLERANCE_BYTES)} for ${(largest.size / smallest.size).toFixed(0)}× the bytes).`,
      );
    }

    printTable(
      `Finalizing ${SMALL_COUNT} small submissions (one ${SMALL_BYTES / 1024} KiB file each, already uploaded and hashed):`,
      [
        'mode',
        'submissions',
        'total',
        'per second',
        'p50',
        'p95',
        'max',
        'answers',
        'portal RSS before → peak → 2 s after',
      ],
      [sequential, concurrent].map((r) => [
        r.mode,
        String(r.count),
        seconds(r.ms),
        (r.count / (r.ms / 1000)).toFixed(1),
        `${percentile(r.latencies, 50).toFixed(0)} ms`,
        `${percentile(r.latencies, 95).toFixed(0)} ms`,
        `${Math.max(...r.latencies).toFixed(0)} ms`,
        [...r.statuses].map(([status, n]) => `${n}×${status}`).join(' '),
        r.rss ? `${mib(r.rss.before)} → ${mib(r.rss.peak)} → ${mib(r.rss.after)}` : '–',
      ]),
    );

    recordFigures(
      'responses',
      `npm run bench:responses${SIZES_MIB.length ? ` -- ${SIZES_MIB.join(' ')}` : ''}`,
      responseFigures(large, [sequential, concurrent], startMs),
    );

    const later = portal
      .laterOutput()
      .split('\n')
      .filter((l) => l.trim());
    console.log(
      later.length === 0
        ? '\nPortal output during the run (LOG_LEVEL=error): none.'
        : `\nPortal output during the run (LOG_LEVEL=error), ${later.length} line(s):\n${later
            .slice(0, 20)
            .map((l) => `  ${l.slice(0, 400)}`)
            .join('\n')}`,
    );
  } finally {
    await cleanUp();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
