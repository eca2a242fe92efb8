/**
 * `npm run test:slowest -- <jest --json output> [count]`: the slowest test files of a jest run, and the seconds
 * each tier spent, so the cost of `npm test` can be watched as suites are added. Produce the input with
 * `npx jest [files] --json --outputFile=/tmp/jest.json` (or `npm run test:long -- --json --outputFile=…`).
 *
 * A file's time is jest's own (start to end of the file in its worker, set-up included): the sum over files is
 * the workers' time, which is what 2 workers share; the wall time of the run is about that sum / 2 when the
 * machine is otherwise idle.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

interface JestFileResult {
  name: string;
  startTime: number;
  endTime: number;
  status: string;
  assertionResults: Array<{ status: string }>;
}

const [file, countArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: npm run test:slowest -- <jest --json output file> [how many files, default 25]');
  process.exit(2);
}
const count = Number(countArg ?? 25);
const run = JSON.parse(fs.readFileSync(file, 'utf8')) as { startTime: number; testResults: JestFileResult[] };
const root = path.join(__dirname, '..');

const files = run.testResults
  .map((result) => ({
    file: path.relative(root, result.name),
    seconds: (result.endTime - result.startTime) / 1000,
    tests: result.assertionResults.length,
    failed: result.status !== 'passed',
  }))
  .sort((a, b) => b.seconds - a.seconds);

/** The tier of a file: its folder under tests/ (`integration`, `browser`, `long`, …). */
const tierOf = (relative: string) => relative.split(path.sep)[1] ?? relative;
const tiers = new Map<string, { seconds: number; files: number }>();
for (const { file: relative, seconds } of files) {
  const tier = tiers.get(tierOf(relative)) ?? { seconds: 0, files: 0 };
  tiers.set(tierOf(relative), { seconds: tier.seconds + seconds, files: tier.files + 1 });
}

const total = files.reduce((sum, f) => sum + f.seconds, 0);
const lastEnd = Math.max(...run.testResults.map((r) => r.endTime));
console.log(
  `${files.length} files, ${total.toFixed(0)} s of worker time, ${((lastEnd - run.startTime) / 1000).toFixed(0)} s wall`,
);
for (const [tier, { seconds, files: n }] of [...tiers].sort((a, b) => b[1].seconds - a[1].seconds)) {
  console.log(`  ${tier.padEnd(12)} ${seconds.toFixed(0).padStart(5)} s  ${n} files`);
}
console.log(`slowest ${Math.min(count, files.length)}:`);
for (const f of files.slice(0, count)) {
  console.log(`  ${f.seconds.toFixed(1).padStart(6)} s  ${f.file} (${f.tests} tests)${f.failed ? '  FAILED' : ''}`);
}
