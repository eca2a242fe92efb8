/**
 * What every benchmark publishes: its figures, each beside the reference it is judged against, written as one JSON
 * file per benchmark under bench/results/ (not committed: figures belong to the machine that measured them; the
 * published ones are copied into docs/PERFORMANCE.md with the machine they came from). `npm run bench` runs every
 * benchmark and prints all of their figures as one table (bench/all.ts).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

export interface Figure {
  /** What was measured, e.g. `reminder sweep, 100k notices` or `GET /notices/{id}, 50 connections`. */
  name: string;
  value: number;
  /** `ms`, `req/s`, `MiB/s`, `items`, `KiB`, `MiB`, `s`, `×` … */
  unit: string;
  /** The figure `value` is judged against: a raw baseline measured in the same run, or a fixed goal. */
  reference?: { name: string; value: number };
  /** value / reference.value, unless the benchmark says otherwise (e.g. a throughput, where reference / value). */
  ratio?: number;
  /** The goal the ratio (or the value) is held to, in words, e.g. `≤ 1.5×`. */
  goal?: string;
  /** Whether the goal is met; left out when the figure has no goal. */
  met?: boolean;
}

export interface BenchResult {
  bench: string;
  /** The command that reproduces these figures. */
  command: string;
  measuredAt: string;
  machine: { node: string; cpus: string; cores: number; memoryGiB: number; loadAverage: number };
  figures: Figure[];
}

export const RESULTS_DIR = join(__dirname, '..', 'results');

export function machine(): BenchResult['machine'] {
  const list = cpus();
  return {
    node: process.version,
    cpus: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverage: Math.round((loadavg()[0] ?? 0) * 10) / 10,
  };
}

/** Ratio of two figures, rounded as the table prints it. */
export function ratio(value: number, reference: number): number {
  return reference === 0 ? Number.POSITIVE_INFINITY : Math.round((value / reference) * 100) / 100;
}

/** Writes bench/results/<bench>.json, replacing that benchmark's previous figures. */
export function recordFigures(bench: string, command: string, figures: Figure[]): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const result: BenchResult = { bench, command, measuredAt: new Date().toISOString(), machine: machine(), figures };
  const file = join(RESULTS_DIR, `${bench}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/** Every benchmark's latest figures, by file name. */
export function readAllFigures(): BenchResult[] {
  let names: string[] = [];
  try {
    names = readdirSync(RESULTS_DIR).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
  return names.sort().map((name) => JSON.parse(readFileSync(join(RESULTS_DIR, name), 'utf8')) as BenchResult);
}
