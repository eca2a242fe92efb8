import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as forward, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningService, startS3rver } from '../../local/embedded-services';
import { startPortalProcess } from './support/portal-process';
import {
  type Call,
  finalizePath,
  openAndUpload,
  pollUntilFiled,
  registeredSigner,
  signedFinalize,
  submittedEvents,
} from './support/response-filing';

/**
 * `kill -9` while a finalize is verifying: the portal (a child process, as `npm start` runs it) is killed while
 * it reads a stored file to hash it, then started again on the same data folder. The response must be filed
 * exactly once, with the finalize's filed-at, without the client doing anything.
 *
 * To kill it at that moment every time, the portal's S3 is an s3rver behind a small proxy that holds back object
 * downloads (the hash's read) while told to: the portal is then certainly past its `finalizing` write and mid-hash.
 */
const callTo =
  (url: string): Call =>
  async (user, method, path, body) => {
    const token = await (await fetch(`${url}/dev-idp/token/${user}`, { method: 'POST' })).text();
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };

/** Forwards everything to `upstream`; while `hold` is set, object GETs are accepted and never answered. */
async function holdingProxy(upstream: string) {
  const state = { hold: true, held: [] as IncomingMessage[], onHeld: () => {} };
  const target = new URL(upstream);
  const server: Server = createServer((req, res) => {
    if (state.hold && req.method === 'GET' && /\/notices\/ntc_/.test(req.url ?? '')) {
      state.held.push(req);
      state.onHeld();
      return;
    }
    const upstreamRequest = forward(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (upstreamResponse) => {
        res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.pipe(res);
      },
    );
    upstreamRequest.on('error', () => res.destroy());
    req.pipe(upstreamRequest);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const held = new Promise<void>((resolve) => {
    state.onHeld = resolve;
  });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    state,
    held,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let s3: RunningService;
let proxy: Awaited<ReturnType<typeof holdingProxy>>;
const folder = mkdtempSync(join(tmpdir(), 'notice-portal-crash-'));
const children: ChildProcess[] = [];
beforeAll(async () => {
  s3 = await startS3rver(join(folder, 's3'), 0, []);
  proxy = await holdingProxy(s3.endpoint);
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await proxy?.close();
  await s3?.stop();
  rmSync(folder, { recursive: true, force: true });
});

it('files a response exactly once after the portal is killed mid-verification and restarted', async () => {
  // Prepare: the first portal process, its upload done, and a finalize that gets as far as reading the file
  const env = {
    DATA_DIR: join(folder, 'portal'),
    AWS_ENDPOINT_URL_S3: proxy.endpoint,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
  };
  const first = await startPortalProcess(env, { loader: 'in-process' });
  children.push(first.child);
  const firstCall = callTo(first.url);
  const signer = await registeredSigner(firstCall);
  const opened = await openAndUpload(firstCall, [
    { name: 'response.pdf', bytes: Buffer.from('%PDF-1.7\nAnswers to the transparency notice\n%%EOF\n') },
  ]);
  const body = await signedFinalize(opened, signer);
  const sentAt = Date.now();
  const finalizing = firstCall('x-corp-legal', 'POST', finalizePath(opened), body).catch((error: Error) => error);
  let giveUp: NodeJS.Timeout | undefined;
  await Promise.race([
    proxy.held,
    new Promise((_, reject) => {
      giveUp = setTimeout(() => reject(new Error('the finalize never read the file to hash it')), 10_000);
    }),
  ]);
  clearTimeout(giveUp);
  const heldAt = Date.now();
  const stuck = await firstCall(
    'x-corp-legal',
    'GET',
    `/notices/${opened.noticeId}/submissions/${opened.submissionId}`,
  );

  // Act: kill -9 mid-hash, then start again on the same data folder; the client does nothing more but look
  const exited = new Promise((resolve) => first.child.once('exit', resolve));
  first.child.kill('SIGKILL');
  await exited;
  await finalizing;
  proxy.state.hold = false;
  const second = await startPortalProcess(env, { loader: 'in-process' });
  children.push(second.child);
  const secondCall = callTo(second.url);
  const submission = await pollUntilFiled(secondCall, opened);
  const events = await submittedEvents(secondCall, opened.noticeId);
  const stopped = new Promise((resolve) => second.child.once('exit', resolve));
  second.child.kill('SIGINT');
  await stopped;

  // Assess
  expect(stuck.body.status).toBe('finalizing');
  expect(stuck.body.files[0].sha256).toBeUndefined();
  expect(Object.keys(stuck.body)).not.toContain('pendingProjection');
  expect(submission.body).toMatchObject({ status: 'filed', receipt: { onTime: true } });
  const filedAt = Date.parse(submission.body.receipt.filedAt);
  // Filed-at is when the first process received the finalize, not when the second one finished hashing.
  expect(filedAt).toBeGreaterThanOrEqual(sentAt);
  expect(filedAt).toBeLessThanOrEqual(heldAt);
  expect(events).toHaveLength(1);
  expect(events[0]!.data).toMatchObject({ receiptNumber: submission.body.receipt.number });
  expect(second.output()).toMatch(/"message":"pending submission picked up".*"submissionId":"sub_/);
  expect(second.output()).toMatch(/"message":"pending submission filed"/);
});
