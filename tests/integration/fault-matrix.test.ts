import {
  caseName,
  cleanRun,
  type FaultCase,
  type FaultPoint,
  type MatrixPortal,
  OPERATIONS,
  type Operation,
  runCase,
  startMatrixPortal,
} from '../support/faults/fault-matrix';

/**
 * The fault matrix's short run (the full one: tests/long/fault-matrix.long.test.ts, `npm run test:long`): per
 * operation, a clean run, then three of its fault points — the first write answered but its answer lost
 * (drop-after, which the SDK retries), the last write failing persistently (500 on every attempt), and one request
 * reset mid-response — each on fresh state, with the client's retries and the portal's jobs, then the record
 * checked and the end state compared with the clean run's.
 */
let p: MatrixPortal;

beforeAll(async () => {
  p = await startMatrixPortal();
}, 60_000);

afterAll(async () => {
  await p?.stop();
});

const isWrite = (point: FaultPoint) =>
  /^(PutItem|UpdateItem|DeleteItem|PutObject|UploadPart|CompleteMultipartUpload)/.test(point.signature);

function sampled(points: FaultPoint[]): FaultCase[] {
  const writes = points.filter(isWrite);
  const first = writes[0];
  const last = writes.at(-1);
  const middle = points[Math.floor(points.length / 2)];
  return [
    ...(first ? [{ point: first, kind: 'drop-after', persistence: 'once' } as const] : []),
    ...(last ? [{ point: last, kind: 'internal', persistence: 'persistent' } as const] : []),
    ...(middle ? [{ point: middle, kind: 'reset-mid-response', persistence: 'once' } as const] : []),
  ];
}

describe('the fault matrix (short run)', () => {
  for (const op of OPERATIONS as readonly Operation<any>[]) {
    it(`${op.name}: recovers to the clean run's end state at three fault points`, async () => {
      const clean = await cleanRun(p, op);
      const cases = sampled(clean.points);
      // The size of the full matrix (tests/long/fault-matrix.long.test.ts) for this operation, for the docs' figures.
      console.log(
        `fault matrix: ${op.name}: ${clean.points.length} fault points (${clean.points.map((f) => `${f.service} ${f.signature} #${f.nth}`).join(', ')})`,
      );
      expect(cases.length).toBeGreaterThan(0);
      for (const faultCase of cases) {
        const result = await runCase(p, op, faultCase, clean.endState);
        expect({ name: caseName(faultCase), fired: result.fired > 0 }).toEqual({
          name: caseName(faultCase),
          fired: true,
        });
      }
    }, 120_000);
  }
});
