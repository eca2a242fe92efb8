/**
 * Benchmark (issue 14 point 6): the local portal's API under load, beside the embedded DynamoDB doing the same
 * requests' store work directly, measured in one run.
 *
 * Layout: three processes on the machine. The embedded storage (dynalite, s3rver and its SigV4 guard) runs in a
 * process of its own (bench/support/storage-process.ts), the portal in another (bench/support/portal-process.ts,
 * pointed at it through AWS_ENDPOINT_URL_DYNAMODB / _S3 — the only switch between local and AWS), and this process
 * generates the load. So the portal's CPU (and its profile) is the portal's own — handlers, SDK, token checks,
 * logging — as a Lambda's is, and the store costs the same whoever calls it: the raw figures below are the same
 * storage process answering this process's SDK client.
 *
 * 1. A dry run: a first portal process, its DynamoDB requests passing through a recorder
 *    (bench/support/store-operation-recorder.ts), prepares the data over HTTP as the seeded users (notices issued
 *    to x-corp; one draft per issue request; for each finalize request a notice issued with a submission of
 *    answers only opened and its manifest signed with a registered Ed25519 key) and then sends a few requests of
 *    each kind, one at a time, recording exactly what each sent to the store: the operations per request.
 * 2. The measured portal: a fresh portal process on the same data, straight to the storage process, at
 *    LOG_LEVEL info (the default of `npm start` and of every function), its log lines drained from a pipe.
 *    For each of GET /notices/{id} (x-corp-legal, a random seeded notice), GET /notices?status=issued (x-corp-legal,
 *    a page of 25), POST /notices/{id}/issue (officer, each request its own draft) and POST …/finalize
 *    (x-corp-legal, each its own prepared submission), at 1, 10 and 50 connections (closed loop, keep-alive):
 *    requests/s, p50, p99.
 * 3. Raw: the same storage process, from this process's DynamoDB client (keep-alive, `maxSockets` = connections):
 *    "store ops" replays, per request, the operations the dry run recorded for that kind of request, in order, with
 *    the ids of an item prepared alike; for get also a single consistent GetItem of the notice's item (the
 *    issue's reference), for list the list's Query alone.
 *
 *   npm run bench:local-api
 *   BENCH_SECONDS=5 BENCH_OPS=get,list npm run bench:local-api        (time per get/list cell; some kinds only)
 *   BENCH_PROFILE=get npm run bench:local-api    (only that kind at 50 connections, the portal under --cpu-prof;
 *                                                 prints the profile's summary, writes it under bench/results/)
 *
 * Needs nothing but the repository; data in a fresh temp folder, removed at the end.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { transparencyDraft } from '../tests/integration/support/portal-harness';
import { type OpenedResponse, registeredSigner, signedFinalize } from '../tests/integration/support/response-filing';
import { closedLoop, type HttpAnswer, httpRequest, keepAliveAgent, type LoadResult } from './support/closed-loop';
import { formatSummary, summariseProfile } from './support/cpu-profile-summary';
import { type Figure, RESULTS_DIR, ratio, recordFigures } from './support/figures';
import { type RecordedOperation, startStoreOperationRecorder } from './support/store-operation-recorder';

const ROOT = join(__dirname, '..');
// One line about future SDK releases on Node 20 (local/start.ts says the same), not about this run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const STORAGE_PROCESS = join(__dirname, 'support', 'storage-process.ts');
const PORTAL_PROCESS = join(__dirname, 'support', 'portal-process.ts');
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const REGION = 'ap-southeast-2';
const TABLE = 'notice-portal-local';
const CONNECTIONS = [1, 10, 50];
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/** Requests per cell of the kinds that use up a prepared item each (issue, finalize), by connections. */
const WRITE_SCALE = Number(process.env.BENCH_WRITE_SCALE ?? 1);
const WRITE_REQUESTS: Record<number, number> = Object.fromEntries(
  Object.entries({ 1: 50, 10: 150, 50: 300 }).map(([c, n]) => [c, Math.max(1, Math.round(n * WRITE_SCALE))]),
);
const SEEDED_NOTICES = 100;
const PREPARE_CONCURRENCY = 8;
type Kind = 'get' | 'list' | 'issue' | 'finalize';
const ALL_KINDS: Kind[] = ['get', 'list', 'issue', 'finalize'];
const PROFILE = process.env.BENCH_PROFILE as Kind | undefined;
const KINDS: Kind[] = PROFILE
  ? [PROFILE]
  : ((process.env.BENCH_OPS?.split(',') as Kind[] | undefined) ?? ALL_KINDS).filter((k) => ALL_KINDS.includes(k));
const CELLS = PROFILE ? [50] : CONNECTIONS;
const PROFILE_SECONDS = Number(process.env.BENCH_PROFILE_SECONDS ?? 15);

// ---- processes -------------------------------------------------------------------------------------------------

interface Started<T> {
  child: ChildProcess;
  ready: T;
}

/**
 * Starts a bench/support script and waits for the JSON line it prints when ready, the first one with `readyKey`:
 * the portal may log (JSON lines too, at `BENCH_PORTAL_LOG_LEVEL=info`: its start-up repair) before it is ready.
 * Other output is read and dropped, as a terminal would scroll it away.
 */
async function startProcess<T>(
  script: string,
  dataDir: string,
  readyKey: keyof T & string,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<Started<T>> {
  const child = spawn(process.execPath, [...nodeArgs, '--require', 'tsx/cjs', script, dataDir], {
    cwd: ROOT,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  let resolved = false;
  const ready = await new Promise<T>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before it started`)));
    child.stdout?.on('data', (chunk) => {
      if (resolved) return;
      out += chunk;
      for (let newline = out.indexOf('\n'); newline >= 0 && !resolved; newline = out.indexOf('\n')) {
        const line = out.slice(0, newline);
        out = out.slice(newline + 1);
        const value = parseJsonLine(line);
        if (value && typeof value === 'object' && readyKey in value) {
          resolved = true;
          resolve(value as T);
        }
      }
    });
  });
  child.removeAllListeners('exit');
  return { child, ready };
}

function parseJsonLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

function portalEnv(dynamodb: string, s3: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_DYNAMODB: dynamodb,
    AWS_ENDPOINT_URL_S3: s3,
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_REGION: REGION,
    ...extra,
  };
}

/**
 * CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat (clock ticks of 10 ms, Linux's
 * USER_HZ): per request, it says what a request costs the portal whatever else the shared machine is doing.
 */
function cpuMsOf(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** This process's CPU time so far, in ms. */
function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Runs `work` and returns its result with the CPU ms per request each named process spent on it. */
async function measuredCpu<T extends { requests: number }>(
  pids: Record<string, number | undefined>,
  work: (onMeasuring: () => void) => Promise<T>,
): Promise<T & { cpuMsPerRequest: Record<string, number> }> {
  let before: Record<string, number> = {};
  let ownBefore = 0;
  const result = await work(() => {
    before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMsOf(pid)]));
    ownBefore = ownCpuMs();
  });
  const perRequest = (ms: number) => ms / Math.max(1, result.requests);
  const cpuMsPerRequest: Record<string, number> = { bench: perRequest(ownCpuMs() - ownBefore) };
  for (const [name, pid] of Object.entries(pids))
    cpuMsPerRequest[name] = perRequest(cpuMsOf(pid) - (before[name] ?? 0));
  return { ...result, cpuMsPerRequest };
}

// ---- HTTP as the seeded users ----------------------------------------------------------------------------------

class PortalClient {
  private readonly tokens = new Map<string, string>();
  constructor(
    readonly url: string,
    readonly agent: Agent,
  ) {}

  async login(users: string[]): Promise<void> {
    for (const user of users) {
      const answer = await httpRequest(this.agent, new URL(`/dev-idp/token/${user}`, this.url), 'POST', {});
      if (answer.status !== 200) throw new Error(`no token for ${user}: ${answer.status} ${answer.body}`);
      this.tokens.set(user, answer.body.trim());
    }
  }

  send(user: string, method: string, path: string, body?: unknown): Promise<HttpAnswer> {
    const token = this.tokens.get(user);
    if (!token) throw new Error(`no token for ${user}`);
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return httpRequest(
      this.agent,
      new URL(path, this.url),
      method,
      headers,
      body === undefined ? undefined : JSON.stringify(body),
    );
  }

  async expect(status: number, user: string, method: string, path: string, body?: unknown): Promise<any> {
    const answer = await this.send(user, method, path, body);
    if (answer.status !== status) {
      throw new Error(
        `${method} ${path} as ${user}: ${answer.status} (expected ${status}) ${answer.body.slice(0, 300)}`,
      );
    }
    return answer.body ? JSON.parse(answer.body) : undefined;
  }
}

const USERS = ['admin', 'officer', 'x-corp-legal'];

/** Runs `make` for 0…count-1, `concurrency` at a time, in index order of results. */
async function inParallel<T>(count: number, concurrency: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await make(i);
      }
    }),
  );
  return results;
}

// ---- preparation -----------------------------------------------------------------------------------------------

interface FinalizeItem {
  noticeId: string;
  submissionId: string;
  body: { manifest: unknown; signature: string };
}

interface Prepared {
  noticeIds: string[];
  /** Per kind that uses up items: one array per purpose. */
  drafts: { portal: string[]; raw: string[]; dry: string[] };
  finalizes: { portal: FinalizeItem[]; raw: FinalizeItem[]; dry: FinalizeItem[] };
}

const writesPerRun = () => CELLS.reduce((sum, c) => sum + (WRITE_REQUESTS[c] ?? 0), 0);
const DRY_REQUESTS = 3;

async function prepare(client: PortalClient): Promise<Prepared> {
  const started = performance.now();
  const issued = async () => {
    const draft = await client.expect(201, 'officer', 'POST', '/notices', transparencyDraft('x-corp'));
    await client.expect(200, 'officer', 'POST', `/notices/${draft.id}/issue`);
    return draft.id as string;
  };
  const noticeIds = await inParallel(SEEDED_NOTICES, PREPARE_CONCURRENCY, issued);
  const draftsFor = async (count: number) =>
    inParallel(count, PREPARE_CONCURRENCY, async () => {
      const draft = await client.expect(201, 'officer', 'POST', '/notices', transparencyDraft('x-corp'));
      return draft.id as string;
    });
  const wantIssue = KINDS.includes('issue');
  const wantFinalize = KINDS.includes('finalize');
  const n = writesPerRun();
  const drafts = {
    portal: wantIssue ? await draftsFor(n) : [],
    raw: wantIssue ? await draftsFor(n) : [],
    dry: wantIssue ? await draftsFor(DRY_REQUESTS) : [],
  };
  const call = async (user: string, method: 'GET' | 'POST', path: string, body?: unknown) => {
    const answer = await client.send(user, method, path, body);
    return { status: answer.status, body: answer.body ? JSON.parse(answer.body) : undefined };
  };
  const signer = wantFinalize ? await registeredSigner(call) : undefined;
  const finalizesFor = async (count: number) =>
    inParallel(count, PREPARE_CONCURRENCY, async (): Promise<FinalizeItem> => {
      const noticeId = await issued();
      const opened = await client.expect(201, 'x-corp-legal', 'POST', `/notices/${noticeId}/submissions`, {
        files: [],
      });
      const response: OpenedResponse = { noticeId, submissionId: opened.submission.submissionId, files: [] };
      if (!signer) throw new Error('invariant: a signer when finalizing');
      return { noticeId, submissionId: response.submissionId, body: await signedFinalize(response, signer) };
    });
  const finalizes = {
    portal: wantFinalize ? await finalizesFor(n) : [],
    raw: wantFinalize ? await finalizesFor(n) : [],
    dry: wantFinalize ? await finalizesFor(DRY_REQUESTS) : [],
  };
  process.stdout.write(`prepared in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return { noticeIds, drafts, finalizes };
}

// ---- the requests ----------------------------------------------------------------------------------------------

const LIST_PATH = '/notices?status=issued&limit=25';

function portalRequest(client: PortalClient, kind: Kind, prepared: Prepared, set: 'portal' | 'dry') {
  const pick = <T>(items: T[], i: number): T => {
    const item = items[i];
    if (item === undefined) throw new Error(`no prepared item ${i} for ${kind}`);
    return item;
  };
  return async (i: number, cellOffset = 0): Promise<void> => {
    let answer: HttpAnswer;
    if (kind === 'get') {
      const id = prepared.noticeIds[Math.floor(Math.random() * prepared.noticeIds.length)];
      answer = await client.send('x-corp-legal', 'GET', `/notices/${id}`);
    } else if (kind === 'list') {
      answer = await client.send('x-corp-legal', 'GET', LIST_PATH);
    } else if (kind === 'issue') {
      answer = await client.send('officer', 'POST', `/notices/${pick(prepared.drafts[set], cellOffset + i)}/issue`);
    } else {
      const item = pick(prepared.finalizes[set], cellOffset + i);
      answer = await client.send(
        'x-corp-legal',
        'POST',
        `/notices/${item.noticeId}/submissions/${item.submissionId}/finalize`,
        item.body,
      );
    }
    if (answer.status !== 200) {
      throw new Error(`${kind}: ${answer.status} ${answer.body.slice(0, 200)}`);
    }
  };
}

/** The ids in a recorded request that name the item it worked on, to be swapped for another item's. */
function idsOf(kind: Kind, prepared: Prepared, index: number): string[] {
  if (kind === 'issue') return [prepared.drafts.dry[index] ?? ''];
  if (kind === 'finalize') {
    const item = prepared.finalizes.dry[index];
    return item ? [item.noticeId, item.submissionId] : [];
  }
  return [];
}

// ---- raw store -------------------------------------------------------------------------------------------------

const COMMANDS: Record<string, new (input: any) => any> = {
  GetItem: GetItemCommand,
  Query: QueryCommand,
  PutItem: PutItemCommand,
  UpdateItem: UpdateItemCommand,
  DeleteItem: DeleteItemCommand,
  BatchGetItem: BatchGetItemCommand,
  BatchWriteItem: BatchWriteItemCommand,
};

function rawClient(endpoint: string, connections: number): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: REGION,
    credentials: CREDENTIALS,
    requestHandler: new NodeHttpHandler({ httpAgent: keepAliveAgent(connections) }),
  });
}

/** Replays a recorded request's store operations in order, with `from` ids replaced by `to` ids. */
async function replay(client: DynamoDBClient, operations: RecordedOperation[], from: string[], to: string[]) {
  for (const { operation, input } of operations) {
    const Command = COMMANDS[operation];
    if (!Command) throw new Error(`no raw replay for ${operation}`);
    let text = JSON.stringify(input);
    from.forEach((id, i) => {
      if (id) text = text.split(id).join(to[i] ?? id);
    });
    await client.send(new Command(JSON.parse(text)));
  }
}

// ---- the run ---------------------------------------------------------------------------------------------------

type Measured = LoadResult & { cpuMsPerRequest: Record<string, number> };

interface Row {
  kind: Kind;
  connections: number;
  portal: Measured;
  raw: { name: string; result: Measured }[];
}

function cell(connections: number, kind: Kind) {
  const counted = kind === 'issue' || kind === 'finalize';
  return counted
    ? { requests: WRITE_REQUESTS[connections] ?? 0 }
    : { durationMs: (PROFILE ? PROFILE_SECONDS : SECONDS) * 1000, warmupMs: 1000 };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'notice-portal-local-api-'));
  const profileDir = join(RESULTS_DIR, 'local-api-profile');
  const children: ChildProcess[] = [];
  try {
    const storage = await startProcess<{ dynamodb: string; s3: string }>(STORAGE_PROCESS, dataDir, 'dynamodb');
    children.push(storage.child);
    const { dynamodb, s3 } = storage.ready;

    // 1. Dry run: prepare, then record what one request of each kind sends to the store.
    const recorder = await startStoreOperationRecorder(dynamodb);
    const dry = await startProcess<{ url: string }>(PORTAL_PROCESS, dataDir, 'url', portalEnv(recorder.endpoint, s3));
    const dryClient = new PortalClient(dry.ready.url, keepAliveAgent(PREPARE_CONCURRENCY));
    await dryClient.login(USERS);
    const prepared = await prepare(dryClient);
    const recorded = new Map<Kind, { operations: RecordedOperation[]; from: string[] }>();
    for (const kind of KINDS) {
      const send = portalRequest(dryClient, kind, prepared, 'dry');
      for (let i = 0; i < DRY_REQUESTS; i++) {
        recorder.take();
        await send(i);
        // The last one: anything done once per process (a key set fetched, a checkpoint read) is behind it.
        recorded.set(kind, { operations: recorder.take(), from: idsOf(kind, prepared, i) });
      }
    }
    await stopProcess(dry.child);
    await recorder.stop();
    for (const [kind, { operations }] of recorded) {
      process.stdout.write(
        `${kind}: ${operations.length} store ops per request:\n${operations.map(describeOperation).join('\n')}\n`,
      );
    }

    // 2. The measured portal, straight to the store.
    if (PROFILE) {
      rmSync(profileDir, { recursive: true, force: true });
      mkdirSync(profileDir, { recursive: true });
    }
    const startedAt = performance.now();
    const portal = await startProcess<{ url: string }>(
      PORTAL_PROCESS,
      dataDir,
      'url',
      portalEnv(dynamodb, s3, { BENCH_PORTAL_LOG_LEVEL: 'info' }),
      PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    );
    children.push(portal.child);
    const rows: Row[] = [];
    const pids = { portal: portal.child.pid, storage: storage.child.pid };
    let loadStartedAt = 0;
    for (const kind of KINDS) {
      const rec = recorded.get(kind);
      if (!rec) throw new Error(`invariant: ${kind} was recorded`);
      let offset = 0;
      for (const connections of CELLS) {
        const agent = keepAliveAgent(connections);
        const client = new PortalClient(portal.ready.url, agent);
        await client.login(USERS);
        const send = portalRequest(client, kind, prepared, 'portal');
        const plan = cell(connections, kind);
        loadStartedAt ||= performance.now();
        const portalResult = await measuredCpu(pids, (onMeasuring) =>
          closedLoop({ connections, ...plan, onMeasuring, send: (i) => send(i, offset) }),
        );
        agent.destroy();
        const raw: Row['raw'] = [];
        if (!PROFILE) {
          const store = rawClient(dynamodb, connections);
          raw.push({
            name: 'store ops',
            result: await measuredCpu(pids, (onMeasuring) =>
              closedLoop({
                connections,
                ...plan,
                onMeasuring,
                send: (i) => replay(store, rec.operations, rec.from, targetIds(kind, prepared, offset + i)),
              }),
            ),
          });
          const single = singleOperation(kind, rec.operations, prepared);
          if (single) {
            raw.push({
              name: single.name,
              result: await measuredCpu(pids, (onMeasuring) =>
                closedLoop({ connections, ...plan, onMeasuring, send: () => single.run(store) }),
              ),
            });
          }
          store.destroy();
        }
        if ('requests' in plan) offset += plan.requests ?? 0;
        rows.push({ kind, connections, portal: portalResult, raw });
        process.stdout.write(`${line(rows.at(-1) as Row)}\n`);
      }
    }
    const command = PROFILE ? `BENCH_PROFILE=${PROFILE} npm run bench:local-api` : 'npm run bench:local-api';
    if (PROFILE) {
      const skipSeconds = (loadStartedAt - startedAt) / 1000;
      await stopProcess(portal.child);
      const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
      if (!file) throw new Error(`no profile written in ${profileDir}`);
      const summary = summariseProfile(JSON.parse(readFileSync(join(profileDir, file), 'utf8')), skipSeconds);
      process.stdout.write(`\n${PROFILE} at 50 connections, portal process (${join(profileDir, file)}):\n`);
      process.stdout.write(`${formatSummary(summary, 30)}\n`);
      return;
    }
    printTable(rows, recorded);
    const file = recordFigures('local-api', command, figuresOf(rows));
    process.stdout.write(`\nfigures: ${file}\n`);
  } finally {
    for (const child of children.reverse()) await stopProcess(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function targetIds(kind: Kind, prepared: Prepared, index: number): string[] {
  if (kind === 'issue') return [prepared.drafts.raw[index] ?? ''];
  if (kind === 'finalize') {
    const item = prepared.finalizes.raw[index];
    return item ? [item.noticeId, item.submissionId] : [];
  }
  return [];
}

/** The one store call a get or a list stands on: the issue's "raw GetItem", and the list's Query. */
function singleOperation(kind: Kind, operations: RecordedOperation[], prepared: Prepared) {
  if (kind === 'get') {
    return {
      name: 'GetItem',
      run: async (store: DynamoDBClient) => {
        await store.send(
          new GetItemCommand({
            TableName: TABLE,
            Key: {
              pk: { S: `NOTICE#${prepared.noticeIds[Math.floor(Math.random() * prepared.noticeIds.length)]}` },
              sk: { S: 'NOTICE' },
            },
            ConsistentRead: true,
          }),
        );
      },
    };
  }
  if (kind === 'list') {
    const query = operations.filter((o) => o.operation === 'Query');
    const only = query.length === 1 ? query[0] : undefined;
    if (!only) return undefined;
    return {
      name: 'its Query',
      run: async (store: DynamoDBClient) => {
        await store.send(new QueryCommand(only.input as never));
      },
    };
  }
  return undefined;
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

function line(row: Row): string {
  const p = row.portal;
  const parts = [
    `${row.kind.padEnd(8)} ${String(row.connections).padStart(2)} conn  portal ${fmt(p.requestsPerSecond).padStart(5)} req/s p50 ${fmt(p.p50Ms, 1).padStart(6)} ms p99 ${fmt(p.p99Ms, 1).padStart(6)} ms cpu/req portal ${fmt(p.cpuMsPerRequest.portal ?? Number.NaN, 2)} storage ${fmt(p.cpuMsPerRequest.storage ?? Number.NaN, 2)} ms${p.errors ? ` (${p.errors} errors: ${p.firstError})` : ''}`,
  ];
  for (const { name, result } of row.raw) {
    parts.push(
      `raw ${name}: ${fmt(result.requestsPerSecond)} req/s p50 ${fmt(result.p50Ms, 1)} p99 ${fmt(result.p99Ms, 1)} (×${fmt(result.requestsPerSecond / p.requestsPerSecond, 2)}) cpu/req client ${fmt(result.cpuMsPerRequest.bench ?? Number.NaN, 2)} storage ${fmt(result.cpuMsPerRequest.storage ?? Number.NaN, 2)} ms${result.errors ? ` (${result.errors} errors: ${result.firstError})` : ''}`,
    );
  }
  return parts.join(' | ');
}

const KIND_NAMES: Record<Kind, string> = {
  get: 'GET /notices/{id}',
  list: 'GET /notices (page of 25)',
  issue: 'POST /notices/{id}/issue',
  finalize: 'POST …/submissions/{sid}/finalize',
};

function printTable(rows: Row[], recorded: Map<Kind, { operations: RecordedOperation[] }>): void {
  const out: string[] = [
    '',
    'Local API beside the raw store (one run; throughput ratio = raw req/s ÷ portal req/s)',
    '',
  ];
  out.push(
    '| request | conns | portal req/s | p50 ms | p99 ms | portal CPU ms/req | raw | raw req/s | raw p50 | raw p99 | raw client CPU ms/req | ratio req/s | ratio p99 |',
    '|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|',
  );
  for (const row of rows) {
    const ops = recorded.get(row.kind)?.operations ?? [];
    for (const { name, result } of row.raw) {
      const rawName = name === 'store ops' ? `${ops.length} store ops (${summariseOps(ops)})` : name;
      out.push(
        `| ${KIND_NAMES[row.kind]} | ${row.connections} | ${fmt(row.portal.requestsPerSecond)} | ${fmt(row.portal.p50Ms, 1)} | ${fmt(row.portal.p99Ms, 1)} | ${fmt(row.portal.cpuMsPerRequest.portal ?? Number.NaN, 2)} | ${rawName} | ${fmt(result.requestsPerSecond)} | ${fmt(result.p50Ms, 1)} | ${fmt(result.p99Ms, 1)} | ${fmt(result.cpuMsPerRequest.bench ?? Number.NaN, 2)} | ${fmt(result.requestsPerSecond / row.portal.requestsPerSecond, 2)}× | ${fmt(row.portal.p99Ms / result.p99Ms, 2)}× |`,
      );
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

/** One recorded operation in a line: its name and the keys it touched (ids shortened). */
function describeOperation({ operation, input }: RecordedOperation): string {
  const values = (input.ExpressionAttributeValues ?? {}) as Record<string, { S?: string; N?: string }>;
  const key = (input.Key ?? input.Item ?? {}) as Record<string, { S?: string }>;
  const text = (v: { S?: string; N?: string } | undefined) => v?.S ?? v?.N ?? '';
  const where =
    input.Key || input.Item
      ? `${text(key.pk)} / ${text(key.sk)}`
      : `${input.IndexName ?? 'table'} ${String(input.KeyConditionExpression ?? '')} ${Object.values(values).map(text).join(' ')}`;
  const condition = input.ConditionExpression ? ` if ${String(input.ConditionExpression)}` : '';
  return `  ${operation} ${where}${condition}`.replace(/(ntc|sub)_[0-9A-Z]{26}/g, '$1_…').slice(0, 200);
}

function summariseOps(ops: RecordedOperation[]): string {
  const counts = new Map<string, number>();
  for (const op of ops) counts.set(op.operation, (counts.get(op.operation) ?? 0) + 1);
  return [...counts].map(([name, n]) => `${n} ${name}`).join(', ');
}

function figuresOf(rows: Row[]): Figure[] {
  const figures: Figure[] = [];
  for (const row of rows) {
    const base = `${KIND_NAMES[row.kind]}, ${row.connections} conn`;
    const storeOps = row.raw.find((r) => r.name === 'store ops')?.result;
    const reference = row.raw.find((r) => r.name !== 'store ops')?.result ?? storeOps;
    const refName = row.raw.find((r) => r.name !== 'store ops')?.name ?? 'store ops';
    const rps = row.portal.requestsPerSecond;
    figures.push({
      name: `${base}: requests/s`,
      value: Math.round(rps),
      unit: 'req/s',
      ...(reference && {
        reference: { name: `raw ${refName}`, value: Math.round(reference.requestsPerSecond) },
        ratio: ratio(reference.requestsPerSecond, rps),
      }),
    });
    figures.push({
      name: `${base}: p50`,
      value: round1(row.portal.p50Ms),
      unit: 'ms',
      ...(reference && {
        reference: { name: `raw ${refName} p50`, value: round1(reference.p50Ms) },
        ratio: ratio(row.portal.p50Ms, reference.p50Ms),
      }),
    });
    figures.push({
      name: `${base}: p99`,
      value: round1(row.portal.p99Ms),
      unit: 'ms',
      ...(reference && {
        reference: { name: `raw ${refName} p99`, value: round1(reference.p99Ms) },
        ratio: ratio(row.portal.p99Ms, reference.p99Ms),
      }),
    });
    figures.push({
      name: `${base}: portal CPU per request`,
      value: Math.round((row.portal.cpuMsPerRequest.portal ?? Number.NaN) * 100) / 100,
      unit: 'ms',
      ...(storeOps && {
        reference: {
          name: 'raw client CPU per replayed request',
          value: Math.round((storeOps.cpuMsPerRequest.bench ?? 0) * 100) / 100,
        },
        ratio: ratio(row.portal.cpuMsPerRequest.portal ?? Number.NaN, storeOps.cpuMsPerRequest.bench ?? Number.NaN),
      }),
    });
    if (storeOps && reference !== storeOps) {
      figures.push({
        name: `${base}: requests/s vs the store ops it sends`,
        value: Math.round(rps),
        unit: 'req/s',
        reference: { name: 'raw store ops replayed', value: Math.round(storeOps.requestsPerSecond) },
        ratio: ratio(storeOps.requestsPerSecond, rps),
      });
    }
  }
  return figures;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
