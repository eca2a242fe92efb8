/**
 * Cold start per function: for every portal function, its bundle's size, and the CPU time, wall time and peak
 * memory of loading it (`require`, which runs its module scope: configuration checks, SDK clients, services) in a
 * fresh Node process with exactly the environment the template gives it — against a "bare twin": a bundle built
 * with the same esbuild options whose module scope only creates the same AWS SDK clients (for a function with no
 * SDK client, a handler answering through the portal's HTTP layer: see HTTP_TWIN). The ratio to the twin is
 * what the function's own code adds to a cold start; the goal (issue 14) is at most 1.5× in init CPU time.
 *
 *   npm run bench:cold-start                      # every function, 15 loads each (median)
 *   npm run bench:cold-start -- --runs 5 --only get-notice,issue-notice
 *   npm run bench:cold-start -- --markdown        # the table for docs/PERFORMANCE.md
 *   npm run bench:cold-start -- --contents get-notice   # what one bundle carries, by package (esbuild metafile)
 *   npm run bench:cold-start -- --node /path/to/node    # load the bundles on another Node binary
 *
 * The bundles are loaded on the Lambda's own Node major (PORTAL_RUNTIME, 24) when npx's cache already holds it
 * (`npx --offline -p node@24`, as tests/infra/lambda-node24-parity.test.ts fetches it), else on this process's
 * Node; `--node <path>` (or LAMBDA_NODE) names a binary. The output says which was used.
 *
 * The bundles are built with lib/constructs/handler-bundles.ts's options (byte for byte what `cdk synth` deploys),
 * plus a metafile. Loads run one at a time, functions and twins interleaved round by round, so a busy moment of the
 * machine falls on all of them alike. Nothing reaches the network: the credentials are dummies.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync, type Metafile } from 'esbuild';
import { HANDLER_BUILD_OPTIONS, PROJECT_ROOT } from '../lib/constructs/handler-bundles';
import { BUNDLE_TARGET, PORTAL_RUNTIME } from '../lib/constructs/portal-function';
import { lambdaRuntimeEnvironment, synthesizeFunctions } from '../tests/infra/synthesized-functions';
import { type Figure, ratio, recordFigures } from './support/figures';

const LOADER = path.join(PROJECT_ROOT, 'tests', 'infra', 'load-bundle.cjs');
const GOAL = 1.5;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const runs = Number(option('runs') ?? 15);
const only = option('only')?.split(',');
const contentsOf = option('contents');
const markdown = process.argv.includes('--markdown');

/** The Lambda runtime's Node major, e.g. `24` for `nodejs24.x`. */
const LAMBDA_NODE_MAJOR = PORTAL_RUNTIME.name.replace(/^nodejs(\d+)\.x$/, '$1');

/**
 * The Node binary the bundles are loaded on, and why that one: `--node`, then LAMBDA_NODE, then the Lambda's major
 * from npx's cache (never downloaded here: `--offline`), then this process's own Node.
 */
function loaderNode(): { path: string; version: string; source: string } {
  const version = (bin: string) => execFileSync(bin, ['-p', 'process.version'], { encoding: 'utf8' }).trim();
  const given = option('node') ?? process.env.LAMBDA_NODE;
  if (given) return { path: given, version: version(given), source: option('node') ? '--node' : 'LAMBDA_NODE' };
  try {
    const cached = execFileSync(
      'npx',
      ['--offline', '-y', '-p', `node@${LAMBDA_NODE_MAJOR}`, 'node', '-p', 'process.execPath'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    ).trim();
    return {
      path: cached,
      version: version(cached),
      source: `node@${LAMBDA_NODE_MAJOR} from npx's cache (the Lambda's)`,
    };
  } catch {
    return {
      path: process.execPath,
      version: process.version,
      source: `this process's (node@${LAMBDA_NODE_MAJOR} is not in npx's cache: run the Node 24 parity test once, or pass --node)`,
    };
  }
}
const NODE = contentsOf ? undefined : loaderNode();

/**
 * The SDK clients a bundle may create, by the package that defines each: the twin of a bundle that carries the
 * package creates that client at module scope, as the portal's runtime does (lambdas/runtime/*).
 */
const CLIENTS: ReadonlyArray<{ pkg: string; name: string; code: string }> = [
  {
    pkg: '@aws-sdk/client-dynamodb',
    name: 'dynamodb',
    code:
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\n" +
      "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';\n" +
      'clients.push(DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }));\n',
  },
  {
    pkg: '@aws-sdk/client-kms',
    name: 'kms',
    code: "import { KMSClient } from '@aws-sdk/client-kms';\nclients.push(new KMSClient({}));\n",
  },
  {
    pkg: '@aws-sdk/client-s3',
    name: 's3',
    code: "import { S3Client } from '@aws-sdk/client-s3';\nclients.push(new S3Client({}));\n",
  },
  {
    pkg: '@aws-sdk/client-sesv2',
    name: 'ses',
    code: "import { SESv2Client } from '@aws-sdk/client-sesv2';\nclients.push(new SESv2Client({}));\n",
  },
  {
    // Carried by the one function that starts evidence bundle builds (it creates the client on its first request).
    pkg: '@aws-sdk/client-lambda',
    name: 'lambda',
    code: "import { LambdaClient } from '@aws-sdk/client-lambda';\nclients.push(new LambdaClient({}));\n",
  },
  {
    pkg: '@aws-sdk/client-cognito-identity-provider',
    name: 'cognito',
    code:
      "import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';\n" +
      'clients.push(new CognitoIdentityProviderClient({}));\n',
  },
];

/** The twin of a function with SDK clients: a module scope that only creates those clients. */
function sdkTwin(clients: typeof CLIENTS): string {
  const code = clients.map((c) => c.code).join('');
  return `const clients: unknown[] = [];\n${code}export const handler = async () => clients.length;\n`;
}

/**
 * The twin of a function with no SDK client (health, openapi): an empty bundle (~3 ms) would make any ratio
 * meaningless, so its reference is the least a portal API function is — a handler answering `200 {}` through the
 * portal's HTTP layer (lambdas/http/api-handler.ts: zod, Powertools logger and metrics, the portal's X-Ray tracer), the same layer
 * every API function goes through.
 */
const HTTP_TWIN =
  "import { apiHandler, json } from './lambdas/http/api-handler';\n" +
  'export const handler = apiHandler({}, async () => json(200, {}));\n';

interface Load {
  ok: boolean;
  error?: string;
  wallMs: number;
  userMs: number;
  sysMs: number;
  maxRssKiB: number;
}

function load(bundle: string, env: Record<string, string>): Load {
  let out: string;
  try {
    out = execFileSync(NODE!.path, [LOADER, bundle], {
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    out = String((error as { stdout?: string }).stdout ?? '');
  }
  const line = out.split('\n').find((l) => l.startsWith('LOAD-BUNDLE '));
  if (!line) throw new Error(`${bundle}: the loader reported nothing`);
  const result = JSON.parse(line.slice('LOAD-BUNDLE '.length)) as Load;
  if (!result.ok) throw new Error(`${bundle} did not start: ${result.error}`);
  return result;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Bytes each package (or project folder) contributes to one output, largest first. */
function contents(meta: Metafile, output: string): Array<[string, number]> {
  const by = new Map<string, number>();
  for (const [file, input] of Object.entries(meta.outputs[output]!.inputs)) {
    const pkg = file.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? file.split('/').slice(0, 2).join('/');
    by.set(pkg, (by.get(pkg) ?? 0) + input.bytesInOutput);
  }
  return [...by].sort((a, b) => b[1] - a[1]);
}

function main(): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cold-start-'));
  try {
    const functions = synthesizeFunctions({ outdir: path.join(work, 'cdk.out'), bundle: false }).filter(
      (f) => !only || only.includes(f.handler),
    );
    if (functions.length === 0) throw new Error(`no function matches --only ${only}`);

    // Every function's bundle, in one esbuild run as `cdk synth` does, with a metafile.
    const bundlesDir = path.join(work, 'bundles');
    const entryPoints = Object.fromEntries(functions.map((f) => [`${f.handler}/index`, f.entry]));
    const built = buildSync({
      ...HANDLER_BUILD_OPTIONS,
      target: BUNDLE_TARGET,
      outdir: bundlesDir,
      entryPoints,
      metafile: true,
    });
    const outputOf = (handler: string) => path.relative(PROJECT_ROOT, path.join(bundlesDir, handler, 'index.js'));

    if (contentsOf) {
      const rows = contents(built.metafile, outputOf(contentsOf));
      for (const [pkg, bytes] of rows) console.log(`${(bytes / 1024).toFixed(1).padStart(9)} KiB  ${pkg}`);
      return;
    }

    // One twin per set of clients.
    const twins = new Map<string, string>();
    const twinOf = (handler: string): { key: string; bundle: string } => {
      const inputs = Object.keys(built.metafile.outputs[outputOf(handler)]!.inputs);
      const clients = CLIENTS.filter((c) => inputs.some((file) => file.includes(`node_modules/${c.pkg}/`)));
      const key = clients.map((c) => c.name).join('+') || 'http layer';
      if (!twins.has(key)) {
        const dir = path.join(work, 'twins', key);
        buildSync({
          ...HANDLER_BUILD_OPTIONS,
          target: BUNDLE_TARGET,
          outfile: path.join(dir, 'index.js'),
          stdin: {
            contents: clients.length > 0 ? sdkTwin(clients) : HTTP_TWIN,
            resolveDir: PROJECT_ROOT,
            sourcefile: `twin-${key}.ts`,
            loader: 'ts',
          },
        });
        twins.set(key, path.join(dir, 'index.js'));
      }
      return { key, bundle: twins.get(key)! };
    };

    const rows = functions.map((f) => {
      const bundle = path.join(bundlesDir, f.handler, 'index.js');
      return {
        f,
        bundle,
        bytes: fs.statSync(bundle).size,
        twin: twinOf(f.handler),
        env: { ...lambdaRuntimeEnvironment(f.logicalId), ...f.environment },
        loads: [] as Load[],
      };
    });
    const twinLoads = new Map<string, Load[]>([...twins.keys()].map((k) => [k, []]));
    // The twins run with the environment of a function that uses them (NODE_OPTIONS included).
    const twinEnv = new Map(rows.map((r) => [r.twin.key, r.env]));

    process.stderr.write(
      `Loading ${rows.length} bundles and ${twins.size} twins ${runs} times each on Node ${NODE!.version} (${NODE!.source})…\n`,
    );
    for (let round = 0; round < runs; round++) {
      for (const [key, bundle] of twins) twinLoads.get(key)!.push(load(bundle, twinEnv.get(key)!));
      for (const row of rows) row.loads.push(load(row.bundle, row.env));
      process.stderr.write(`  round ${round + 1}/${runs}\n`);
    }

    const summary = (loads: Load[]) => ({
      cpuMs: median(loads.map((l) => l.userMs + l.sysMs)),
      wallMs: median(loads.map((l) => l.wallMs)),
      rssMiB: median(loads.map((l) => l.maxRssKiB / 1024)),
    });
    const twinSummary = new Map([...twinLoads].map(([k, loads]) => [k, summary(loads)]));
    const table = rows.map((r) => {
      const s = summary(r.loads);
      const t = twinSummary.get(r.twin.key)!;
      return {
        function: r.f.handler,
        sizeKiB: r.bytes / 1024,
        twin: r.twin.key,
        cpuMs: s.cpuMs,
        twinCpuMs: t.cpuMs,
        ratio: s.cpuMs / t.cpuMs,
        wallMs: s.wallMs,
        twinWallMs: t.wallMs,
        rssMiB: s.rssMiB,
        twinRssMiB: t.rssMiB,
      };
    });
    print(table);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

type Row = {
  function: string;
  sizeKiB: number;
  twin: string;
  cpuMs: number;
  twinCpuMs: number;
  ratio: number;
  wallMs: number;
  twinWallMs: number;
  rssMiB: number;
  twinRssMiB: number;
};

function print(table: Row[]): void {
  const header = [
    'function',
    'bundle KiB',
    'twin (SDK clients)',
    'init CPU ms',
    'twin CPU ms',
    'ratio',
    'init wall ms',
    'twin wall ms',
    'peak RSS MiB',
    'twin RSS MiB',
  ];
  const cells = table.map((r) => [
    r.function,
    r.sizeKiB.toFixed(0),
    r.twin,
    r.cpuMs.toFixed(0),
    r.twinCpuMs.toFixed(0),
    `${r.ratio.toFixed(2)}×`,
    r.wallMs.toFixed(0),
    r.twinWallMs.toFixed(0),
    r.rssMiB.toFixed(0),
    r.twinRssMiB.toFixed(0),
  ]);
  const sizes = table.map((r) => r.sizeKiB);
  const ratios = table.map((r) => r.ratio);
  const over = table.filter((r) => r.ratio > GOAL).map((r) => r.function);
  const footer = [
    `${table.length} functions · median bundle ${median(sizes).toFixed(0)} KiB (max ${Math.max(...sizes).toFixed(0)})`,
    `ratio to twin: median ${median(ratios).toFixed(2)}×, max ${Math.max(...ratios).toFixed(2)}×`,
    over.length ? `over ${GOAL}×: ${over.join(', ')}` : `every function within ${GOAL}× of its twin`,
  ].join(' · ');
  if (markdown) {
    console.log(`| ${header.join(' | ')} |`);
    console.log(`|${header.map((_, i) => (i === 0 || i === 2 ? '---' : '---:')).join('|')}|`);
    for (const row of cells) console.log(`| ${row.join(' | ')} |`);
  } else {
    const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i]!.length)));
    const line = (row: string[]) =>
      row.map((c, i) => (i === 0 || i === 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
    console.log(line(header));
    for (const row of cells) console.log(line(row));
  }
  console.log(`\n${footer}`);
  console.log(
    `bundles loaded on Node ${NODE!.version} (${NODE!.source}) · ${os.cpus().length}× ${os.cpus()[0]?.model ?? 'unknown CPU'} · load average ${os.loadavg()[0]?.toFixed(1)} · ${runs} loads each, median`,
  );
  record(table);
}

/** The figures for `npm run bench` (bench/support/figures.ts): per function its ratio to the twin, size and memory. */
function record(table: Row[]): void {
  const figures: Figure[] = table.flatMap((r): Figure[] => [
    {
      name: `${r.function}: init CPU (Node ${NODE!.version})`,
      value: Math.round(r.cpuMs),
      unit: 'ms',
      reference: { name: `bare twin (${r.twin})`, value: Math.round(r.twinCpuMs) },
      ratio: ratio(r.cpuMs, r.twinCpuMs),
      goal: `≤ ${GOAL}×`,
      met: r.cpuMs / r.twinCpuMs <= GOAL,
    },
    { name: `${r.function}: bundle`, value: Math.round(r.sizeKiB), unit: 'KiB' },
    {
      name: `${r.function}: peak RSS`,
      value: Math.round(r.rssMiB),
      unit: 'MiB',
      reference: { name: `bare twin (${r.twin})`, value: Math.round(r.twinRssMiB) },
      ratio: ratio(r.rssMiB, r.twinRssMiB),
    },
  ]);
  const command = ['npm run bench:cold-start', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])];
  recordFigures('cold-start', command.join(' '), figures);
}

main();
