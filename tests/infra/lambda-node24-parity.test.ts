import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PORTAL_RUNTIME } from '../../lib/constructs/portal-function';
import { lambdaRuntimeEnvironment, type SynthesizedFunction, synthesizeFunctions } from './synthesized-functions';

/**
 * Lambda parity: the functions run on Node.js 24 while the tests run on this machine's Node. Every bundle that
 * `cdk synth` builds is loaded on a Node 24 binary with exactly the environment variables the template gives its
 * function (references resolved to values of AWS's shape), so a bundle that throws at start on the Lambda's Node
 * version — a missing or invalid setting, a module-scope error, a Node API that behaves differently — fails here.
 *
 * The binary is the npm registry's `node` package, kept in npx's cache (~/.npm/_npx): the first run downloads it
 * (about 25 s here), later runs only look it up. `LAMBDA_NODE=/path/to/node` uses another binary instead.
 */
const LOADER = path.join(__dirname, 'load-bundle.cjs');
const NODE_MAJOR = PORTAL_RUNTIME.name.replace(/^nodejs(\d+)\.x$/, '$1');

function lambdaNode(): string {
  if (process.env.LAMBDA_NODE) return process.env.LAMBDA_NODE;
  return execFileSync('npx', ['--prefer-offline', '-y', '-p', `node@${NODE_MAJOR}`, 'node', '-p', 'process.execPath'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

interface LoadResult {
  ok: boolean;
  node: string;
  error?: string;
}

/** Loads one bundle on `node` with exactly `env` (nothing of this process's environment leaks in). */
function loadBundle(node: string, bundleDir: string, env: Record<string, string>): Promise<LoadResult> {
  return new Promise((resolve) => {
    execFile(node, [LOADER, path.join(bundleDir, 'index.js')], { env, timeout: 20_000 }, (error, stdout, stderr) => {
      const line = stdout.split('\n').find((l) => l.startsWith('LOAD-BUNDLE '));
      if (line) resolve(JSON.parse(line.slice('LOAD-BUNDLE '.length)));
      else resolve({ ok: false, node: 'unknown', error: `no report (${error?.message ?? 'exit 0'}): ${stderr}` });
    });
  });
}

const envOf = (fn: SynthesizedFunction): Record<string, string> => ({
  ...lambdaRuntimeEnvironment(fn.logicalId),
  ...fn.environment,
});

/** Runs `tasks` two at a time: the machine has two cores. */
async function twoAtATime<T>(tasks: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}

describe(`Lambda parity on Node.js ${NODE_MAJOR}`, () => {
  let node: string;
  let outdir: string;
  let functions: SynthesizedFunction[];

  beforeAll(() => {
    node = lambdaNode();
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-parity-'));
    // The real thing: the bundles exactly as `cdk synth` writes them into the cloud assembly.
    functions = synthesizeFunctions({ outdir, bundle: true });
  }, 180_000);

  afterAll(() => {
    if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
  });

  it(`starts every synthesized function on Node ${NODE_MAJOR} with the environment its template gives it`, async () => {
    // Act
    const results = await twoAtATime(
      functions.map((fn) => async () => ({ fn, result: await loadBundle(node, fn.bundleDir!, envOf(fn)) })),
    );

    // Assess
    expect(functions.length).toBeGreaterThanOrEqual(50);
    const versions = new Set(results.map(({ result }) => result.node.split('.')[0]));
    expect([...versions]).toEqual([`v${NODE_MAJOR}`]);
    const failed = results
      .filter(({ result }) => !result.ok)
      .map(({ fn, result }) => `${fn.handler} (${fn.logicalId}): ${result.error}`);
    expect(failed).toEqual([]);
  }, 120_000);

  // Fail closed: a function that lost a setting that chooses an adapter (or names its resources) must not start.
  it.each([
    ['get-notice', 'TABLE_NAME'],
    ['get-notice', 'TOKEN_SIGNER'],
    ['get-notice', 'AUTH_JWKS_URL'],
    ['invite-user', 'IDENTITY_ADMIN'],
    ['run-reminders', 'MAIL_TRANSPORT'],
    ['finalize-submission', 'RECEIPT_SIGNER'],
    ['finalize-submission', 'RESPONSES_BUCKET'],
  ])('refuses to start %s without %s, naming it', async (handler, variable) => {
    // Arrange
    const fn = functions.find((f) => f.handler === handler);
    if (!fn) throw new Error(`no function runs ${handler}`);
    expect(fn.environment[variable]).toBeDefined();
    const { [variable]: _removed, ...env } = envOf(fn);

    // Act
    const result = await loadBundle(node, fn.bundleDir!, env);

    // Assess
    expect(result.ok).toBe(false);
    expect(result.error).toContain(variable);
  });
});
