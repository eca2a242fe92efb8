import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynalite, startS3rver } from '../../local/embedded-services';
import { transparencyDraft } from './support/portal-harness';

/**
 * `npm start` as a user runs it: a separate process that prints one ready line, keeps its data folder across
 * restarts, honours the SDK endpoint variables and stops cleanly on Ctrl-C (SIGINT).
 */
interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

const ROOT = join(__dirname, '..', '..');

async function startProcess(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'local/start.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', DYNAMODB_PORT: '0', S3_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in 20 s:\n${output}`)), 20_000);
    const check = () => {
      const match = /Notice portal ready in \d+ ms: API (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      const url = match?.[1];
      if (url !== undefined) {
        clearTimeout(timer);
        resolve(url);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before ready:\n${output}`)));
  });
  return { child, url, output: () => output };
}

async function stopProcess(started: Started): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => started.child.once('exit', (code) => resolve(code)));
  started.child.kill('SIGINT');
  return exited;
}

async function token(url: string, user: string): Promise<string> {
  return (await fetch(`${url}/dev-idp/token/${user}`, { method: 'POST' })).text();
}

async function call(url: string, user: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${await token(url, user)}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

it('keeps notices across a Ctrl-C and restart on the same data folder', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'notice-portal-process-'));
  try {
    const first = await startProcess({ DATA_DIR: dataDir });
    const draft = await call(first.url, 'officer', 'POST', '/notices', transparencyDraft('x-corp'));
    await call(first.url, 'officer', 'POST', `/notices/${draft.body.id}/issue`);
    const firstExit = await stopProcess(first);

    const second = await startProcess({ DATA_DIR: dataDir });
    const seen = await call(second.url, 'x-corp-legal', 'GET', `/notices/${draft.body.id}`);
    const secondExit = await stopProcess(second);

    expect(firstExit).toBe(0);
    expect(first.output()).toMatch(/SIGINT received; stopping/);
    expect(seen.status).toBe(200);
    expect(seen.body.status).toBe('issued');
    expect(secondExit).toBe(0);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

it('uses the services named by AWS_ENDPOINT_URL_DYNAMODB and AWS_ENDPOINT_URL_S3 instead of its own', async () => {
  const elsewhere = mkdtempSync(join(tmpdir(), 'notice-portal-external-'));
  const dynamo = await startDynalite(join(elsewhere, 'ddb'), 0);
  const s3 = await startS3rver(join(elsewhere, 's3'), 0, []);
  try {
    const started = await startProcess({
      DATA_DIR: join(elsewhere, 'portal'),
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
    });
    const created = await call(started.url, 'officer', 'POST', '/notices', transparencyDraft('x-corp'));
    await stopProcess(started);

    expect(started.output()).toContain(`DynamoDB ${dynamo.endpoint} · S3 ${s3.endpoint}`);
    expect(created.status).toBe(201);
  } finally {
    await dynamo.stop();
    await s3.stop();
    rmSync(elsewhere, { recursive: true, force: true });
  }
});

it('refuses an empty DATA_DIR instead of writing its data into the current folder', async () => {
  // Prepare: a folder to start in, so that anything written there is seen
  const cwd = mkdtempSync(join(tmpdir(), 'portal-empty-data-dir-'));
  try {
    // Act
    const result = spawnSync(process.execPath, [require.resolve('tsx/cli'), join(ROOT, 'local/start.ts')], {
      cwd,
      env: { ...process.env, DATA_DIR: '', PORT: '0', DYNAMODB_PORT: '0', S3_PORT: '0' },
      encoding: 'utf8',
      timeout: 20_000,
    });

    // Assess
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Invalid DATA_DIR: must name a folder');
    expect(readdirSync(cwd)).toEqual([]);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});
