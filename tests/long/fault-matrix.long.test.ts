import { appendFileSync } from 'node:fs';
import {
  ALL_KINDS,
  allCases,
  caseName,
  cleanRun,
  type FaultKind,
  type MatrixPortal,
  OPERATIONS,
  type Operation,
  pointName,
  runCase,
  startMatrixPortal,
} from '../support/faults/fault-matrix';
import { fileMultipartResponse } from '../support/faults/multipart-filing';

/**
 * The full fault matrix (issue 14 point 1; docs/RELIABILITY.md, "Faults"): every operation, every store request of
 * its clean run, every fault kind, once and persistently, each on fresh state. Failures are collected, not
 * stopped at, so one run lists every defect. Narrow it with `FAULT_OPS=<part of an operation's name>`,
 * `FAULT_KINDS=drop-after,internal` (default: all kinds) and `FAULT_POINTS=<part of a point's name>`, such as
 * `FAULT_POINTS="s3 CompleteMultipartUpload #1"` to re-run one defect's cases after its fix (default: every point).
 */
const kinds = (process.env.FAULT_KINDS?.split(',') ?? ALL_KINDS) as FaultKind[];
const only = process.env.FAULT_OPS;
const pointFilter = process.env.FAULT_POINTS;
/** A file that gets one line per finished case as the run goes (jest prints the log only at the end). */
const progressFile = process.env.FAULT_LOG;
const progress = (line: string) => progressFile && appendFileSync(progressFile, `${line}\n`);
// The multipart filing moves 64 MiB per case, so the short run has only three of its cases (a separate test).
const operations = ([...OPERATIONS, fileMultipartResponse] as readonly Operation<any>[]).filter(
  (op) => !only || op.name.includes(only),
);

let p: MatrixPortal;
const figures: string[] = [];

beforeAll(async () => {
  p = await startMatrixPortal();
}, 120_000);

afterAll(async () => {
  console.log(`fault matrix (kinds ${kinds.join(', ')}):\n${figures.join('\n')}`);
  await p?.stop();
});

describe('the fault matrix (every fault point)', () => {
  for (const op of operations) {
    it(
      `${op.name}: every fault at every store request recovers to the clean run's end state`,
      async () => {
        const started = performance.now();
        const clean = await cleanRun(p, op);
        const cases = allCases(clean.points, kinds).filter(
          ({ point }) => !pointFilter || pointName(point).includes(pointFilter),
        );
        const failures: string[] = [];
        let unfired = 0;
        for (const faultCase of cases) {
          try {
            const result = await runCase(p, op, faultCase, clean.endState);
            if (result.fired === 0) unfired += 1;
            progress(`ok ${op.name} / ${result.name} fired=${result.fired} statuses=${result.statuses.join(' ')}`);
          } catch (error) {
            failures.push((error as Error).message);
            progress(`FAILED ${caseName(faultCase)}: ${(error as Error).message}`);
          }
        }
        const seconds = ((performance.now() - started) / 1000).toFixed(0);
        const figure =
          `${op.name}: ${clean.points.length} fault points (of ${clean.allPoints.length} requests), ` +
          `${cases.length} cases, ${failures.length} failed, ` +
          `${unfired} not reached, ${seconds} s`;
        progress(`DONE ${figure}`);
        figures.push(`  ${figure}`);
        expect(failures).toEqual([]);
      },
      4 * 3600_000,
    );
  }
});
