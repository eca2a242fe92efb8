/**
 * `npm run bench`: runs every benchmark, then prints one table of all their figures (bench/support/figures.ts reads
 * bench/results/<bench>.json), each beside its reference, ratio and goal, with the machine they came from.
 *
 *   npm run bench                            short settings (~30–40 min on two cores, the parts added up)
 *   npm run bench -- --quick                 the shortest settings: a smoke run of every benchmark (~15–20 min)
 *   npm run bench -- --full                  each benchmark's own defaults, the published sizes (an hour or more)
 *   npm run bench -- --only capacity,start-up   only these (names below); the table still shows every result file
 *   npm run bench -- --skip-npm-test         everything but the `npm test` wall time (the table says it was skipped)
 *   npm run bench -- --table [--markdown]    no runs: the table of the figures already in bench/results/
 *
 * Benchmarks: reminders, responses, cold-start, evidence, local-api, capacity (the `bench:*` scripts, run as child
 * processes with the settings in BENCHES), start-up (`npm start`'s "ready in N ms", measured here) and npm-test (the
 * wall time of `npm test`, measured here). A benchmark whose script is missing from package.json is skipped, and
 * one that fails is reported and the rest still run; `npm run bench` then exits 1. Figures from an earlier run that
 * was not repeated are shown with the time they were measured.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BenchResult, machine, readAllFigures, recordFigures } from './support/figures';

type Level = 'quick' | 'short' | 'full';

interface Settings {
  args?: string[];
  env?: Record<string, string>;
}

interface Bench {
  name: string;
  /** The npm script that runs it, or undefined when bench/all.ts measures it itself. */
  script?: string;
  settings: Record<Level, Settings>;
}

/** Each benchmark's settings per level: `full` is the benchmark's own default run. */
const BENCHES: Bench[] = [
  {
    name: 'reminders',
    script: 'bench:reminders',
    settings: { quick: { args: ['1000', '5000'] }, short: { args: ['1000', '10000'] }, full: {} },
  },
  {
    name: 'responses',
    script: 'bench:responses',
    settings: { quick: { args: ['16', '80'] }, short: { args: ['64', '256'] }, full: {} },
  },
  {
    name: 'cold-start',
    script: 'bench:cold-start',
    settings: {
      quick: { args: ['--runs', '3', '--only', 'get-notice,issue-notice,finalize-submission,list-notices'] },
      short: { args: ['--runs', '5'] },
      full: {},
    },
  },
  {
    name: 'evidence',
    script: 'bench:evidence',
    settings: {
      quick: { args: ['10', '100'], env: { BENCH_EXTENSION_PAIRS: '2' } },
      short: { args: ['10', '300'], env: { BENCH_EXTENSION_PAIRS: '2' } },
      full: {},
    },
  },
  {
    name: 'local-api',
    script: 'bench:local-api',
    settings: { quick: { env: { BENCH_SECONDS: '2' } }, short: { env: { BENCH_SECONDS: '3' } }, full: {} },
  },
  {
    name: 'capacity',
    script: 'bench:capacity',
    settings: { quick: { args: ['--quick'] }, short: {}, full: { args: ['--notices', '10'] } },
  },
  { name: 'start-up', settings: { quick: { args: ['1'] }, short: { args: ['3'] }, full: { args: ['5'] } } },
  { name: 'npm-test', settings: { quick: {}, short: {}, full: {} } },
];

const ROOT = join(__dirname, '..');
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const value = (name: string) => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? argv[at + 1] : undefined;
};

interface Outcome {
  bench: string;
  status: 'ran' | 'failed' | 'skipped';
  note: string;
  seconds?: number;
}

/** Runs a command with inherited output; resolves with its exit code and wall time. */
function run(
  command: string,
  args: string[],
  env: Record<string, string> = {},
  quietOutput = false,
): Promise<{ code: number; ms: number; output: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', quietOutput ? 'pipe' : 'inherit', quietOutput ? 'pipe' : 'inherit'],
    });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, ms: performance.now() - started, output }));
  });
}

/**
 * `npm start`'s start-up: the portal (local/start.ts, as `npm start` runs it) on a fresh data folder and free
 * ports, `runs` times; the figure is the median of the "ready in N ms" it prints, beside the wall time from
 * spawning `npm start` to that line (npm and tsx included).
 */
async function startUp(runs: number): Promise<void> {
  const readyMs: number[] = [];
  const wallMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'bench-start-up-'));
    const started = performance.now();
    const child = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', DYNAMODB_PORT: '0', S3_PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    try {
      const ready = await new Promise<number>((resolve, reject) => {
        let output = '';
        const timer = setTimeout(() => reject(new Error(`npm start was not ready in 120 s:\n${output}`)), 120_000);
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          const match = /Notice portal ready in (\d+) ms/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(Number(match[1]));
          }
        };
        child.stdout?.on('data', onData);
        child.stderr?.on('data', onData);
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`npm start exited (${code}) before it was ready:\n${output}`));
        });
      });
      wallMs.push(performance.now() - started);
      readyMs.push(ready);
    } finally {
      const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
      // npm → sh → tsx → node: the whole process group the spawn started, and only it.
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGINT');
      const timeout = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timeout);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? 0;
  recordFigures('start-up', `npm run bench -- --only start-up (${runs} starts)`, [
    { name: `npm start: "ready in" (median of ${runs}, fresh data folder)`, value: median(readyMs), unit: 'ms' },
    {
      name: `npm start: spawn → ready line (median of ${runs}, npm and tsx included)`,
      value: Math.round(median(wallMs)),
      unit: 'ms',
    },
  ]);
}

/** The wall time of `npm test` (lint, type-check, web build, every jest project, cdk synth), run as a user runs it. */
async function npmTest(): Promise<boolean> {
  const result = await run('npm', ['test'], {}, true);
  const lastLines = result.output.trim().split('\n').slice(-5).join('\n');
  process.stdout.write(`${lastLines}\n`);
  recordFigures('npm-test', 'npm test', [
    {
      name: 'npm test wall time',
      value: Math.round(result.ms / 100) / 10,
      unit: 's',
      goal: 'a few minutes (≤ 300 s)',
      met: result.code === 0 && result.ms <= 300_000,
    },
    { name: 'npm test exit code', value: result.code, unit: '', goal: '0', met: result.code === 0 },
  ]);
  return result.code === 0;
}

function scripts(): Record<string, string> {
  return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
}

async function runBench(bench: Bench, level: Level): Promise<Outcome> {
  const settings = bench.settings[level];
  const args = settings.args ?? [];
  const started = performance.now();
  const seconds = () => Math.round((performance.now() - started) / 100) / 10;
  process.stdout.write(`\n==== ${bench.name} (${level}${args.length ? `: ${args.join(' ')}` : ''}) ====\n`);
  try {
    if (bench.name === 'start-up') {
      await startUp(Number(args[0] ?? 3));
      return { bench: bench.name, status: 'ran', note: '', seconds: seconds() };
    }
    if (bench.name === 'npm-test') {
      const ok = await npmTest();
      return {
        bench: bench.name,
        status: ok ? 'ran' : 'failed',
        note: ok ? '' : 'npm test failed',
        seconds: seconds(),
      };
    }
    if (!bench.script || !scripts()[bench.script]) {
      return { bench: bench.name, status: 'skipped', note: `no ${bench.script} script in package.json` };
    }
    const result = await run('npm', ['run', '--silent', bench.script, ...(args.length ? ['--', ...args] : [])], {
      ...settings.env,
    });
    return result.code === 0
      ? { bench: bench.name, status: 'ran', note: '', seconds: seconds() }
      : { bench: bench.name, status: 'failed', note: `exit code ${result.code}`, seconds: seconds() };
  } catch (error) {
    return { bench: bench.name, status: 'failed', note: String(error).split('\n')[0] ?? '', seconds: seconds() };
  }
}

// ---- the table ----------------------------------------------------------------------------------------------------

const number = (n: number) =>
  Number.isInteger(n)
    ? n.toLocaleString('en-AU')
    : Math.abs(n) >= 100
      ? n.toFixed(0)
      : String(Math.round(n * 100) / 100);

function rowsOf(results: BenchResult[]): string[][] {
  return results.flatMap((result) =>
    result.figures.map((f) => [
      result.bench,
      f.name,
      number(f.value),
      f.unit,
      f.reference ? `${f.reference.name}: ${number(f.reference.value)}` : '',
      f.ratio === undefined ? '' : `${f.ratio}×`,
      f.goal ?? '',
      f.met === undefined ? '' : f.met ? 'yes' : 'NO',
    ]),
  );
}

const HEADER = ['bench', 'figure', 'value', 'unit', 'reference', 'ratio', 'goal', 'met'];

function printTable(results: BenchResult[], markdown: boolean): void {
  const rows = rowsOf(results);
  if (markdown) {
    const cellText = (cell: string) => cell.replaceAll('|', '\\|');
    process.stdout.write(
      `| ${HEADER.join(' | ')} |\n|${HEADER.map((_, i) => (i === 2 || i === 5 ? '---:' : '---')).join('|')}|\n`,
    );
    for (const row of rows) process.stdout.write(`| ${row.map(cellText).join(' | ')} |\n`);
    return;
  }
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 2 || i === 5 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join(' | ');
  process.stdout.write(`${line(HEADER)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
}

function printSources(results: BenchResult[], outcomes: Outcome[], since: string | undefined): void {
  process.stdout.write("\nWhere each benchmark's figures came from:\n");
  for (const result of results) {
    const earlier = since !== undefined && result.measuredAt < since;
    const m = result.machine;
    process.stdout.write(
      `  ${result.bench}: ${result.command} · ${result.measuredAt}${earlier ? ' (an earlier run, not repeated now)' : ''} · ` +
        `Node ${m.node}, ${m.cores} × ${m.cpus}, ${m.memoryGiB} GiB, load ${m.loadAverage}\n`,
    );
  }
  for (const outcome of outcomes.filter((o) => o.status !== 'ran')) {
    process.stdout.write(
      `  ${outcome.bench}: ${outcome.status.toUpperCase()}${outcome.note ? ` — ${outcome.note}` : ''}\n`,
    );
  }
}

/** Runs the chosen benchmarks one after another; a failure is recorded and the next one still runs. */
async function runAll(level: Level, only: string[] | undefined): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const bench of BENCHES.filter((b) => !only || only.includes(b.name))) {
    if (bench.name === 'npm-test' && flag('skip-npm-test')) {
      const note = 'skipped (--skip-npm-test); the figure shown, if any, is older';
      outcomes.push({ bench: bench.name, status: 'skipped', note });
      continue;
    }
    const outcome = await runBench(bench, level);
    outcomes.push(outcome);
    const took = outcome.seconds ? ` in ${outcome.seconds} s` : '';
    process.stdout.write(`==== ${bench.name}: ${outcome.status}${took} ====\n`);
  }
  return outcomes;
}

async function main(): Promise<void> {
  const markdown = flag('markdown');
  const level: Level = flag('quick') ? 'quick' : flag('full') ? 'full' : 'short';
  const only = value('only')
    ?.split(',')
    .map((name) => name.trim());
  const unknown = only?.filter((name) => !BENCHES.some((b) => b.name === name)) ?? [];
  if (unknown.length) {
    throw new Error(
      `Unknown benchmark(s) ${unknown.join(', ')}; choose from ${BENCHES.map((b) => b.name).join(', ')}.`,
    );
  }
  const since = flag('table') ? undefined : new Date().toISOString();
  const outcomes = flag('table') ? [] : await runAll(level, only);
  const results = readAllFigures();
  const m = machine();
  process.stdout.write(
    `\nAll figures (${flag('table') ? 'from bench/results/' : `this run: ${level}`}) — machine: Node ${m.node}, ` +
      `${m.cores} × ${m.cpus}, ${m.memoryGiB} GiB, load average ${m.loadAverage}\n\n`,
  );
  printTable(results, markdown);
  printSources(results, outcomes, since);
  if (outcomes.some((o) => o.status === 'failed')) process.exitCode = 1;
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
