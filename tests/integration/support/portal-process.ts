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

export async function startPortalProcess(
  env: Record<string, string | undefined>,
  options: {
    /**
     * `cli` runs local/start.ts through tsx's CLI, as `npm start` does; `in-process` loads tsx into the portal's own
     * process (tsx's CLI runs the script in a child of its own), so a SIGKILL reaches the portal itself.
     * @default 'cli'
     */
    loader?: 'cli' | 'in-process';
    /** How long the start may take before it counts as failed (the crash matrix allows more on a busy machine). @default 20000 */
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
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const readyTimeoutMs = options.readyTimeoutMs ?? 20_000;
    const timer = setTimeout(
      () => reject(new Error(`not ready in ${readyTimeoutMs / 1000} s:\n${output}`)),
      readyTimeoutMs,
    );
    child.stdout?.on('data', () => {
      const match = /Notice portal ready in \d+ ms: API (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      const url = match?.[1];
      if (url !== undefined) {
        clearTimeout(timer);
        resolve(url);
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before ready:\n${output}`)));
  });
  return {
    child,
    url,
    output: () => output,
    stop: () => {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGINT');
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
