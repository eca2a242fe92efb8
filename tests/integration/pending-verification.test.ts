import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningService, startS3rver } from '../../local/embedded-services';
import { type Harness, startHarness } from './support/portal-harness';
import {
  type Call,
  finalizePath,
  openAndUpload,
  pollUntilFiled,
  registeredSigner,
  sha256,
  signedFinalize,
  submittedEvents,
} from './support/response-filing';

/**
 * The portal against a second S3 implementation that sends no write events at all (a raw s3rver, no signature
 * guard, no event hook — as moto or a lost S3 notification would be): a response is still filed, with nothing
 * more from the client than polling the submission.
 */
let raw: RunningService;
let h: Harness;
let call: Call;
const folder = mkdtempSync(join(tmpdir(), 'notice-portal-no-events-'));
beforeAll(async () => {
  raw = await startS3rver(join(folder, 's3'), 0, []);
  process.env.AWS_ENDPOINT_URL_S3 = raw.endpoint;
  h = await startHarness();
  call = (user, method, path, body) => (method === 'GET' ? h.as(user).get(path) : h.as(user).post(path, body));
});
afterAll(async () => {
  await h?.stop();
  await raw?.stop();
  delete process.env.AWS_ENDPOINT_URL_S3;
  rmSync(folder, { recursive: true, force: true });
});

it('files a small response at once: finalize hashes it itself instead of waiting for an event', async () => {
  // Prepare
  const signer = await registeredSigner(call);
  const opened = await openAndUpload(call, [
    { name: 'response.pdf', bytes: Buffer.from('%PDF-1.7\nAnswers\n%%EOF\n') },
  ]);

  // Act
  const filed = await h.as('x-corp-legal').post(finalizePath(opened), await signedFinalize(opened, signer));

  // Assess
  expect(filed.status).toBe(200);
  expect(filed.body.receipt.number).toMatch(/^NRP-/);
  expect(await submittedEvents(call, opened.noticeId)).toHaveLength(1);
});

it('files a response with a large file that no event ever announces, while the client only polls', async () => {
  // Prepare: a file over the inline-hash budget, uploaded in parts
  const signer = await registeredSigner(call);
  const big = Buffer.alloc(65 * 1024 * 1024 + 17, 3);
  const opened = await openAndUpload(call, [
    { name: 'response.pdf', bytes: Buffer.from('%PDF-1.7\nAnswers\n%%EOF\n') },
    { name: 'evidence.zip', bytes: big },
  ]);
  const before = Date.now();

  // Act
  const finalized = await h.as('x-corp-legal').post(finalizePath(opened), await signedFinalize(opened, signer));
  const answeredAt = Date.now();
  const submission = await pollUntilFiled(call, opened);

  // Assess: filed-at is the finalize's arrival, not the moment the hashing finished
  expect(finalized.status).toBe(202);
  expect(submission.body).toMatchObject({ status: 'filed', receipt: { onTime: true } });
  expect(submission.body.files[1]).toMatchObject({ upload: { kind: 'multipart' }, sha256: sha256(big) });
  const filedAt = Date.parse(submission.body.receipt.filedAt);
  expect(filedAt).toBeGreaterThanOrEqual(before);
  expect(filedAt).toBeLessThanOrEqual(answeredAt);
  const events = await submittedEvents(call, opened.noticeId);
  expect(events).toHaveLength(1);
  expect(events[0]!.data).toMatchObject({ receiptNumber: submission.body.receipt.number });
});
