import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from '../../cli/errors';
import type { LocalFile } from '../../cli/folder';
import { ApiError, type PortalClient } from '../../cli/portal-client';
import type { StateFile } from '../../cli/upload-state';
import { type TransferStats, type UploadContext, uploadFile } from '../../cli/uploader';

/**
 * The uploader against a stand-in for S3's presigned URLs (a local HTTP server) and a stand-in for the portal's
 * URL and completion routes: what is sent, how often, and what happens when storage fails or refuses a URL.
 */
interface Put {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

let server: Server;
let base: string;
let puts: Put[];
let inFlight: number;
let maxInFlight: number;
/** Decides the status of each PUT by its path (default 200). */
let respond: (path: string, attempt: number) => number;
let dir: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = req.url ?? '';
      const attempt = puts.filter((p) => p.path === path).length + 1;
      puts.push({ path, headers: req.headers, body });
      // As S3: a part whose URL bound a SHA-256 is refused unless the body hashes to it.
      const bound = path.includes('/part-') ? req.headers['x-amz-checksum-sha256'] : undefined;
      const badDigest = bound !== undefined && bound !== createHash('sha256').update(body).digest('base64');
      const status = badDigest ? 400 : respond(path, attempt);
      // Slow enough that parallel parts overlap.
      setTimeout(() => {
        inFlight--;
        res.writeHead(status, status === 200 ? { etag: `"${createHash('md5').update(body).digest('hex')}"` } : {});
        res.end(status === 200 ? '' : '<Error><Code>Boom</Code><Message>try again</Message></Error>');
      }, 20);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  puts = [];
  inFlight = 0;
  maxInFlight = 0;
  respond = () => 200;
  dir = mkdtempSync(join(tmpdir(), 'cli-uploader-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function localFile(name: string, bytes: Buffer): LocalFile {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const info = statSync(path);
  return { name, path, size: info.size, mtimeMs: info.mtimeMs };
}

function portal() {
  const calls = {
    uploadUrls: [] as (number[] | undefined)[],
    complete: [] as { partNumber: number; etag: string; sha256?: string }[][],
  };
  let generation = 0;
  const client = {
    async uploadUrls(_n: string, _s: string, _i: number, parts?: { partNumber: number; sha256: string }[]) {
      calls.uploadUrls.push(parts?.map((p) => p.partNumber));
      generation++;
      const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
      return parts
        ? {
            method: 'multipart',
            parts: parts.map((p) => ({
              partNumber: p.partNumber,
              url: `${base}/g${generation}/part-${p.partNumber}`,
              headers: { 'x-amz-checksum-sha256': Buffer.from(p.sha256, 'hex').toString('base64') },
            })),
            expiresAt,
          }
        : {
            method: 'PUT',
            url: `${base}/g${generation}/whole`,
            headers: { 'x-amz-checksum-sha256': 'fresh' },
            expiresAt,
          };
    },
    async listParts() {
      return { parts: [] };
    },
    /** The submission as the portal records it: no file completed unless a test says so. */
    completedFiles: [] as number[],
    async getSubmission() {
      return { files: client.completedFiles.map((index) => ({ index, completedAt: '2026-12-01T00:00:00.000Z' })) };
    },
    async completeFile(
      _n: string,
      _s: string,
      _i: number,
      parts: { partNumber: number; etag: string; sha256?: string }[],
    ) {
      calls.complete.push(parts);
    },
  };
  return {
    client: client as unknown as PortalClient,
    calls,
    completeOnPortal: (index: number) => client.completedFiles.push(index),
  };
}

function context(client: PortalClient, overrides: Partial<UploadContext> = {}): UploadContext & { saves: number } {
  const stats: TransferStats = {
    filesUploaded: 0,
    filesAlreadyStored: 0,
    partsUploaded: 0,
    partsAlreadyStored: 0,
    bytesUploaded: 0,
  };
  const ctx = {
    client,
    noticeId: 'ntc_x',
    submissionId: 'sub_x',
    io: { out: () => {}, err: () => {}, stderrIsTty: false, env: {} },
    quiet: true,
    parallel: 4,
    retryBaseMs: 10,
    signal: new AbortController().signal,
    saves: 0,
    save: () => {
      ctx.saves++;
    },
    stats,
    ...overrides,
  };
  return ctx;
}

const KiB = 1024;

it('streams a small file in one PUT with its exact length, declared type and the signed checksum header its target names', async () => {
  const bytes = randomBytes(10 * KiB + 3);
  const checksum = createHash('sha256').update(bytes).digest('base64');
  const file = localFile('letter.pdf', bytes);
  const entry: StateFile = { ...file, contentType: 'application/pdf', index: 0, parts: [], done: false };
  const { client } = portal();
  const ctx = context(client);

  await uploadFile(ctx, file, entry, {
    method: 'PUT',
    url: `${base}/single`,
    headers: { 'x-amz-checksum-sha256': checksum },
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  });

  expect(puts).toHaveLength(1);
  expect(puts[0]!.body.equals(bytes)).toBe(true);
  expect(puts[0]!.headers['content-length']).toBe(String(bytes.length));
  expect(puts[0]!.headers['content-type']).toBe('application/pdf');
  expect(puts[0]!.headers['x-amz-checksum-sha256']).toBe(checksum);
  expect(Object.keys(puts[0]!.headers).filter((h) => h.startsWith('x-amz-checksum') || h === 'content-md5')).toEqual([
    'x-amz-checksum-sha256',
  ]);
  expect(entry.done).toBe(true);
  expect(ctx.stats).toMatchObject({ filesUploaded: 1, bytesUploaded: bytes.length });
});

it('sends the headers of a fresh PUT target when the first one is about to expire', async () => {
  const file = localFile('letter.pdf', randomBytes(KiB));
  const entry: StateFile = { ...file, index: 0, parts: [], done: false };
  const { client, calls } = portal();

  await uploadFile(context(client), file, entry, {
    method: 'PUT',
    url: `${base}/single`,
    headers: { 'x-amz-checksum-sha256': 'stale' },
    expiresAt: new Date(Date.now() + 1000).toISOString(),
  });

  expect(calls.uploadUrls).toEqual([undefined]);
  expect(puts.map((p) => [p.path, p.headers['x-amz-checksum-sha256']])).toEqual([['/g1/whole', 'fresh']]);
});

it('uploads the parts of a large file at most four at a time, retrying a failed part, then completes in order', async () => {
  const partSize = 64 * KiB;
  const bytes = randomBytes(9 * partSize + 100); // 10 parts
  const file = localFile('logs.bin', bytes);
  const entry: StateFile = { ...file, index: 1, multipart: { partSize, partCount: 10 }, parts: [], done: false };
  const { client, calls } = portal();
  respond = (path, attempt) => (path.endsWith('/part-3') && attempt === 1 ? 500 : 200);
  const ctx = context(client);

  await uploadFile(ctx, file, entry);

  const part = (n: number) => puts.filter((p) => p.path.endsWith(`/part-${n}`));
  expect(part(3)).toHaveLength(2);
  for (const n of [1, 2, 4, 5, 6, 7, 8, 9, 10]) expect(part(n)).toHaveLength(1);
  expect(maxInFlight).toBeLessThanOrEqual(4);
  expect(maxInFlight).toBeGreaterThan(1);
  const sent = Buffer.concat([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => part(n).at(-1)?.body as Buffer));
  expect(sent.equals(bytes)).toBe(true);
  expect(calls.complete).toHaveLength(1);
  expect(calls.complete[0]!.map((p) => p.partNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  expect(calls.complete[0]!.at(0)?.etag).toBe(
    `"${createHash('md5').update(bytes.subarray(0, partSize)).digest('hex')}"`,
  );
  // Each part was sent with the SHA-256 its URL bound, and the completion names each part's SHA-256.
  const partSha256 = (n: number) =>
    createHash('sha256')
      .update(bytes.subarray((n - 1) * partSize, n * partSize))
      .digest();
  for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) {
    expect(part(n).at(-1)?.headers['x-amz-checksum-sha256']).toBe(partSha256(n).toString('base64'));
  }
  expect(calls.complete[0]!.map((p) => p.sha256)).toEqual(
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => partSha256(n).toString('hex')),
  );
  expect(entry).toMatchObject({ done: true });
  expect(ctx.stats).toMatchObject({ partsUploaded: 10, bytesUploaded: bytes.length });
  expect(ctx.saves).toBeGreaterThanOrEqual(11);
});

it('asks the portal for a fresh URL when storage refuses one (expired), and sends the part again', async () => {
  const partSize = 64 * KiB;
  const file = localFile('logs.bin', randomBytes(2 * partSize));
  const entry: StateFile = { ...file, index: 1, multipart: { partSize, partCount: 2 }, parts: [], done: false };
  const { client, calls } = portal();
  respond = (path) => (path.startsWith('/g1/part-2') ? 403 : 200);
  const ctx = context(client, { parallel: 1 });

  await uploadFile(ctx, file, entry);

  expect(calls.uploadUrls).toEqual([[1, 2], [2]]);
  expect(puts.map((p) => p.path)).toEqual(['/g1/part-1', '/g1/part-2', '/g2/part-2']);
  expect(entry.done).toBe(true);
});

it('gives up on a part after three retries, keeps what finished, and does not complete', async () => {
  const partSize = 64 * KiB;
  const file = localFile('logs.bin', randomBytes(2 * partSize));
  const entry: StateFile = { ...file, index: 1, multipart: { partSize, partCount: 2 }, parts: [], done: false };
  const { client, calls } = portal();
  respond = (path) => (path.endsWith('/part-2') ? 503 : 200);

  await expect(uploadFile(context(client, { parallel: 1 }), file, entry)).rejects.toThrow(
    /logs\.bin part 2: The storage refused the upload \(503 Boom\): try again \(after 4 attempts\)/,
  );

  expect(puts.filter((p) => p.path.endsWith('/part-2'))).toHaveLength(4);
  expect(entry.parts.map((p) => p.partNumber)).toEqual([1]);
  expect(entry.done).toBe(false);
  expect(calls.complete).toEqual([]);
});

it('tells the user to rerun with --restart when storage has aborted the upload being resumed (409 upload-expired)', async () => {
  // Prepare: a resumed multipart upload whose parts storage no longer holds
  const partSize = 64 * KiB;
  const file = localFile('logs.bin', randomBytes(2 * partSize));
  const entry: StateFile = { ...file, index: 1, multipart: { partSize, partCount: 2 }, parts: [], done: false };
  const { client } = portal();
  const message = 'Storage no longer holds the upload of file 1: … Open a new submission and upload the file again.';
  client.listParts = async () => {
    throw new ApiError(409, 'upload-expired', 'GET /parts', message, []);
  };

  // Act
  const refused = await uploadFile(context(client), file, entry).catch((error: unknown) => error);

  // Assess
  expect(refused).toBeInstanceOf(CliError);
  expect((refused as CliError).message).toBe('logs.bin: storage no longer holds this upload, so it cannot be resumed.');
  expect((refused as CliError).details).toEqual([
    message,
    'Rerun with --restart to open a new submission and upload the files again.',
  ]);
  expect(puts).toEqual([]);
});

it('treats a resumed file as stored when its completion reached storage but not the record (nothing sent, no completion)', async () => {
  // Prepare: every part recorded by an earlier run whose completion storage performed before the portal died; the
  // portal, asked for the parts, found the object and recorded the completion, so it lists none.
  const partSize = 64 * KiB;
  const bytes = randomBytes(2 * partSize + 1);
  const file = localFile('logs.bin', bytes);
  const entry: StateFile = {
    ...file,
    index: 0,
    multipart: { partSize, partCount: 3 },
    parts: [1, 2, 3].map((partNumber) => ({ partNumber, etag: `"e${partNumber}"` })),
    done: false,
  };
  const { client, calls, completeOnPortal } = portal();
  completeOnPortal(0);
  const ctx = context(client);

  // Act: a resume (no initial target)
  await uploadFile(ctx, file, entry);

  // Assess
  expect(puts).toEqual([]);
  expect(calls.complete).toEqual([]);
  expect(entry.done).toBe(true);
  expect(ctx.stats).toMatchObject({ filesAlreadyStored: 1, partsUploaded: 0, bytesUploaded: 0 });
});
