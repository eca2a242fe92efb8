import { checkRecords } from '../support/record-invariants';
import {
  openedUpload,
  partsSeen,
  partsSentSince,
  prepareCliFiling,
  proxySeq,
  runCli,
  storedParts,
} from './support/cli-upload-crash';
import {
  MULTIPART_BYTES,
  type PointOutcome,
  printOutcomes,
  SUBMISSION_POINTS,
  TRANSITION_POINTS,
} from './support/crash-points';
import { type CrashRig, startCrashRig } from './support/crash-rig';

/**
 * The crash matrix, short (issue 14 point 2; the whole matrix and a 1 GiB upload are in
 * tests/long/crash-matrix.long.test.ts): the local portal as a real process, its storage in another, killed with
 * SIGKILL at two fault points — a transition between its commit and its projection, and a finalize between its
 * commit and marking the submission filed — and the CLI killed mid-upload. After each restart on the same data the
 * record is consistent by itself, and the CLI's rerun sends storage none of the parts it already holds.
 */
let rig: CrashRig;
const outcomes: PointOutcome[] = [];

beforeAll(async () => {
  rig = await startCrashRig();
}, 60_000);
afterAll(async () => {
  printOutcomes(`crash matrix (short): ${rig?.kills} kills`, outcomes);
  await rig?.stop();
});

const points = [
  TRANSITION_POINTS.find((p) => p.name.includes('after the commit, before the projection')),
  SUBMISSION_POINTS.find((p) => p.name.includes('before the submission is marked filed')),
];

for (const point of points) {
  if (!point) throw new Error('a crash point was renamed');
  it(`recovers by itself after kill -9 at "${point.name}"`, async () => {
    outcomes.push(await point.run(rig));
  }, 120_000);
}

it('resumes the CLI after kill -9 mid-upload without sending storage a part it already holds', async () => {
  // Prepare: a file just large enough for parts (5 of 16 MiB), sent one part at a time
  const filing = await prepareCliFiling(rig, MULTIPART_BYTES);
  const args = [...filing.args, '--parallel', '1'];
  const start = proxySeq(rig);
  const first = runCli(rig, args, filing.env);

  // Act: kill -9 the CLI once two parts have reached storage, then run the same command again
  await partsSeen(rig, start, 2);
  first.child.kill('SIGKILL');
  const killed = await first.done;
  const upload = await openedUpload(rig, filing);
  const stored = await storedParts(rig, upload);
  const rerunFrom = proxySeq(rig);
  const rerun = await runCli(rig, args, filing.env).done;
  const resent = partsSentSince(rig, rerunFrom);
  const records = await checkRecords(rig.store, { settled: true });

  // Assess
  expect(killed.signal).toBe('SIGKILL');
  expect(stored.length).toBeGreaterThanOrEqual(1);
  expect(rerun).toMatchObject({ code: 0 });
  const result = JSON.parse(rerun.stdout);
  expect(resent.filter((n) => stored.includes(n))).toEqual([]);
  expect(resent.sort((a, b) => a - b)).toEqual(
    Array.from({ length: upload.partCount }, (_, i) => i + 1).filter((n) => !stored.includes(n)),
  );
  expect(result.transfer).toMatchObject({
    partsAlreadyStored: stored.length,
    partsUploaded: upload.partCount - stored.length,
  });
  expect(records.problems).toEqual([]);
  console.log(
    `CLI killed after ${stored.length} of ${upload.partCount} parts were stored; the rerun sent parts ${resent.join(', ')} (re-sent: 0)`,
  );
}, 240_000);
