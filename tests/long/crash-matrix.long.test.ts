import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  openedUpload,
  partsSeen,
  partsSentSince,
  prepareCliFiling,
  proxySeq,
  runCli,
  storedParts,
} from '../integration/support/cli-upload-crash';
import { ALL_POINTS, type PointOutcome, printOutcomes } from '../integration/support/crash-points';
import { type CrashRig, startCrashRig } from '../integration/support/crash-rig';
import { startPortalProcess } from '../integration/support/portal-process';
import { pollUntil } from '../support/poll';
import { checkRecords } from '../support/record-invariants';

/**
 * The crash matrix, whole (issue 14 point 2; `npm run test:long`, docs/RELIABILITY.md "Crash matrix"): the local
 * portal killed with SIGKILL before every storage request of each multi-step operation (crash-points.ts), during a
 * 1 GiB upload with the CLI (the portal, then the CLI, then the portal again while it hashes the filed file), and
 * one whole `npm start` (embedded dynalite and s3rver in the same process) killed mid-burst. After each restart on
 * the same data: the record consistent (tests/support/record-invariants.ts), the CLI resuming without sending a
 * part storage already holds, and the pending verification finishing by itself.
 *
 * CRASH_UPLOAD_MIB sets the upload's size (default 1024).
 */
const MiB = 1024 * 1024;
const UPLOAD_BYTES = Number(process.env.CRASH_UPLOAD_MIB ?? 1024) * MiB;

let rig: CrashRig;
const outcomes: PointOutcome[] = [];
const figures: string[] = [];
const progress = (line: string) => process.stderr.write(`crash matrix: ${line}\n`);

beforeAll(async () => {
  rig = await startCrashRig();
}, 120_000);
afterAll(async () => {
  const recovered = outcomes.map((o) => o.recoveredMs).sort((a, b) => a - b);
  const restarts = [...(rig?.restartsMs ?? [])].sort((a, b) => a - b);
  printOutcomes(
    [
      `crash matrix (long): ${outcomes.length} of ${ALL_POINTS.length} fault points, ${rig?.kills ?? 0} kills of the portal`,
      `  restart to ready: median ${restarts[Math.floor(restarts.length / 2)] ?? 0} ms, max ${restarts.at(-1) ?? 0} ms; consistent after the restart: median ${recovered[Math.floor(recovered.length / 2)] ?? 0} ms, max ${recovered.at(-1) ?? 0} ms`,
      ...figures,
    ].join('\n'),
    outcomes,
  );
  await rig?.stop();
});

describe('kill -9 at every fault point', () => {
  for (const [i, point] of ALL_POINTS.entries()) {
    it(`${point.operation}: ${point.name}`, async () => {
      progress(`point ${i + 1}/${ALL_POINTS.length}: ${point.name}`);
      outcomes.push(await point.run(rig));
    }, 180_000);
  }
});

it(`resumes a ${UPLOAD_BYTES / MiB} MiB CLI upload after kill -9 of the portal and of the CLI, sending no finished part again, and finishes verification by itself`, async () => {
  // Prepare
  const filing = await prepareCliFiling(rig, UPLOAD_BYTES);
  const args = [...filing.args, '--parallel', '4'];
  progress(`upload: ${UPLOAD_BYTES / MiB} MiB file written; CLI run 1`);

  // Act 1: kill -9 the portal once 12 parts have reached storage; the CLI stops when it next needs the portal
  const from1 = proxySeq(rig);
  const run1 = runCli(rig, args, filing.env);
  await partsSeen(rig, from1, 12);
  await rig.killNow();
  const exit1 = await run1.done;
  await rig.restart({ keepProxies: true });
  const upload = await openedUpload(rig, filing);
  const stored1 = await storedParts(rig, upload);
  progress(
    `upload: portal killed; CLI exited ${exit1.code}; storage holds ${stored1.length}/${upload.partCount} parts`,
  );

  // Act 2: run again, and kill -9 the CLI itself after 12 more parts
  const from2 = proxySeq(rig);
  const run2 = runCli(rig, args, filing.env);
  await partsSeen(rig, from2, 12);
  run2.child.kill('SIGKILL');
  const exit2 = await run2.done;
  const sent2 = partsSentSince(rig, from2);
  const stored2 = await storedParts(rig, upload);
  progress(
    `upload: CLI killed after sending ${sent2.length} parts; storage holds ${stored2.length}/${upload.partCount}`,
  );

  // Act 3: run again to the end; once the portal reads the filed file to hash it, kill -9 the portal once more
  const from3 = proxySeq(rig);
  const run3 = runCli(rig, args, filing.env);
  const hashing = await pollUntil(
    () =>
      rig
        .proxy('s3')
        .requests.some((r) => r.seq > from3 && r.operation === 'GetObject' && r.detail?.key === upload.key),
    (seen) => seen,
    { timeoutMs: 900_000, intervalMs: 20 },
  );
  await rig.killNow();
  const sent3 = partsSentSince(rig, from3);
  const restartedAt = Date.now();
  await rig.restart({ keepProxies: true });
  const filed = await pollUntil(
    async () =>
      (await rig.call('officer', 'GET', `/notices/${filing.noticeId}/submissions/${upload.submissionId}`)).body,
    (s) => s.status === 'filed',
    { timeoutMs: 600_000, intervalMs: 500 },
  );
  const recoverMs = Date.now() - restartedAt;
  const exit3 = await run3.done;
  const from4 = proxySeq(rig);
  const run4 = await runCli(rig, args, filing.env).done;
  const sent4 = partsSentSince(rig, from4);
  progress(`upload: filed ${recoverMs} ms after the restart; checking the record (hashes the filed files)`);
  const records = await checkRecords(rig.store, { settled: true });

  // Assess
  const all = Array.from({ length: upload.partCount }, (_, i) => i + 1);
  expect(exit1.code).not.toBe(0);
  expect(stored1.length).toBeGreaterThan(0);
  expect(exit2.signal).toBe('SIGKILL');
  expect(sent2.filter((n) => stored1.includes(n))).toEqual([]);
  expect(stored2.length).toBeGreaterThan(stored1.length);
  expect(hashing).toBe(true);
  expect(sent3.filter((n) => stored2.includes(n))).toEqual([]);
  expect([...new Set([...stored2, ...sent3])].sort((a, b) => a - b)).toEqual(all);
  expect(filed).toMatchObject({ status: 'filed', files: [{ sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }] });
  expect(run4).toMatchObject({ code: 0 });
  expect(JSON.parse(run4.stdout)).toMatchObject({ noticeId: filing.noticeId, submissionId: upload.submissionId });
  expect(sent4).toEqual([]);
  expect(records.problems).toEqual([]);
  const bytesAfter = [...sent2, ...sent3].length * upload.partSize;
  figures.push(
    `  ${UPLOAD_BYTES / MiB} MiB upload, ${upload.partCount} parts of ${upload.partSize / MiB} MiB: portal killed with ${stored1.length} stored (CLI exit ${exit1.code}); CLI killed with ${stored2.length} stored after sending ${sent2.length}; last run sent ${sent3.length} (exit ${exit3.code} when the portal was killed mid-hash); parts re-sent that storage held: 0; ≤ ${(bytesAfter / MiB).toFixed(0)} MiB sent after the first kill for ${((upload.partCount - stored1.length) * upload.partSize) / MiB} MiB missing; verification finished by itself ${recoverMs} ms after the restart`,
  );
}, 1_800_000);

it('keeps every acknowledged change when a whole `npm start` (embedded dynalite and s3rver) is killed mid-burst', async () => {
  // Prepare: the portal with its embedded stores in one process, as `npm start` runs it
  const dataDir = mkdtempSync(join(tmpdir(), 'notice-portal-npm-start-crash-'));
  const env = { DATA_DIR: dataDir, CHECKPOINT_INTERVAL_MS: '0', REMINDER_INTERVAL_MS: '0' };
  try {
    const first = await startPortalProcess(env, { loader: 'in-process', readyTimeoutMs: 90_000 });
    const token = async (user: string, url: string) =>
      (await fetch(`${url}/dev-idp/token/${user}`, { method: 'POST' })).text();
    const officer = await token('officer', first.url);
    const post = (url: string, path: string, body?: unknown) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${officer}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const { transparencyDraft } = await import('../integration/support/portal-harness');
    const acknowledged = new Map<string, number>();
    let answered = 0;
    // Act: 40 notices drafted and issued at once; kill -9 once 20 requests have been answered
    const flows = Array.from({ length: 40 }, async () => {
      try {
        const created = await post(first.url, '/notices', transparencyDraft('x-corp'));
        const id = ((await created.json()) as { id: string }).id;
        answered += 1;
        acknowledged.set(id, 1);
        const issued = await post(first.url, `/notices/${id}/issue`);
        if (issued.status === 200) acknowledged.set(id, 2);
        answered += 1;
      } catch {
        // cut off by the kill
      }
    });
    await pollUntil(
      () => answered,
      (n) => n >= 20,
      { timeoutMs: 120_000, intervalMs: 5 },
    );
    const exited = new Promise((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGKILL');
    await exited;
    await Promise.all(flows);
    const restartedAt = Date.now();
    const second = await startPortalProcess(env, { loader: 'in-process', readyTimeoutMs: 90_000 });
    const restartMs = Date.now() - restartedAt;
    const endpoints = /DynamoDB (http:\/\/\S+) · S3 (http:\/\/\S+) ·/.exec(second.output());
    // A token names the portal's origin as its issuer, and the restarted portal has another port: a fresh one.
    const officerAgain = await token('officer', second.url);
    const reads = await Promise.all(
      [...acknowledged].map(async ([id, version]) => {
        const read = await fetch(`${second.url}/notices/${id}`, {
          headers: { authorization: `Bearer ${officerAgain}` },
        });
        return { id, version, status: read.status, body: (await read.json()) as { version: number } };
      }),
    );
    const store = {
      dynamodbEndpoint: endpoints?.[1] ?? '',
      s3Endpoint: endpoints?.[2] ?? '',
      tableName: 'notice-portal-local',
      bucket: 'notice-portal-responses-local',
    };
    // The changes committed but never answered (cut off mid-request) are finished by the repair run at start.
    const records = await pollUntil(
      () => checkRecords(store, { settled: true }),
      (r) => r.problems.length === 0,
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const recoveredMs = Date.now() - restartedAt - restartMs;
    await second.stop();

    // Assess: nothing acknowledged before the kill is lost, and the record on disk is consistent
    expect(endpoints).not.toBeNull();
    expect(acknowledged.size).toBeGreaterThan(0);
    for (const read of reads) {
      expect({ id: read.id, status: read.status }).toEqual({ id: read.id, status: 200 });
      expect(read.body.version).toBeGreaterThanOrEqual(read.version);
    }
    expect(records.problems).toEqual([]);
    figures.push(
      `  npm start killed with ${answered} of 80 requests answered: ${acknowledged.size} acknowledged notices all present after the restart (${restartMs} ms to ready), ${records.notices} notices consistent ${recoveredMs} ms after it (those committed but cut off mid-request finished by the repair run at start)`,
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 300_000);
