import { ROUTES } from '../../lambdas/api/routes';
import { type Harness, startHarness } from '../integration/support/portal-harness';
import { FUZZ_REPAIR_INTERVAL_MS, type FuzzKit, fuzzRoute, startFuzzKit } from '../support/fuzz/route-fuzz';

/**
 * Hostile input, long run (`npm run test:long`): the same route fuzzer as tests/integration/fuzz-routes.test.ts,
 * with many runs and a fresh random seed each time, printed first so a failure can be replayed exactly.
 *
 * FUZZ_RUNS   runs (batches of 1–4 cases) per route, default 150
 * FUZZ_SEED   base seed (route i uses FUZZ_SEED + i), default random
 * FUZZ_ROUTES comma-separated operation ids to fuzz, default every route
 * FUZZ_PATH   fast-check's replay path from a failure (use with FUZZ_SEED and one route in FUZZ_ROUTES)
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const ONLY = process.env.FUZZ_ROUTES?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const PATH = process.env.FUZZ_PATH;
if (!Number.isInteger(RUNS) || RUNS < 1)
  throw new Error(`FUZZ_RUNS must be a positive integer, not ${process.env.FUZZ_RUNS}`);
if (!Number.isInteger(SEED)) throw new Error(`FUZZ_SEED must be an integer, not ${process.env.FUZZ_SEED}`);
const routes = ROUTES.map((route, i) => [route.operationId, i] as const).filter(([id]) => !ONLY || ONLY.includes(id));
if (ONLY && routes.length !== ONLY.length) throw new Error(`FUZZ_ROUTES names an unknown operation: ${ONLY.join(',')}`);

process.stdout.write(`route fuzz (long): FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} routes=${routes.length}\n`);

let h: Harness;
let kit: FuzzKit;
const started = Date.now();
beforeAll(async () => {
  h = await startHarness({ repairIntervalMs: FUZZ_REPAIR_INTERVAL_MS });
  kit = await startFuzzKit(h);
}, 120_000);
afterAll(async () => {
  await kit?.stop();
  await h?.stop();
  const seconds = Math.round((Date.now() - started) / 1000);
  process.stdout.write(`route fuzz (long): FUZZ_SEED=${SEED} ${seconds} s ${JSON.stringify(kit?.stats)}\n`);
});

describe(`every route refuses hostile input (FUZZ_SEED=${SEED}, ${RUNS} runs per route)`, () => {
  it.each(routes)(
    '%s',
    async (operationId, i) => {
      await fuzzRoute(kit, operationId, { numRuns: RUNS, seed: SEED + i, path: PATH });
    },
    // A run is a batch of up to 4 requests and two store snapshots; generous for a loaded 2-core machine.
    RUNS * 2_000 + 60_000,
  );
});
