/**
 * Benchmark: what a notice costs on AWS, from what the real portal does. Drives the local portal in this process
 * (tests/integration/support/portal-harness.ts: the deployed handlers over HTTP) through notices' whole lives —
 * draft, issue, the platform's inbox, acknowledge, open a response of N files, upload them straight to S3, hash each
 * on its S3 event, finalize with a signed manifest, read the receipt and history, download a file, review, accept,
 * close — plus one multipart file (for the cost per filed GiB), reminder runs with reminders due and with none,
 * checkpoint runs, and the idle scheduled jobs. Every request to DynamoDB and S3 goes through counting proxies
 * (bench/support/capacity-meter.ts) that record, per API operation, DynamoDB read units (table and index, strongly
 * vs eventually consistent, as the store bills them) and write units (table and each GSI, by DynamoDB's rules), and
 * S3 requests by operation. KMS Sign calls are counted on the receipt signer (locally a key file; on AWS each is
 * one kms:Sign). Lambda time per operation is the wall time of the request here, an upper bound for the function's
 * billed duration (it includes the HTTP hop, and this machine is shared); GB-seconds use each function's
 * configured memory (lib/constructs: 512 MB, the response verifier 1,024 MB). Prices: see PRICES.
 *
 *   npm run bench:capacity                  (5 notices of 3 files, one 80 MiB multipart file)
 *   npm run bench:capacity -- --quick       (2 notices)
 *   npm run bench:capacity -- --notices 10 --files 5 --large-mib 160
 *
 * Prints the per-operation table and the model (per 1,000 notices, per filed GiB); writes bench/results/capacity.json.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { FileReceiptSigner } from '../lambdas/adapters/receipt-signers';
import { partSizeFor } from '../lambdas/domain/submission-service';
import { dataPaths, type RunningService, startDynalite, startS3rver } from '../local/embedded-services';
import { startS3SignatureGuard } from '../local/s3-signature-guard';
import { type Harness, startHarness, transparencyDraft } from '../tests/integration/support/portal-harness';
import { type Call, registeredSigner, sha256, signedFinalize } from '../tests/integration/support/response-filing';
import {
  type CapacityMeter,
  type DynamoDbCost,
  type MeteredRequest,
  type S3Cost,
  startDynamoDbMeter,
  startS3Meter,
} from './support/capacity-meter';
import { itemSize, type WireItem } from './support/capacity-units';
import { type Figure, recordFigures } from './support/figures';

// ---- options ------------------------------------------------------------------------------------------------------

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? Number(argv[at + 1]) : fallback;
};
const QUICK = argv.includes('--quick');
const NOTICES = option('notices', QUICK ? 2 : 5);
const FILES = option('files', 3);
const SMALL_FILE_BYTES = 256 * 1024;
const LARGE_MIB = option('large-mib', 80);
const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/**
 * List prices, USD, on-demand, as published by AWS for US East (N. Virginia) — this machine has no internet
 * access, so ap-southeast-2 (Sydney) prices could not be fetched and checked here; Sydney's are typically 10–25%
 * higher for DynamoDB, Lambda and S3 requests. Taken from AWS's pricing pages as last known (DynamoDB after the
 * November 2024 on-demand reduction); replace these and rerun for a region's exact figures.
 */
export const PRICES = {
  source:
    'AWS list prices, us-east-1, on-demand (aws.amazon.com/{lambda,dynamodb,s3,kms,api-gateway}/pricing), as of 2026-12-01; ap-southeast-2 not fetched (no internet here)',
  lambdaArmPerGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  dynamoPerMillionWru: 0.625,
  dynamoPerMillionRru: 0.125,
  s3PerThousandTier1: 0.005, // PUT, COPY, POST, LIST
  s3PerThousandTier2: 0.0004, // GET, HEAD and the rest
  s3StandardPerGbMonth: 0.023,
  kmsPerTenThousandAsymmetric: 0.15, // kms:Sign with an ECC key
  kmsPerTenThousandSymmetric: 0.03,
  httpApiPerMillion: 1.0,
} as const;

/** Configured memory of the functions (lib/constructs/portal-function.ts, response-verifier-function.ts). */
const MEMORY_MB: Record<string, number> = { 'hash-uploaded-file': 1024, 'verify-pending-submissions': 1024 };
const memoryOf = (fn: string) => MEMORY_MB[fn] ?? 512;
const TIER1 = new Set([
  'PutObject',
  'CopyObject',
  'CreateMultipartUpload',
  'UploadPart',
  'CompleteMultipartUpload',
  'ListParts',
  'ListObjectsV2',
]);

// ---- what one operation cost ----------------------------------------------------------------------------------------

type Phase = 'life' | 'large' | 'scheduled';
/** The phase the operations measured now belong to (set by main): the notice's life, the large file, scheduled runs. */
let phase: Phase = 'life';

interface OperationCost {
  operation: string;
  phase: Phase;
  /** The Lambda function that serves it on AWS, or undefined for a client's own S3 request. */
  fn?: string;
  calls: number;
  lambdaMs: number[];
  rruTable: number;
  rruIndex: number;
  rruConsistent: number;
  rruEventual: number;
  wruTable: number;
  wruIndex: Record<string, number>;
  ddbRequests: Record<string, number>;
  s3: Record<string, number>;
  s3BytesIn: number;
  kmsSign: number;
  /** Partitions the operation's DynamoDB requests named (ids generalised), with how many requests each. */
  partitions: Record<string, { requests: number; rru: number; wru: number }>;
}

const costs = new Map<string, OperationCost>();

function costOf(operation: string, fn?: string): OperationCost {
  let cost = costs.get(operation);
  if (!cost) {
    cost = {
      operation,
      phase,
      fn,
      calls: 0,
      lambdaMs: [],
      rruTable: 0,
      rruIndex: 0,
      rruConsistent: 0,
      rruEventual: 0,
      wruTable: 0,
      wruIndex: {},
      ddbRequests: {},
      s3: {},
      s3BytesIn: 0,
      kmsSign: 0,
      partitions: {},
    };
    costs.set(operation, cost);
  }
  return cost;
}

function add(cost: OperationCost, requests: MeteredRequest[]): void {
  for (const r of requests) {
    if (r.service === 'dynamodb') {
      const d = r as DynamoDbCost;
      cost.ddbRequests[d.operation] = (cost.ddbRequests[d.operation] ?? 0) + 1;
      const read = d.tableReadUnits + d.indexReadUnits;
      cost.rruTable += d.tableReadUnits;
      cost.rruIndex += d.indexReadUnits;
      if (d.consistent) cost.rruConsistent += read;
      else cost.rruEventual += read;
      cost.wruTable += d.tableWriteUnits;
      const partition = generalised(d.partition ?? '?');
      const seen = cost.partitions[partition] ?? { requests: 0, rru: 0, wru: 0 };
      cost.partitions[partition] = seen;
      seen.requests++;
      seen.rru += read;
      seen.wru += d.tableWriteUnits;
      for (const [index, units] of Object.entries(d.indexWriteUnits)) {
        cost.wruIndex[index] = (cost.wruIndex[index] ?? 0) + units;
      }
    } else {
      const s = r as S3Cost;
      cost.s3[s.operation] = (cost.s3[s.operation] ?? 0) + 1;
      cost.s3BytesIn += s.bytesIn;
    }
  }
}

/** `NOTICE#ntc_01…` → `NOTICE#<id>`: the kind of partition, not the instance. */
const generalised = (partition: string) =>
  partition
    .replace(/(NOTICE#|USER#|CLAIM#)[^#\s]+/g, '$1<id>')
    .replace(/^(.*?#)(ntc|sub|bdl)_[0-9A-Z]+/, '$1<id>')
    .replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, '<time>');

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const wruOf = (c: OperationCost) => c.wruTable + sum(Object.values(c.wruIndex));
const rruOf = (c: OperationCost) => c.rruTable + c.rruIndex;
const s3Tier = (c: OperationCost, tier1: boolean) =>
  sum(Object.entries(c.s3).map(([op, n]) => (TIER1.has(op) === tier1 && op !== 'DeleteObject' ? n : 0)));
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? (sorted[Math.floor((sorted.length - 1) / 2)] ?? 0) : 0;
};
/** Billed GB-seconds: duration rounded up to the millisecond, at the function's memory. */
const gbSeconds = (c: OperationCost) =>
  c.fn ? (sum(c.lambdaMs.map((ms) => Math.ceil(ms))) / 1000) * (memoryOf(c.fn) / 1024) : 0;

// ---- the metered portal ---------------------------------------------------------------------------------------------

interface Metered {
  harness: Harness;
  dynamo: CapacityMeter;
  s3: CapacityMeter;
  /** S3 events waiting for their hash-uploaded-file invocation (run by `drainHashing`, each in its own window). */
  events: unknown[];
  /** dynalite itself, behind the meter: for reading item sizes without counting them. */
  dynamoUpstream: string;
  stop(): Promise<void>;
}

const BUCKET = 'notice-portal-responses-local';
let kmsSigns = 0;

/** Counts every receipt/checkpoint signature: on AWS each is one kms:Sign (KmsReceiptSigner). */
function countSignatures(): void {
  const original = FileReceiptSigner.prototype.sign;
  FileReceiptSigner.prototype.sign = function counted(this: FileReceiptSigner, claims) {
    kmsSigns++;
    return original.call(this, claims);
  };
}

async function startMetered(dataDir: string): Promise<Metered> {
  const paths = dataPaths(dataDir);
  const services: RunningService[] = [];
  const events: unknown[] = [];
  services.push(await startDynalite(paths.dynamodb, 0));
  const s3rver = await startS3rver(paths.s3, 0, [BUCKET], (event) => events.push(event));
  services.push(s3rver);
  const guard = await startS3SignatureGuard({
    upstream: s3rver.endpoint,
    s3rverDirectory: paths.s3,
    port: 0,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    region: 'ap-southeast-2',
  });
  services.push(guard);
  const dynamo = await startDynamoDbMeter(services[0]!.endpoint);
  const s3 = await startS3Meter(guard.endpoint);
  // The portal's only switch between local servers and AWS: here, the meters in front of the local servers.
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
  process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  // Scheduled work runs only when this benchmark runs it, inside its own measuring window.
  const harness = await startHarness({ dataDir, repairIntervalMs: 24 * 3_600_000 });
  return {
    harness,
    dynamo,
    s3,
    events,
    dynamoUpstream: services[0]!.endpoint,
    stop: async () => {
      await harness.stop();
      await dynamo.stop();
      await s3.stop();
      for (const service of services.reverse()) await service.stop();
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Until neither proxy has had a request in flight for 150 ms: background work the operation started has ended. */
async function quiet(m: Metered): Promise<void> {
  let calm = 0;
  while (calm < 3) {
    await sleep(50);
    calm = m.dynamo.inFlight() + m.s3.inFlight() === 0 ? calm + 1 : 0;
  }
}

/** Runs `act` in a window of its own and adds what the stores saw (and its wall time) to `operation`. */
async function measure<T>(m: Metered, operation: string, fn: string | undefined, act: () => Promise<T>): Promise<T> {
  await quiet(m);
  m.dynamo.take();
  m.s3.take();
  const signsBefore = kmsSigns;
  const started = performance.now();
  const result = await act();
  const ms = performance.now() - started;
  await quiet(m);
  const cost = costOf(operation, fn);
  cost.calls++;
  if (fn) cost.lambdaMs.push(ms);
  add(cost, [...m.dynamo.take(), ...m.s3.take()]);
  cost.kmsSign += kmsSigns - signsBefore;
  return result;
}

/** Each waiting S3 event handled by the hash-uploaded-file handler, as its own invocation (as on AWS). */
async function drainHashing(m: Metered): Promise<void> {
  const hasher = require('../lambdas/handlers/hash-uploaded-file') as { handler: (event: unknown) => Promise<void> };
  await quiet(m);
  while (m.events.length) {
    const event = m.events.shift();
    await measure(m, 'hash uploaded file (S3 event)', 'hash-uploaded-file', () => hasher.handler(event));
  }
}

function call(m: Metered): Call {
  return async (user, method, path, body) => {
    const client = m.harness.as(user);
    const res = method === 'GET' ? await client.get(path) : await client.post(path, body);
    return { status: res.status, body: res.body };
  };
}

async function expectOk<T>(what: string, res: Promise<{ status: number; body: T }>): Promise<T> {
  const out = await res;
  if (out.status >= 300) throw new Error(`${what}: HTTP ${out.status} ${JSON.stringify(out.body).slice(0, 500)}`);
  return out.body;
}

// ---- the life of a notice -------------------------------------------------------------------------------------------

// biome-ignore lint/suspicious/noExplicitAny: the API's JSON answers, read for the fields used
type Json = any;

async function upload(m: Metered, upload: Json, bytes: Buffer, operation: string): Promise<void> {
  await measure(m, operation, undefined, async () => {
    const put = await fetch(upload.url, {
      method: 'PUT',
      body: new Uint8Array(bytes),
      headers: { 'content-type': 'application/pdf', ...upload.headers },
    });
    await put.text();
    if (put.status !== 200) throw new Error(`presigned PUT refused: ${put.status}`);
  });
}

async function noticeLife(m: Metered, signer: Awaited<ReturnType<typeof registeredSigner>>, files: number) {
  const api = call(m);
  const op = (operation: string, fn: string, user: string, method: 'GET' | 'POST', path: string, body?: unknown) =>
    measure(m, operation, fn, () => expectOk(operation, api(user, method, path, body)));

  const draft = await op('createDraft', 'create-draft', 'officer', 'POST', '/notices', transparencyDraft('x-corp'));
  const id: string = draft.id;
  await op('getNotice (regulator)', 'get-notice', 'officer', 'GET', `/notices/${id}`);
  await op('issueNotice', 'issue-notice', 'officer', 'POST', `/notices/${id}/issue`);
  await op('listNotices (platform inbox, issued)', 'list-notices', 'x-corp-legal', 'GET', '/notices?status=issued');
  await op('acknowledgeNotice', 'acknowledge-notice', 'x-corp-legal', 'POST', `/notices/${id}/acknowledge`);
  await op('getNotice (platform)', 'get-notice', 'x-corp-legal', 'GET', `/notices/${id}`);

  const contents = Array.from({ length: files }, (_, i) => ({
    name: `response-${i + 1}.pdf`,
    bytes: randomBytes(SMALL_FILE_BYTES),
  }));
  const opened = await op('openSubmission', 'open-submission', 'x-corp-legal', 'POST', `/notices/${id}/submissions`, {
    files: contents.map((f) => ({
      name: f.name,
      size: f.bytes.length,
      sha256: sha256(f.bytes),
      contentType: 'application/pdf',
    })),
  });
  const submissionId: string = opened.submission.submissionId;
  for (const target of opened.uploads as Json[]) {
    await upload(m, target, contents[target.index]!.bytes, 'upload a file (presigned PUT, client → S3)');
  }
  await drainHashing(m);
  const body = await signedFinalize({ noticeId: id, submissionId, files: contents }, signer);
  const filed = await op(
    'finalizeSubmission',
    'finalize-submission',
    'x-corp-legal',
    'POST',
    `/notices/${id}/submissions/${submissionId}/finalize`,
    body,
  );
  if (!filed.receipt) throw new Error(`finalize answered without a receipt: ${JSON.stringify(filed).slice(0, 300)}`);
  await op('getSubmission', 'get-submission', 'x-corp-legal', 'GET', `/notices/${id}/submissions/${submissionId}`);
  await op('getNoticeHistory', 'notice-history', 'officer', 'GET', `/notices/${id}/history`);
  const download = await op(
    'downloadFile',
    'download-file',
    'officer',
    'GET',
    `/notices/${id}/submissions/${submissionId}/files/0/download`,
  );
  await measure(m, 'download a file (presigned GET, client → S3)', undefined, async () => {
    const res = await fetch(download.url);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`presigned GET refused: ${res.status}`);
  });
  await op('startReview', 'start-review', 'officer', 'POST', `/notices/${id}/review`);
  await op('acceptResponse', 'accept-response', 'officer', 'POST', `/notices/${id}/accept`, {});
  await op('closeNotice', 'close-notice', 'officer', 'POST', `/notices/${id}/close`, {});
  await op('listNotices (regulator, first page)', 'list-notices', 'officer', 'GET', '/notices');
  await op('countNotices (dashboard)', 'count-notices', 'officer', 'GET', '/notices/counts');
  return id;
}

/** Sizes of a notice's items as DynamoDB bills them: the projection (what every ALL-projected list index holds) and its events. */
async function itemSizes(m: Metered, id: string): Promise<{ projection: number; events: number[] }> {
  const client = new DynamoDBClient({
    endpoint: m.dynamoUpstream,
    region: 'ap-southeast-2',
    credentials: { accessKeyId: 'meter', secretAccessKey: 'meter' },
  });
  try {
    const table = m.harness.portal.tableName;
    const out = await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: `NOTICE#${id}` } },
      }),
    );
    const items = (out.Items ?? []) as unknown as WireItem[];
    const projection = items.find((i) => i.sk?.S === 'NOTICE');
    const events = items.filter((i) => String(i.sk?.S).startsWith('EVENT#')).map(itemSize);
    return { projection: itemSize(projection), events };
  } finally {
    client.destroy();
  }
}

/** One response of one multipart file of `sizeMiB`: what filing a large file costs, for the per-GiB model. */
async function largeFiling(m: Metered, signer: Awaited<ReturnType<typeof registeredSigner>>, sizeMiB: number) {
  const api = call(m);
  const draft = await expectOk('draft', api('officer', 'POST', '/notices', transparencyDraft('x-corp')));
  await expectOk('issue', api('officer', 'POST', `/notices/${draft.id}/issue`));
  const size = sizeMiB * MIB;
  const bytes = randomBytes(size);
  const files = [{ name: 'large.bin', bytes }];
  const base = `/notices/${draft.id}/submissions`;
  const opened = await measure(m, 'large: openSubmission', 'open-submission', () =>
    expectOk(
      'open',
      api('x-corp-legal', 'POST', base, {
        files: [{ name: 'large.bin', size, sha256: sha256(bytes), contentType: 'application/octet-stream' }],
      }),
    ),
  );
  const submissionId: string = opened.submission.submissionId;
  const [target] = opened.uploads as Json[];
  const filePath = `${base}/${submissionId}/files/0`;
  if (target.method === 'PUT') {
    await upload(m, target, bytes, 'large: upload (single PUT)');
  } else {
    const slice = (n: number) => bytes.subarray((n - 1) * target.partSize, n * target.partSize);
    const numbers = Array.from({ length: target.partCount as number }, (_, i) => i + 1);
    const urls = await measure(m, 'large: getUploadUrls', 'file-upload-urls', () =>
      expectOk(
        'part urls',
        api('x-corp-legal', 'POST', `${filePath}/upload-urls`, {
          parts: numbers.map((partNumber) => ({ partNumber, sha256: sha256(slice(partNumber)) })),
        }),
      ),
    );
    const parts: Json[] = [];
    for (const part of urls.parts as Json[]) {
      await measure(m, 'large: upload parts (presigned UploadPart, client → S3)', undefined, async () => {
        const put = await fetch(part.url, {
          method: 'PUT',
          body: new Uint8Array(slice(part.partNumber)),
          headers: part.headers,
        });
        await put.text();
        if (put.status !== 200) throw new Error(`UploadPart refused: ${put.status}`);
        parts.push({
          partNumber: part.partNumber,
          etag: put.headers.get('etag'),
          sha256: sha256(slice(part.partNumber)),
        });
      });
    }
    await measure(m, 'large: completeFile', 'complete-file', () =>
      expectOk('complete', api('x-corp-legal', 'POST', `${filePath}/complete`, { parts })),
    );
  }
  await quiet(m);
  const hasher = require('../lambdas/handlers/hash-uploaded-file') as { handler: (event: unknown) => Promise<void> };
  while (m.events.length) {
    const event = m.events.shift();
    await measure(m, 'large: hash uploaded file (S3 event)', 'hash-uploaded-file', () => hasher.handler(event));
  }
  const body = await signedFinalize({ noticeId: draft.id, submissionId, files }, signer);
  await measure(m, 'large: finalizeSubmission', 'finalize-submission', () =>
    expectOk('finalize', api('x-corp-legal', 'POST', `${filePath.replace(/\/files\/0$/, '')}/finalize`, body)),
  );
  return { size, partSize: target.method === 'PUT' ? size : (target.partSize as number) };
}

/** Reminder runs: `due` notices issued, the portal clock moved to when their first reminder fires, a run, an idle run. */
async function reminderRuns(m: Metered, due: number): Promise<void> {
  const api = call(m);
  for (let i = 0; i < due; i++) {
    const draft = await expectOk('draft', api('officer', 'POST', '/notices', transparencyDraft('x-corp')));
    await expectOk('issue', api('officer', 'POST', `/notices/${draft.id}/issue`));
  }
  // The transparency notice's 28-day clock reminds 7 days before it is due: 23 days on, the first one has fired.
  await expectOk('clock', api('officer', 'POST', '/dev/clock', { days: 23 }));
  const run = () => expectOk('reminders', api('officer', 'POST', '/dev/reminders/run'));
  const report = await measure(m, `run-reminders (${due} due)`, 'run-reminders', run);
  if ((report.sent?.length ?? 0) < due) throw new Error(`the reminder run sent ${report.sent?.length} of ${due}`);
  await measure(m, 'run-reminders (nothing due)', 'run-reminders', run);
}

async function scheduledIdle(m: Metered): Promise<void> {
  const api = call(m);
  await measure(m, 'run-checkpoint (after the lives)', 'run-checkpoint', () =>
    expectOk('checkpoint', api('officer', 'POST', '/dev/checkpoints/run')),
  );
  await measure(m, 'run-checkpoint (nothing changed)', 'run-checkpoint', () =>
    expectOk('checkpoint', api('officer', 'POST', '/dev/checkpoints/run')),
  );
  const repair = require('../lambdas/handlers/repair-projections') as { handler: () => Promise<unknown> };
  // The first run on a fresh table also writes the one-off backfill markers; the second is what every later run costs.
  await measure(m, 'repair-projections (first run: backfill markers)', 'repair-projections', () => repair.handler());
  await measure(m, 'repair-projections (nothing to repair)', 'repair-projections', () => repair.handler());
  const verify = require('../lambdas/handlers/verify-pending-submissions') as { handler: () => Promise<unknown> };
  await measure(m, 'verify-pending-submissions (nothing owed)', 'verify-pending-submissions', () => verify.handler());
}

// ---- output ---------------------------------------------------------------------------------------------------------

const fmt = (n: number, digits = 1) => (Number.isInteger(n) ? String(n) : n.toFixed(digits));
const usd = (n: number) => (n >= 1 ? `$${n.toFixed(2)}` : n >= 0.01 ? `$${n.toFixed(3)}` : `$${n.toFixed(5)}`);

function printTable(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ');
  console.log(`\n${title}\n`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const row of rows) console.log(line(row));
}

const perCall = (c: OperationCost, value: number) => value / c.calls;

function s3Summary(c: OperationCost): string {
  return Object.entries(c.s3)
    .map(([op, n]) => `${fmt(perCall(c, n), 2)} ${op}`)
    .join(', ');
}

function ddbSummary(c: OperationCost): string {
  return Object.entries(c.ddbRequests)
    .map(([op, n]) => `${fmt(perCall(c, n), 2)} ${op}`)
    .join(', ');
}

function gsiSummary(c: OperationCost): string {
  return Object.entries(c.wruIndex)
    .map(([index, n]) => `${index} ${fmt(perCall(c, n), 2)}`)
    .join(', ');
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const dir = mkdtempSync(join(tmpdir(), 'bench-capacity-'));
  countSignatures();
  const started = performance.now();
  const m = await startMetered(dir);
  let large: { size: number; partSize: number } | undefined;
  let sizes: { projection: number; events: number[] } | undefined;
  try {
    await quiet(m);
    m.dynamo.take();
    m.s3.take();
    const signer = await registeredSigner(call(m));
    for (let i = 0; i < NOTICES; i++) {
      process.stderr.write(`notice ${i + 1}/${NOTICES} …\n`);
      const id = await noticeLife(m, signer, FILES);
      sizes ??= await itemSizes(m, id);
    }
    phase = 'large';
    if (LARGE_MIB > 0) {
      process.stderr.write(`one ${LARGE_MIB} MiB file …\n`);
      large = await largeFiling(m, signer, LARGE_MIB);
    }
    phase = 'scheduled';
    await scheduledIdle(m);
    await reminderRuns(m, 3);
  } finally {
    await m.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  const all = [...costs.values()];
  printTable(
    `Per operation, per call (${NOTICES} notices of ${FILES} × ${SMALL_FILE_BYTES / 1024} KiB files; Lambda ms = wall time of the request here, an upper bound):`,
    [
      'operation',
      'calls',
      'Lambda ms (median)',
      'RRU',
      'of which consistent',
      'WRU table',
      'WRU GSIs',
      'DynamoDB requests',
      'S3',
      'KMS Sign',
    ],
    all.map((c) => [
      c.operation,
      String(c.calls),
      c.fn ? `${median(c.lambdaMs).toFixed(0)} (${c.fn}, ${memoryOf(c.fn)} MB)` : '– (client)',
      fmt(perCall(c, rruOf(c)), 2),
      fmt(perCall(c, c.rruConsistent), 2),
      fmt(perCall(c, c.wruTable), 2),
      `${fmt(perCall(c, sum(Object.values(c.wruIndex))), 2)}${gsiSummary(c) ? ` (${gsiSummary(c)})` : ''}`,
      ddbSummary(c),
      s3Summary(c),
      fmt(perCall(c, c.kmsSign), 2),
    ]),
  );

  // The life of one notice: every operation of noticeLife once (what was measured, averaged over the notices).
  const life = all.filter((c) => c.phase === 'life');
  const perNotice = (f: (c: OperationCost) => number) => sum(life.map((c) => f(c) / NOTICES));
  const lifeWru = perNotice(wruOf);
  const lifeRru = perNotice(rruOf);
  const lifeGbs = perNotice(gbSeconds);
  const lifeInvocations = perNotice((c) => (c.fn ? c.lambdaMs.length : 0));
  const lifeTier1 = perNotice((c) => s3Tier(c, true));
  const lifeTier2 = perNotice((c) => s3Tier(c, false));
  const lifeSigns = perNotice((c) => c.kmsSign);
  const lifeApi = perNotice((c) => (c.fn && c.fn !== 'hash-uploaded-file' ? c.calls : 0));
  const remindersDue = costs.get('run-reminders (3 due)');
  const remindersIdle = costs.get('run-reminders (nothing due)');
  // Per reminder sent: what a run with reminders due costs beyond an idle run. A transparency notice has three
  // reminders (7, 2 and 1 days before due); a response filed in time stops the rest. Counted here: all three.
  const perReminder = (f: (c: OperationCost) => number) =>
    remindersDue && remindersIdle ? Math.max(0, f(remindersDue) - f(remindersIdle)) / 3 : 0;
  // The checkpoint run's work for these notices' events (beyond an idle run), shared out per notice.
  const cpDone = costs.get('run-checkpoint (after the lives)');
  const cpIdle = costs.get('run-checkpoint (nothing changed)');
  const chains = NOTICES + (LARGE_MIB > 0 ? 1 : 0);
  const perNoticeCheckpoint = (f: (c: OperationCost) => number) =>
    cpDone && cpIdle ? Math.max(0, f(cpDone) - f(cpIdle)) / chains : 0;
  const reminderShare = {
    wru: 3 * perReminder(wruOf),
    rru: 3 * perReminder(rruOf),
    gbs: 3 * perReminder(gbSeconds),
  };

  const per1000 = {
    invocations: 1000 * lifeInvocations,
    gbSeconds: 1000 * (lifeGbs + reminderShare.gbs + perNoticeCheckpoint(gbSeconds)),
    wru: 1000 * (lifeWru + reminderShare.wru + perNoticeCheckpoint(wruOf)),
    rru: 1000 * (lifeRru + reminderShare.rru + perNoticeCheckpoint(rruOf)),
    s3Tier1: 1000 * lifeTier1,
    s3Tier2: 1000 * lifeTier2,
    kmsSign: 1000 * lifeSigns,
    api: 1000 * lifeApi,
  };
  const cost1000 = {
    lambda:
      per1000.gbSeconds * PRICES.lambdaArmPerGbSecond + (per1000.invocations / 1e6) * PRICES.lambdaPerMillionRequests,
    dynamo: (per1000.wru / 1e6) * PRICES.dynamoPerMillionWru + (per1000.rru / 1e6) * PRICES.dynamoPerMillionRru,
    s3: (per1000.s3Tier1 / 1000) * PRICES.s3PerThousandTier1 + (per1000.s3Tier2 / 1000) * PRICES.s3PerThousandTier2,
    kms: (per1000.kmsSign / 10_000) * PRICES.kmsPerTenThousandAsymmetric,
    api: (per1000.api / 1e6) * PRICES.httpApiPerMillion,
  };

  // Scheduled jobs: every 5 minutes each on AWS (lib/constructs), whatever the number of notices.
  const runsPerMonth = 12 * 730;
  const idle = [
    'run-reminders (nothing due)',
    'run-checkpoint (nothing changed)',
    'repair-projections (nothing to repair)',
    'verify-pending-submissions (nothing owed)',
  ]
    .map((name) => costs.get(name))
    .filter((c): c is OperationCost => c !== undefined);
  const idleMonth = {
    gbSeconds: runsPerMonth * sum(idle.map((c) => gbSeconds(c) / c.calls)),
    rru: runsPerMonth * sum(idle.map((c) => rruOf(c) / c.calls)),
    wru: runsPerMonth * sum(idle.map((c) => wruOf(c) / c.calls)),
    invocations: runsPerMonth * idle.length,
  };
  const idleCost =
    idleMonth.gbSeconds * PRICES.lambdaArmPerGbSecond +
    (idleMonth.invocations / 1e6) * PRICES.lambdaPerMillionRequests +
    (idleMonth.rru / 1e6) * PRICES.dynamoPerMillionRru +
    (idleMonth.wru / 1e6) * PRICES.dynamoPerMillionWru;

  printTable(
    `Per 1,000 notices (each living the life above once, plus three reminders each and its share of a checkpoint run; ${PRICES.source}):`,
    ['item', 'amount', 'cost'],
    [
      ['API requests (HTTP API)', fmt(per1000.api, 0), usd(cost1000.api)],
      ['Lambda invocations', fmt(per1000.invocations, 0), ''],
      ['Lambda GB-seconds (upper bound)', fmt(per1000.gbSeconds, 0), usd(cost1000.lambda)],
      ['DynamoDB write request units', fmt(per1000.wru, 0), ''],
      ['DynamoDB read request units', fmt(per1000.rru, 0), usd(cost1000.dynamo)],
      ['S3 PUT/COPY/POST/LIST requests', fmt(per1000.s3Tier1, 0), ''],
      ['S3 GET/HEAD requests', fmt(per1000.s3Tier2, 0), usd(cost1000.s3)],
      ['KMS Sign (receipts)', fmt(per1000.kmsSign, 0), usd(cost1000.kms)],
      ['total', '', usd(sum(Object.values(cost1000)))],
      ['scheduled jobs, per month, any number of notices', `${fmt(idleMonth.invocations, 0)} runs`, usd(idleCost)],
    ],
  );

  const figures: Figure[] = [
    { name: 'notice life: DynamoDB WRU per notice', value: round(lifeWru), unit: 'WRU' },
    { name: 'notice life: DynamoDB RRU per notice', value: round(lifeRru), unit: 'RRU' },
    { name: 'notice life: Lambda GB-s per notice (upper bound)', value: round(lifeGbs, 3), unit: 'GB-s' },
    { name: 'notice life: S3 requests per notice', value: round(lifeTier1 + lifeTier2), unit: 'requests' },
    { name: 'notice life: KMS Sign per notice', value: round(lifeSigns), unit: 'calls' },
    {
      name: 'reminders (3) + checkpoint share: WRU per notice',
      value: round(reminderShare.wru + perNoticeCheckpoint(wruOf)),
      unit: 'WRU',
    },
    {
      name: 'cost per 1,000 notices (list prices, us-east-1)',
      value: round(sum(Object.values(cost1000)), 3),
      unit: 'USD',
    },
    { name: 'scheduled jobs per month (list prices)', value: round(idleCost, 3), unit: 'USD' },
  ];
  for (const name of [
    'getNotice (platform)',
    'issueNotice',
    'finalizeSubmission',
    'listNotices (platform inbox, issued)',
  ]) {
    const c = costs.get(name);
    if (c)
      figures.push({
        name: `${name}: RRU + WRU per call`,
        value: round(perCall(c, rruOf(c) + wruOf(c))),
        unit: 'units',
      });
  }

  if (large) {
    const parts = Math.ceil(large.size / large.partSize);
    const largeOps = all.filter((c) => c.phase === 'large');
    const perGiB = GIB / large.size;
    const tier1 = sum(largeOps.map((c) => s3Tier(c, true))) * perGiB;
    const tier2 = sum(largeOps.map((c) => s3Tier(c, false))) * perGiB;
    const gbs = sum(largeOps.map(gbSeconds)) * perGiB;
    const hash = costs.get('large: hash uploaded file (S3 event)');
    const hashMiBs = hash ? large.size / MIB / (sum(hash.lambdaMs) / 1000) : 0;
    // A 1 GiB file is cut into parts of partSizeFor(1 GiB): those many UploadParts, plus create and complete.
    const partsPerGiBFile = Math.ceil(GIB / partSizeFor(GIB));
    printTable(
      `Per filed GiB (measured: one ${LARGE_MIB} MiB file in ${parts} parts of ${large.partSize / MIB} MiB, scaled ×${perGiB.toFixed(1)}):`,
      ['item', 'amount', 'cost'],
      [
        [
          'S3 PUT/POST/LIST requests, files of this size',
          fmt(tier1, 1),
          usd((tier1 / 1000) * PRICES.s3PerThousandTier1),
        ],
        [
          `S3 PUT/POST requests, one 1 GiB file (${partsPerGiBFile} parts)`,
          String(partsPerGiBFile + 2),
          usd(((partsPerGiBFile + 2) / 1000) * PRICES.s3PerThousandTier1),
        ],
        ['S3 GET/HEAD requests', fmt(tier2, 1), usd((tier2 / 1000) * PRICES.s3PerThousandTier2)],
        [
          `Lambda GB-s (hashing at ${hashMiBs.toFixed(0)} MiB/s here, 1,024 MB)`,
          fmt(gbs, 1),
          usd(gbs * PRICES.lambdaArmPerGbSecond),
        ],
        [
          'S3 Standard storage, per month (Object Lock keeps it)',
          '1 GiB',
          usd((GIB / 1e9) * PRICES.s3StandardPerGbMonth),
        ],
      ],
    );
    figures.push(
      { name: 'per filed GiB: S3 requests', value: round(tier1 + tier2), unit: 'requests' },
      { name: 'per filed GiB: Lambda GB-s (hashing, upper bound)', value: round(gbs, 1), unit: 'GB-s' },
      { name: 'hashing throughput (hash-uploaded-file, here)', value: round(hashMiBs), unit: 'MiB/s' },
    );
  }
  if (sizes) figures.push(...scale(sizes));
  console.log(`\nMeasured in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  const command = `npm run bench:capacity${argv.length ? ` -- ${argv.join(' ')}` : ''}`;
  console.log(`Figures: ${recordFigures('capacity', command, figures)}`);
}

/**
 * Hot partitions and large platforms, from the measured requests and item sizes: a notice read by 10,000 readers
 * at once, a platform with 100,000 notices, and the reminder sweep at 1M notices.
 */
function scale(sizes: { projection: number; events: number[] }): Figure[] {
  const figures: Figure[] = [];
  const get = costs.get('getNotice (platform)');
  if (get) {
    printTable(
      'One GET /notices/{id} (platform), by partition (per call):',
      ['partition', 'requests', 'RRU'],
      Object.entries(get.partitions).map(([p, v]) => [p, fmt(v.requests / get.calls, 2), fmt(v.rru / get.calls, 2)]),
    );
    const notice = Object.entries(get.partitions).find(([p]) => p.startsWith('NOTICE#'))?.[1];
    const perRead = notice ? notice.rru / get.calls : 0;
    // DynamoDB serves at most 3,000 read units a second from one partition (and one item never splits further).
    const seconds = (10_000 * perRead) / 3000;
    figures.push(
      {
        name: 'hot notice: RRU per read on its NOTICE# partition (strongly consistent)',
        value: round(perRead, 2),
        unit: 'RRU',
      },
      { name: 'hot notice: 10,000 reads at 3,000 RCU/s per partition', value: round(seconds, 1), unit: 's' },
    );
  }
  // A platform's list and count read its partition of the by-platform index (ALL projection: the whole item).
  const perPage = (n: number) => Math.ceil((n * sizes.projection) / 4096) * 0.5;
  const countAll = (n: number) => Math.ceil((n * sizes.projection) / 4096) * 0.5;
  const pages1MB = (n: number) => Math.ceil((n * sizes.projection) / (1024 * 1024));
  printTable(
    `A platform with 100,000 notices (projection item ${sizes.projection} B as DynamoDB sizes it; events ${Math.min(...sizes.events)}–${Math.max(...sizes.events)} B):`,
    ['read', 'RRU (eventually consistent, index)', 'Query requests'],
    [
      ['one list page of 25', fmt(perPage(25), 1), '1'],
      ['one list page of 100', fmt(perPage(100), 1), '1'],
      ['all 100,000, paged (export / CSV)', fmt(countAll(100_000), 0), `${Math.ceil(100_000 / 100)} (pages of 100)`],
      ['one COUNT over the partition (dashboard tile)', fmt(countAll(100_000), 0), `${pages1MB(100_000)} (1 MB each)`],
    ],
  );
  figures.push(
    { name: 'notice projection item size', value: sizes.projection, unit: 'B' },
    { name: 'platform of 100k notices: one list page of 25', value: perPage(25), unit: 'RRU' },
    { name: 'platform of 100k notices: one COUNT over its partition', value: countAll(100_000), unit: 'RRU' },
  );
  const due = costs.get('run-reminders (3 due)');
  const idle = costs.get('run-reminders (nothing due)');
  if (due && idle) {
    const perReminder = (f: (c: OperationCost) => number) => Math.max(0, f(due) - f(idle)) / 3;
    // 1M notices a year, three reminders each, spread over the year; a run every 5 minutes.
    const dueSoon = (1_000_000 * 3) / (365 * 24 * 12);
    const rru = perReminder(rruOf) * dueSoon + rruOf(idle);
    const wru = perReminder(wruOf) * dueSoon + wruOf(idle);
    printTable(
      'Reminder sweep at 1M notices (extrapolated: a run reads only the sparse reminders-due index, so its cost is the reminders due, not the notices held; bench:reminders measures it flat from 1k to 100k):',
      ['per run (every 5 min)', 'value'],
      [
        ['reminders due (1M notices/year × 3 reminders, spread)', fmt(dueSoon, 1)],
        ['RRU per reminder sent / per idle run', `${fmt(perReminder(rruOf), 1)} / ${fmt(rruOf(idle), 1)}`],
        ['WRU per reminder sent', fmt(perReminder(wruOf), 1)],
        ['RRU + WRU per run', `${fmt(rru, 0)} + ${fmt(wru, 0)}`],
      ],
    );
    figures.push(
      {
        name: 'reminder sweep: RRU + WRU per reminder sent',
        value: round(perReminder(rruOf) + perReminder(wruOf)),
        unit: 'units',
      },
      {
        name: 'reminder sweep at 1M notices: units per 5-min run (extrapolated)',
        value: round(rru + wru, 0),
        unit: 'units',
      },
    );
  }
  return figures;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
