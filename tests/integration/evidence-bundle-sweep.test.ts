import { documentClient } from '../../lambdas/adapters/dynamodb-client';
import { DynamoDbEvidenceBundleStore } from '../../lambdas/adapters/dynamodb-evidence-bundle-store';
import { DynamoDbNoticeStore } from '../../lambdas/adapters/dynamodb-notice-store';
import { DynamoDbSubmissionStore } from '../../lambdas/adapters/dynamodb-submission-store';
import { publicHolidayCalendar } from '../../lambdas/adapters/public-holidays';
import { S3EvidenceBundleArchive } from '../../lambdas/adapters/s3-evidence-bundle-archive';
import type { BundleBuildTrigger, BundleRef } from '../../lambdas/domain/evidence-bundle';
import { type BundleArchive, EvidenceBundleService } from '../../lambdas/domain/evidence-bundle-service';
import { newBundleId } from '../../lambdas/domain/ids';
import { readZip } from '../support/read-zip';
import { s3ClientFor } from './support/guarded-s3';
import { type Harness, startHarness } from './support/portal-harness';
import {
  type Call,
  finalizePath,
  openAndUpload,
  pollUntilFiled,
  registeredSigner,
  signedFinalize,
} from './support/response-filing';

/**
 * A build that dies must not stay `building`: the lease it stops renewing ends, and the sweep (found through the
 * sparse index) builds the bundle again. The service runs here against the local portal's own DynamoDB and S3
 * (real servers), with one port made to fail, and a clock the test moves past the lease.
 */
let harness: Harness;
let call: Call;
let noticeId: string;
const doc = () => documentClient({ endpoint: harness.portal.dynamodbEndpoint });
beforeAll(async () => {
  harness = await startHarness();
  call = async (user, method, path, body) => {
    const client = harness.as(user);
    const response = method === 'GET' ? await client.get(path) : await client.post(path, body);
    return { status: response.status, body: response.body };
  };
  const signer = await registeredSigner(call);
  const opened = await openAndUpload(call, [{ name: 'response.pdf', bytes: Buffer.from('%PDF-1.7\n%%EOF\n') }]);
  await call('x-corp-legal', 'POST', finalizePath(opened), await signedFinalize(opened, signer));
  await pollUntilFiled(call, opened);
  noticeId = opened.noticeId;
});
afterAll(async () => {
  await harness?.stop();
});

const REGULATOR = { subject: 'officer-sub', roles: ['regulator-officer' as const], name: 'Officer' };

function serviceWith(options: {
  clock: () => Date;
  archive?: (real: BundleArchive) => BundleArchive;
  started: BundleRef[];
  trigger?: BundleBuildTrigger;
}) {
  const s3 = s3ClientFor(harness.portal.s3Endpoint);
  const real = new S3EvidenceBundleArchive(s3, harness.portal.bucketName, s3);
  const tableName = harness.portal.tableName;
  return new EvidenceBundleService({
    notices: new DynamoDbNoticeStore(doc(), tableName, options.clock),
    submissions: new DynamoDbSubmissionStore(doc(), tableName),
    bundles: new DynamoDbEvidenceBundleStore(doc(), tableName),
    sources: {
      regulatorKeys: async () => ({ keys: [{ kty: 'EC', kid: 'test' }], log: [] }),
      platformKeyLog: async () => [],
      checkpoints: async () => [],
      proofs: async () => [],
    },
    archive: options.archive ? options.archive(real) : real,
    // The start is "lost": only the sweep builds, as after a crash between the request and the invocation.
    trigger: options.trigger ?? { start: async (ref) => void options.started.push(ref) },
    holidaysFor: publicHolidayCalendar,
    clock: options.clock,
    newBundleId: () => newBundleId(),
    settings: { leaseMs: 60_000, heartbeatMs: 50 },
  });
}

/** An archive whose stored file is gone half-way through the ZIP: the upload fails mid-stream, as a dying run's would. */
const failingMidway = (real: BundleArchive): BundleArchive => ({
  objectKey: (n, b, a) => real.objectKey(n, b, a),
  presignGet: (k, f, e) => real.presignGet(k, f, e),
  write: (key, entries, manifest, options) =>
    real.write(
      key,
      entries.map((e) => (e.source === 'object' ? { ...e, key: `${e.key}-missing` } : e)),
      manifest,
      options,
    ),
});

it('restarts a build that failed mid-way once its lease ends, and it ends ready', async () => {
  // Prepare: a clock the test moves, and a first run that fails half-way through the ZIP
  let at = new Date();
  const clock = () => at;
  const started: BundleRef[] = [];
  const failing = serviceWith({ clock, archive: failingMidway, started });
  const { bundle } = await failing.request(REGULATOR, noticeId, 'included');
  expect(await failing.build({ noticeId, bundleId: bundle.bundleId })).toBe('retry-later');
  const store = new DynamoDbEvidenceBundleStore(doc(), harness.portal.tableName);
  expect(await store.getBundle(noticeId, bundle.bundleId)).toMatchObject({ status: 'building', attempt: 1 });

  // Act: the sweep, with a working archive
  at = new Date(at.getTime() + 1_000);
  const working = serviceWith({ clock, started });
  const report = await working.sweep({ limit: 10 });

  // Assess
  expect(report.outcomes[bundle.bundleId]).toBe('ready');
  const ready = await working.get(REGULATOR, noticeId, bundle.bundleId);
  expect(ready.status).toBe('ready');
  const zip = Buffer.from(await (await fetch(ready.downloadUrl as string)).arrayBuffer());
  const entries = await readZip(zip);
  expect(ready.progress).toEqual({ entriesWritten: entries.length, bytesWritten: zip.length });
  expect(entries.at(-1)?.path).toBe('manifest.json');
  expect(entries.some((e) => e.path.endsWith('/files/response.pdf'))).toBe(true);
  expect(await store.getBundle(noticeId, bundle.bundleId)).toMatchObject({
    attempt: 2,
    objectKey: `evidence-bundles/${noticeId}/${bundle.bundleId}-2.zip`,
  });
});

it('restarts a run that was killed (its lease no longer renewed) only after the lease ends', async () => {
  // Prepare: a run claims the bundle and then dies without a word (kill -9): its lease is never renewed
  let at = new Date();
  const clock = () => at;
  const started: BundleRef[] = [];
  const service = serviceWith({ clock, started });
  const { bundle } = await service.request(REGULATOR, noticeId, 'hashes-only');
  const store = new DynamoDbEvidenceBundleStore(doc(), harness.portal.tableName);
  const requested = await store.getBundle(noticeId, bundle.bundleId);
  if (!requested) throw new Error('no record');
  const leaseUntil = new Date(at.getTime() + 60_000).toISOString();
  expect(await store.replaceBundle({ ...requested, version: 2, attempt: 1, leaseUntil }, 1)).toBe(true);

  // Act and assess: while the lease lasts the sweep leaves it to the run; after it, builds it
  at = new Date(at.getTime() + 30_000);
  expect((await service.sweep({ limit: 10 })).outcomes[bundle.bundleId]).toBeUndefined();
  expect(await service.build({ noticeId, bundleId: bundle.bundleId })).toBe('busy');
  at = new Date(at.getTime() + 31_000);
  expect((await service.sweep({ limit: 10 })).outcomes[bundle.bundleId]).toBe('ready');
  expect(await store.getBundle(noticeId, bundle.bundleId)).toMatchObject({ status: 'ready', attempt: 2 });
  // Finished bundles leave the sparse index: the next sweep finds nothing of theirs.
  expect((await service.sweep({ limit: 10 })).outcomes[bundle.bundleId]).toBeUndefined();
});

it('marks a bundle failed after three runs that fail, with a message for the requester', async () => {
  let at = new Date();
  const clock = () => at;
  const service = serviceWith({ clock, archive: failingMidway, started: [] });
  const { bundle } = await service.request(REGULATOR, noticeId, 'included');
  for (let run = 0; run < 3; run++) {
    at = new Date(at.getTime() + 61_000);
    await service.sweep({ limit: 10 });
  }
  const failed = await service.get(REGULATOR, noticeId, bundle.bundleId);
  expect(failed.status).toBe('failed');
  expect(failed.error).toMatch(/could not be built after 3 attempts/);
  expect(failed.downloadUrl).toBeUndefined();
});

it('answers a request whose build could not be started, and the sweep builds it when the lease ends', async () => {
  let at = new Date();
  const clock = () => at;
  const unreachable: BundleBuildTrigger = { start: async () => Promise.reject(new Error('Lambda: Rate exceeded')) };
  const service = serviceWith({ clock, started: [], trigger: unreachable });
  const { bundle } = await service.request(REGULATOR, noticeId, 'hashes-only');
  expect(bundle.status).toBe('building');
  at = new Date(at.getTime() + 30_000);
  expect((await service.sweep({ limit: 10 })).outcomes[bundle.bundleId]).toBeUndefined();
  at = new Date(at.getTime() + 31_000);
  expect((await service.sweep({ limit: 10 })).outcomes[bundle.bundleId]).toBe('ready');
});
