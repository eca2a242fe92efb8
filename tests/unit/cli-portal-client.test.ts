import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runCli } from '../../cli/cli';
import { memoryIo } from '../../cli/io';
import { ApiError, PortalClient } from '../../cli/portal-client';

/** How the CLI reports what the portal refused: its message, one line per field issue, and exit status 1. */
let server: Server;
let base: string;
let reply: { status: number; body: unknown };

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(reply.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const refusal = {
  error: {
    code: 'validation-failed',
    message: 'The manifest does not match this notice and submission.',
    issues: [
      { path: 'manifest.answers', message: 'question 2 is unanswered; answer it or say why it cannot be answered' },
      { path: 'signature', message: 'was made with key abc, which is not registered for this platform' },
    ],
    requestId: 'req-1',
  },
};

it("turns a refused finalize into the portal's message and one line per issue", async () => {
  reply = { status: 400, body: refusal };
  const client = new PortalClient(base, 'token');

  const finalizing = client.finalize('ntc_1', 'sub_1', { manifest: {}, signature: 'a..b' }, 'finalize-key-1');

  await expect(finalizing).rejects.toBeInstanceOf(ApiError);
  await expect(finalizing).rejects.toMatchObject({
    status: 400,
    code: 'validation-failed',
    message:
      'The portal refused POST /notices/ntc_1/submissions/sub_1/finalize (400 validation-failed): The manifest does not match this notice and submission.',
    details: [
      'manifest.answers: question 2 is unanswered; answer it or say why it cannot be answered',
      'signature: was made with key abc, which is not registered for this platform',
      'request id: req-1',
    ],
  });
});

it('refuses an answer that does not match the contract instead of passing it on', async () => {
  reply = { status: 200, body: { status: 'filed' } };

  await expect(
    new PortalClient(base, 't').finalize('ntc_1', 'sub_1', { manifest: {}, signature: 'a..b' }, 'k-12345678'),
  ).rejects.toThrow(/not what this tool expects/);
});

it('prints a failure on stderr only, without a stack trace unless --debug, and exits 1', async () => {
  const run = async (extra: string[]) => {
    const io = memoryIo({ NOTICE_PORTAL_API: base, NOTICE_PORTAL_TOKEN: 't' });
    const code = await runCli(['verify-receipt', '/nonexistent/receipt.jws', ...extra], io);
    return { code, stdout: io.stdout, stderr: io.stderr };
  };

  const plain = await run([]);
  const debug = await run(['--debug']);

  expect(plain).toEqual({
    code: 1,
    stdout: '',
    stderr: 'error: The receipt /nonexistent/receipt.jws does not exist.\n',
  });
  expect(debug.code).toBe(1);
  expect(debug.stderr).toMatch(/^error: The receipt .* does not exist\.\n.*\n\s+at /s);
});

it('exits 2 with a pointer to --help for wrong usage, and 0 for --help itself', async () => {
  const io = memoryIo();

  expect(await runCli(['submit', '--notice', 'ntc_01JZ8Q4W5X6Y7Z8A9B0C1D2E3F'], io)).toBe(2);
  expect(io.stderr).toBe('error: --dir is required.\n  See: notice-portal submit --help\n');
  expect(await runCli(['submit', '--help'], io)).toBe(0);
  expect(io.stdout).toMatch(/^Usage: notice-portal submit /);
});
