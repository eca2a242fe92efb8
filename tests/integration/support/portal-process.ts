import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** `npm start` (local/start.ts) as a separate process, on free ports, as a user runs it. */
export interface PortalProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  stop(): Promise<number | null>;
}

const ROOT = join(__dirname, '..', '..', '..');

/**
 * How long a start may take before it counts as failed. A start is ~5 s of CPU (tsx loading the portal's sources
 * and the SDKs, the embedded stores, the seed data); on a 2-core machine shared with other jobs that took up to a
 * minute of wall time, so a test that starts the portal gives itself this much per start (see
 * {@link portalProcessTimeout}) instead of jest's default.
 */
export const PORTAL_START_BUDGET_MS = 90_000;
/** How long a stopped portal may take to exit after SIGINT before it is killed and the stop fails. */
const STOP_BUDGET_MS = 30_000;

/** A test's timeout for `starts` portal starts (and as many stops), plus `extraMs` for its own work. */
export const portalProcessTimeout = (starts: number, extraMs = 30_000) =>
  starts * (PORTAL_START_BUDGET_MS + STOP_BUDGET_MS) + extraMs;

export async function startPortalProcess(
  env: Record<string, string | undefined>,
  options: {
    /**
     * `cli` runs local/start.ts through tsx's CLI, as `npm start` does; `in-process` loads tsx into the portal's own
     * process (tsx's CLI runs the script in a child of its own), so a SIGKILL reaches the portal itself.
     * @default 'cli'
     */
    loader?: 'cli' | 'in-process';
    /** How long the start may take before it counts as failed. @default PORTAL_START_BUDGET_MS */
    readyTimeoutMs?: number;
  } = {},
): Promise<PortalProcess> {
  const merged: Record<string, string | undefined> = {
    ...process.env,
    PORT: '0',
    DYNAMODB_PORT: '0',
    S3_PORT: '0',
    // These tests drive the API; the browser tests build the web app once themselves.
    WEB_BUILD: 'skip',
    ...env,
  };
  // `undefined` removes a variable the test runner's own environment may carry.
  for (const [name, value] of Object.entries(merged)) if (value === undefined) delete merged[name];
  const loader = options.loader === 'in-process' ? ['--import', 'tsx'] : [require.resolve('tsx/cli')];
  const child = spawn(process.execPath, [...loader, 'local/start.ts'], {
    cwd: ROOT,
    env: merged as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a start that fails can be killed with the child tsx's CLI runs it in: a portal
    // left running by a failed test would only load the machine further.
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const killGroup = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  const started = Date.now();
  let ready = false;
  const url = await new Promise<string>((resolve, reject) => {
    const fail = (why: string) => {
      killGroup();
      reject(new Error(`The portal ${why} after ${((Date.now() - started) / 1000).toFixed(1)} s:\n${output}`));
    };
    const readyTimeoutMs = options.readyTimeoutMs ?? PORTAL_START_BUDGET_MS;
    const timer = setTimeout(() => fail(`was not ready in ${readyTimeoutMs / 1000} s`), readyTimeoutMs);
    child.stdout?.on('data', () => {
      const match = /Notice portal ready in \d+ ms: API (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      const url = match?.[1];
      if (url !== undefined && !ready) {
        ready = true;
        clearTimeout(timer);
        resolve(url);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!ready) fail(`exited with ${code} before it was ready`);
    });
  });
  return {
    child,
    url,
    output: () => output,
    stop: () => {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
      const exited = new Promise<number | null>((resolve, reject) => {
        const timer = setTimeout(() => {
          killGroup();
          reject(new Error(`The portal did not exit within ${STOP_BUDGET_MS / 1000} s of SIGINT:\n${output}`));
        }, STOP_BUDGET_MS);
        child.once('exit', (code) => {
          clearTimeout(timer);
          resolve(code);
        });
      });
      // To the whole group, as Ctrl-C in a terminal does. Sent to tsx's CLI alone, the CLI relays it and waits only
      // 30 ms for the portal to acknowledge before it SIGKILLs it and exits 130; on a loaded machine that lost the
      // portal's clean stop.
      try {
        process.kill(-(child.pid as number), 'SIGINT');
      } catch {
        child.kill('SIGINT');
      }
      return exited;
    },
  };
}

/** A request as a seeded development user (token from the dev identity provider). */
export async function callAs(url: string, user: string, method: string, path: string, body?: unknown) {
  const token = await (await fetch(`${url}/dev-idp/token/${user}`, { method: 'POST' })).text();
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}
