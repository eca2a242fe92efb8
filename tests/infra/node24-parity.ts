import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { PORTAL_RUNTIME } from '../../lib/constructs/portal-function';
import { lambdaRuntimeEnvironment, type SynthesizedFunction, synthesizeFunctions } from './synthesized-functions';
import { BACKGROUND_EVENT_KINDS, type EventKind, syntheticEvent } from './synthetic-events';

/**
 * Lambda parity (the body of tests/infra/lambda-node24-parity.test.ts, a sample of the bundles, in `npm test`, and
 * of tests/infra/lambda-node24-parity.long.test.ts, every bundle, in `npm run test:long`): the functions run on Node.js 24 while the tests run on this machine's Node. Every bundle that
 * `cdk synth` builds is loaded on a Node 24 binary with exactly the environment variables the template gives its
 * function (references resolved to values of AWS's shape), so a bundle that throws at start on the Lambda's Node
 * version — a missing or invalid setting, a module-scope error, a Node API that behaves differently — fails here.
 *
 * Each bundle is then invoked once with a minimal event of the kind AWS sends it (see synthetic-events.ts), with
 * every AWS endpoint pointed at a closed local port: the code that only runs in an invocation (settings read on
 * first use, lazily built clients, the handler's own path on Node 24) runs too, and every call to AWS fails at once
 * with a refused connection, which the handler must turn into an ordinary outcome.
 *
 * The binary is the npm registry's `node` package, kept in npx's cache (~/.npm/_npx): the first run downloads it
 * (about 25 s here), later runs only look it up. `LAMBDA_NODE=/path/to/node` uses another binary instead.
 */
const LOADER = path.join(__dirname, 'load-bundle.cjs');
export const NODE_MAJOR = PORTAL_RUNTIME.name.replace(/^nodejs(\d+)\.x$/, '$1');

function lambdaNode(): string {
  if (process.env.LAMBDA_NODE) return process.env.LAMBDA_NODE;
  return execFileSync('npx', ['--prefer-offline', '-y', '-p', `node@${NODE_MAJOR}`, 'node', '-p', 'process.execPath'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

interface DescribedError {
  name?: string;
  message?: string;
  code?: string;
  cause?: DescribedError;
  errors?: DescribedError[];
}

export interface LoadResult {
  ok: boolean;
  node: string;
  error?: string;
  /** With an event: how the invocation ended (see load-bundle.cjs). */
  invocation?: {
    outcome: 'returned' | 'rejected';
    statusCode?: unknown;
    isAuthorized?: unknown;
    error?: DescribedError;
  };
  /** What the function wrote to stdout besides the report: its log lines. */
  output: string;
}

/**
 * Loads one bundle on `node` with exactly `env` (nothing of this process's environment leaks in) and, given an
 * event file, invokes its handler once with it.
 */
function loadBundle(
  node: string,
  bundleDir: string,
  env: Record<string, string>,
  eventFile?: string,
): Promise<LoadResult> {
  const args = [LOADER, path.join(bundleDir, 'index.js'), ...(eventFile ? [eventFile] : [])];
  return new Promise((resolve) => {
    execFile(node, args, { env, timeout: 30_000 }, (error, stdout, stderr) => {
      const lines = stdout.split('\n');
      const line = lines.find((l) => l.startsWith('LOAD-BUNDLE '));
      const output = lines.filter((l) => !l.startsWith('LOAD-BUNDLE ')).join('\n');
      if (line) resolve({ ...JSON.parse(line.slice('LOAD-BUNDLE '.length)), output });
      else
        resolve({ ok: false, node: 'unknown', error: `no report (${error?.message ?? 'exit 0'}): ${stderr}`, output });
    });
  });
}

/** A local port nothing listens on: connecting to it is refused at once. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The endpoint variables of every AWS service the functions call, and the SDK's own retry setting. */
function unreachableAws(port: number): Record<string, string> {
  const endpoint = `http://127.0.0.1:${port}`;
  const services = ['DYNAMODB', 'S3', 'KMS', 'SES', 'SESV2', 'LAMBDA', 'COGNITO_IDENTITY_PROVIDER', 'SQS', 'STS'];
  return {
    AWS_ENDPOINT_URL: endpoint,
    ...Object.fromEntries(services.map((service) => [`AWS_ENDPOINT_URL_${service}`, endpoint])),
    // One attempt: a refused connection is final, and the SDK's backoff would only slow the test down.
    AWS_MAX_ATTEMPTS: '1',
    AWS_RETRY_MODE: 'standard',
  };
}

/** Whether an error (or one of its causes) is the refused connection to the closed port: AWS was unreachable. */
const isUnreachable = (text: string) => /ECONNREFUSED|connect ECONN|socket hang up|EHOSTUNREACH|ENETUNREACH/.test(text);

/**
 * Why an invocation's outcome is not an ordinary one, or undefined if it is: a route answers with an HTTP status,
 * the authorizer refuses the bad token, any other handler returns or fails because AWS was unreachable; and every
 * error the function logged is that refused connection, not a setting, an import or a bug.
 */
export function unordinary(kind: EventKind, result: LoadResult): string | undefined {
  const invocation = result.invocation;
  if (!result.ok || !invocation) return `did not start or settle: ${result.error}`;
  const failure = JSON.stringify(invocation.error ?? {});
  const wrongAnswer = unexpectedAnswer(kind, invocation);
  if (wrongAnswer) return wrongAnswer;
  if (invocation.outcome === 'rejected' && !isUnreachable(failure)) return `rejected with ${failure}`;
  const errorLines = result.output
    .split('\n')
    .filter((line) => /"level":\s*"error"/i.test(line))
    .filter((line) => !isUnreachable(line));
  if (errorLines.length > 0) return `logged errors other than the unreachable AWS: ${errorLines.join('\n')}`;
  return undefined;
}

/** A route must answer with an HTTP status (never throw), and the authorizer must refuse a bad token. */
function unexpectedAnswer(kind: EventKind, invocation: NonNullable<LoadResult['invocation']>): string | undefined {
  if (kind === 'http-api' && (invocation.outcome !== 'returned' || typeof invocation.statusCode !== 'number')) {
    return `a route must answer with a status, got ${JSON.stringify(invocation)}`;
  }
  if (kind === 'http-api-authorizer' && invocation.isAuthorized !== false) {
    return `the authorizer must refuse a bad token, got ${JSON.stringify(invocation)}`;
  }
  return undefined;
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

/** The fail-closed cases: a function that lost a setting that chooses an adapter (or names its resources). */
const FAIL_CLOSED: ReadonlyArray<readonly [handler: string, variable: string]> = [
  ['get-notice', 'TABLE_NAME'],
  ['get-notice', 'TOKEN_SIGNER'],
  ['get-notice', 'AUTH_JWKS_URL'],
  ['invite-user', 'IDENTITY_ADMIN'],
  ['run-reminders', 'MAIL_TRANSPORT'],
  ['finalize-submission', 'RECEIPT_SIGNER'],
  ['finalize-submission', 'RESPONSES_BUCKET'],
];

/** Every how many route functions the sample keeps one (the background functions are all kept). */
const ROUTE_SAMPLE_STRIDE = 5;

/**
 * The sample `npm test` starts and invokes: every function that is not a route (the authorizer, each schedule,
 * the S3 and SES handlers: each kind of event once at least), the handlers of the fail-closed cases, and every
 * fifth route function in handler order — the same functions on every run, about a third of them. Each bundle is
 * built by the same esbuild run with the same settings, so what differs between route bundles is their own code;
 * `npm run test:long` starts and invokes every one.
 */
export function paritySample(functions: readonly SynthesizedFunction[]): SynthesizedFunction[] {
  const failClosed = new Set(FAIL_CLOSED.map(([handler]) => handler));
  let route = 0;
  return functions.filter((fn) => {
    if (BACKGROUND_EVENT_KINDS[fn.handler] !== undefined || failClosed.has(fn.handler)) return true;
    return route++ % ROUTE_SAMPLE_STRIDE === 0;
  });
}

/**
 * Registers the parity tests: with `sample`, on {@link paritySample} of the synthesized functions, else on every
 * one (and then at least 50 of them).
 */
export function describeNode24Parity(options: { sample: boolean }): void {
  const scope = options.sample ? 'a sample of the synthesized functions' : 'every synthesized function';
  describe(`Lambda parity on Node.js ${NODE_MAJOR} (${scope})`, () => {
    let node: string;
    let outdir: string;
    let all: SynthesizedFunction[];
    let functions: SynthesizedFunction[];

    beforeAll(() => {
      node = lambdaNode();
      outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-parity-'));
      // The real thing: the bundles exactly as `cdk synth` writes them into the cloud assembly.
      all = synthesizeFunctions({ outdir, bundle: true });
      functions = options.sample ? paritySample(all) : all;
    }, 180_000);

    afterAll(() => {
      if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
    });

    it(`starts ${scope} on Node ${NODE_MAJOR} with the environment its template gives it`, async () => {
      // Act
      const results = await twoAtATime(
        functions.map((fn) => async () => ({ fn, result: await loadBundle(node, fn.bundleDir!, envOf(fn)) })),
      );

      // Assess
      expect(all.length).toBeGreaterThanOrEqual(50);
      if (options.sample) expect(functions.length).toBeGreaterThanOrEqual(all.length / 4);
      const versions = new Set(results.map(({ result }) => result.node.split('.')[0]));
      expect([...versions]).toEqual([`v${NODE_MAJOR}`]);
      const failed = results
        .filter(({ result }) => !result.ok)
        .map(({ fn, result }) => `${fn.handler} (${fn.logicalId}): ${result.error}`);
      expect(failed).toEqual([]);
    }, 120_000);

    it(`invokes ${scope} once on Node ${NODE_MAJOR}, with an event of its kind and AWS unreachable`, async () => {
      // Prepare: one event file per function, and endpoints nothing answers on.
      const aws = unreachableAws(await closedPort());
      const invocations = functions.map((fn) => {
        const { kind, event } = syntheticEvent(fn.handler, fn.environment);
        const eventFile = path.join(outdir, `event-${fn.logicalId}.json`);
        fs.writeFileSync(eventFile, JSON.stringify(event));
        const env = {
          ...envOf(fn),
          ...aws,
          LOAD_BUNDLE_REMAINING_MS: String(fn.timeoutSeconds * 1000),
          LOAD_BUNDLE_INVOKE_TIMEOUT_MS: '15000',
        };
        return { fn, kind, eventFile, env };
      });

      // Act
      const results = await twoAtATime(
        invocations.map(({ fn, kind, eventFile, env }) => async () => ({
          fn,
          kind,
          result: await loadBundle(node, fn.bundleDir!, env, eventFile),
        })),
      );

      // Assess
      expect(results.map(({ result }) => result.node.split('.')[0])).toEqual(results.map(() => `v${NODE_MAJOR}`));
      const failed = results
        .map(({ fn, kind, result }) => ({ fn, kind, why: unordinary(kind, result) }))
        .filter(({ why }) => why !== undefined)
        .map(({ fn, kind, why }) => `${fn.handler} (${fn.logicalId}, ${kind}): ${why}`);
      expect(failed).toEqual([]);
      // Every kind of event was sent, and the routes were answered (not all refused before any work was done).
      expect(new Set(results.map(({ kind }) => kind))).toEqual(
        new Set(['http-api', 'http-api-authorizer', 'schedule', 's3-object-created', 'ses-eventbridge']),
      );
      if (process.env.PARITY_REPORT) {
        for (const { fn, kind, result } of results) {
          process.stdout.write(`${fn.handler} ${kind} ${JSON.stringify(result.invocation)}\n`);
        }
      }
    }, 240_000);

    // Fail closed: a function that lost a setting that chooses an adapter (or names its resources) must not start.
    it.each(FAIL_CLOSED)('refuses to start %s without %s, naming it', async (handler, variable) => {
      // Arrange
      const fn = all.find((f) => f.handler === handler);
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
}
