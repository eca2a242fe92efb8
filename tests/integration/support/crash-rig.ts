import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type FaultProxy,
  type ObservedRequest,
  type StoreService,
  startFaultProxy,
} from '../../support/faults/fault-proxy';
import { pollUntil } from '../../support/poll';
import { checkRecords, type RecordStore, type RecordsSummary } from '../../support/record-invariants';
import { type PortalProcess, startPortalProcess } from './portal-process';

/**
 * The crash matrix's bench: the local portal (`local/start.ts`, as `npm start` runs it, tsx loaded into the
 * portal's own process so SIGKILL reaches it) with its storage in a separate process (bench/support/
 * storage-process.ts: dynalite, s3rver and the SigV4 guard, on disk) and a fault proxy per service in between. A
 * `hold` rule stops the portal exactly before one storage request; the portal is then killed with SIGKILL and
 * started again on the same data, the same port (so a CLI's upload state and presigned URLs stay valid) and the
 * same proxy ports.
 */
const ROOT = join(__dirname, '..', '..', '..');
const TABLE = 'notice-portal-local';
const BUCKET = 'notice-portal-responses-local';

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

export interface CrashRig {
  readonly url: string;
  readonly root: string;
  readonly portalDataDir: string;
  readonly store: RecordStore;
  /** The current proxies (new ones, on the same ports, after each restart). */
  proxy(service: StoreService): FaultProxy;
  portal(): PortalProcess;
  /** kill -9 so far, and the time each restart took until the portal answered. */
  readonly kills: number;
  readonly restartsMs: number[];
  call(
    user: string,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Answer>;
  /**
   * Holds the first request after now that `match` accepts on `service`'s proxy, runs `act`, and once the portal
   * is waiting on the held request, kills it (SIGKILL) and starts it again. Returns the request it was killed
   * before, and what `act` saw (usually a network error).
   */
  crashAt(
    service: StoreService,
    match: (request: ObservedRequest) => boolean,
    act: () => Promise<unknown>,
  ): Promise<{ held: ObservedRequest; outcome: unknown; restartMs: number }>;
  killNow(): Promise<void>;
  /**
   * Starts the portal again. `keepProxies`: the same proxies carry on (a CLI's part uploads, which go
   * straight to storage, are not the portal's and must not be cut off by its restart); otherwise new ones.
   */
  restart(options?: { keepProxies?: boolean }): Promise<number>;
  /**
   * Polls the oracle (tests/support/record-invariants.ts, settled) on `noticeIds` until it finds no problem and
   * nothing still owed (projection, verification) or `timeoutMs` passes, then checks the whole record once; the last reading and how long the polling took.
   */
  awaitConsistent(noticeIds: string[], timeoutMs?: number): Promise<{ summary: RecordsSummary; ms: number }>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function startStorageProcess(dataDir: string): Promise<{ child: ChildProcess; dynamodb: string; s3: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/support/storage-process.ts', dataDir], {
    cwd: ROOT,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const endpoints = await new Promise<{ dynamodb: string; s3: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`storage not ready in 20 s:\n${output}`)), 20_000);
    child.stdout?.on('data', (chunk) => {
      output += chunk;
      const line = output.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line));
      }
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    child.once('exit', (code) => reject(new Error(`storage exited with ${code}:\n${output}`)));
  });
  return { child, ...endpoints };
}

export async function startCrashRig(options: { env?: Record<string, string> } = {}): Promise<CrashRig> {
  // The oracle's own SDK clients: one line about future SDK releases is not this run's business.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const root = mkdtempSync(join(tmpdir(), 'notice-portal-crash-matrix-'));
  const storageDir = join(root, 'storage');
  const portalDataDir = join(root, 'portal');
  mkdirSync(portalDataDir, { recursive: true });
  const storage = await startStorageProcess(storageDir);
  const upstream = { dynamodb: storage.dynamodb, s3: storage.s3 };
  const proxies = new Map<StoreService, FaultProxy>();
  const proxyPorts = new Map<StoreService, number>();
  const startProxies = async () => {
    for (const service of ['dynamodb', 's3'] as const) {
      const proxy = await startFaultProxy({ service, upstream: upstream[service], port: proxyPorts.get(service) });
      proxies.set(service, proxy);
      proxyPorts.set(service, Number(new URL(proxy.endpoint).port));
    }
  };
  await startProxies();
  const port = await freePort();
  const env = {
    DATA_DIR: portalDataDir,
    PORT: String(port),
    AWS_ENDPOINT_URL_DYNAMODB: proxies.get('dynamodb')!.endpoint,
    AWS_ENDPOINT_URL_S3: proxies.get('s3')!.endpoint,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    // Background runs only when a test asks (or at start): they would shift which request a rule holds.
    CHECKPOINT_INTERVAL_MS: '0',
    REMINDER_INTERVAL_MS: '0',
    ...options.env,
  };
  let portal = await startPortalProcess(env, { loader: 'in-process', readyTimeoutMs: 90_000 });
  const children: ChildProcess[] = [portal.child];
  const tokens = new Map<string, string>();
  let kills = 0;
  const restartsMs: number[] = [];
  const store: RecordStore = {
    dynamodbEndpoint: storage.dynamodb,
    s3Endpoint: storage.s3,
    tableName: TABLE,
    bucket: BUCKET,
    outboxDir: join(portalDataDir, 'outbox'),
  };

  const call: CrashRig['call'] = async (user, method, path, body, headers = {}) => {
    let token = tokens.get(user);
    if (!token) {
      token = await (await fetch(`${portal.url}/dev-idp/token/${user}`, { method: 'POST' })).text();
      tokens.set(user, token);
    }
    const response = await fetch(`${portal.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };

  const killNow = async () => {
    const exited = new Promise((resolve) => portal.child.once('exit', resolve));
    portal.child.kill('SIGKILL');
    await exited;
    kills += 1;
  };

  const restart = async ({ keepProxies = false }: { keepProxies?: boolean } = {}) => {
    if (!keepProxies) {
      // New proxies on the same ports: whatever was held for the dead process is dropped with its connection.
      for (const proxy of proxies.values()) await proxy.stop();
      await startProxies();
    }
    const started = Date.now();
    portal = await startPortalProcess(env, { loader: 'in-process', readyTimeoutMs: 90_000 });
    children.push(portal.child);
    const ms = Date.now() - started;
    restartsMs.push(ms);
    return ms;
  };

  return {
    url: portal.url,
    root,
    portalDataDir,
    store,
    proxy: (service) => proxies.get(service)!,
    portal: () => portal,
    get kills() {
      return kills;
    },
    restartsMs,
    call,
    async crashAt(service, match, act) {
      const proxy = proxies.get(service)!;
      const armedAt = proxy.requests.length;
      proxy.inject({ match: (r) => r.seq > armedAt && match(r), action: { kind: 'hold' } });
      const acting = act().then(
        (value) => value,
        (error: unknown) => error,
      );
      const held = await Promise.race([
        proxy.waitForHeld(20_000),
        acting.then((outcome) => {
          throw new Error(`the operation ended before reaching the fault point: ${JSON.stringify(outcome)}`);
        }),
      ]);
      await killNow();
      const outcome = await acting;
      const restartMs = await restart();
      return { held, outcome, restartMs };
    },
    killNow,
    restart,
    async awaitConsistent(noticeIds, timeoutMs = 60_000) {
      const started = Date.now();
      const summary = await pollUntil(
        () => checkRecords(store, { settled: true, noticeIds }),
        // Settled and nothing still owed: no event awaiting its projection, no submission awaiting verification.
        (s) => s.problems.length === 0 && s.pendingProjections === 0 && s.pendingVerifications === 0,
        { timeoutMs, intervalMs: 250 },
      );
      const ms = Date.now() - started;
      // Everything else too (the earlier points' notices, platforms), once recovered.
      const owed =
        summary.pendingVerifications > 0
          ? [`${summary.pendingVerifications} submission(s) still owed verification`]
          : [];
      const full =
        summary.problems.length === 0 && owed.length === 0
          ? await checkRecords(store, { settled: true })
          : { ...summary, problems: [...summary.problems, ...owed] };
      return { summary: full, ms };
    },
    async stop() {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      for (const proxy of proxies.values()) await proxy.stop().catch(() => {});
      const exited = new Promise((resolve) => storage.child.once('exit', resolve));
      storage.child.kill('SIGTERM');
      await exited;
      rmSync(root, { recursive: true, force: true });
    },
  };
}
