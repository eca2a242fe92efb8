import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynalite, startS3rver } from '../../local/embedded-services';
import { transparencyDraft } from './support/portal-harness';
import { PORTAL_START_BUDGET_MS, portalProcessTimeout, startPortalProcess } from './support/portal-process';

/**
 * `npm start` as a user runs it: a separate process that prints one ready line, keeps its data folder across
 * restarts, honours the SDK endpoint variables and stops cleanly on Ctrl-C (SIGINT).
 *
 * Each test's timeout is counted from the starts it makes (support/portal-process.ts, `portalProcessTimeout`): a
 * start is seconds of CPU, and on a loaded 2-core machine jest's default 30 s once ran out between the two starts
 * of the restart test. A start that fails says so, with the portal's output, and leaves no process behind.
 */
const ROOT = join(__dirname, '..', '..');

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

it(
  'keeps notices across a Ctrl-C and restart on the same data folder',
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'notice-portal-process-'));
    try {
      const first = await startPortalProcess({ DATA_DIR: dataDir });
      const draft = await call(first.url, 'officer', 'POST', '/notices', transparencyDraft('x-corp'));
      await call(first.url, 'officer', 'POST', `/notices/${draft.body.id}/issue`);
      const firstExit = await first.stop();

      const second = await startPortalProcess({ DATA_DIR: dataDir });
      const seen = await call(second.url, 'x-corp-legal', 'GET', `/notices/${draft.body.id}`);
      const secondExit = await second.stop();

      expect(firstExit).toBe(0);
      expect(first.output()).toMatch(/SIGINT received; stopping/);
      expect(seen.status).toBe(200);
      expect(seen.body.status).toBe('issued');
      expect(secondExit).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
  portalProcessTimeout(2),
);

it(
  'uses the services named by AWS_ENDPOINT_URL_DYNAMODB and AWS_ENDPOINT_URL_S3 instead of its own',
  async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'notice-portal-external-'));
    const dynamo = await startDynalite(join(elsewhere, 'ddb'), 0);
    const s3 = await startS3rver(join(elsewhere, 's3'), 0, []);
    try {
      const started = await startPortalProcess({
        DATA_DIR: join(elsewhere, 'portal'),
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
        AWS_ENDPOINT_URL_S3: s3.endpoint,
        AWS_ACCESS_KEY_ID: 'S3RVER',
        AWS_SECRET_ACCESS_KEY: 'S3RVER',
      });
      const created = await call(started.url, 'officer', 'POST', '/notices', transparencyDraft('x-corp'));
      await started.stop();

      expect(started.output()).toContain(`DynamoDB ${dynamo.endpoint} · S3 ${s3.endpoint}`);
      expect(created.status).toBe(201);
    } finally {
      await dynamo.stop();
      await s3.stop();
      rmSync(elsewhere, { recursive: true, force: true });
    }
  },
  portalProcessTimeout(1),
);

it(
  'refuses an empty DATA_DIR instead of writing its data into the current folder',
  async () => {
    // Prepare: a folder to start in, so that anything written there is seen
    const cwd = mkdtempSync(join(tmpdir(), 'portal-empty-data-dir-'));
    try {
      // Act
      const result = spawnSync(process.execPath, [require.resolve('tsx/cli'), join(ROOT, 'local/start.ts')], {
        cwd,
        env: { ...process.env, DATA_DIR: '', PORT: '0', DYNAMODB_PORT: '0', S3_PORT: '0' },
        encoding: 'utf8',
        // It loads the portal's modules before it reads DATA_DIR: as long as a start may take.
        timeout: PORTAL_START_BUDGET_MS,
      });

      // Assess
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('Invalid DATA_DIR: must name a folder');
      expect(readdirSync(cwd)).toEqual([]);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  },
  portalProcessTimeout(1),
);
