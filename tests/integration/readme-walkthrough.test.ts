import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { verifyChain } from '../../lambdas/domain/notice-event';
import { type Harness, startHarness } from './support/portal-harness';

/** The README's curl walk-through, run verbatim (only the port differs) against a fresh local portal. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

function walkthroughScript(): string {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const block = /<!-- walkthrough:start -->\s*```sh\n([\s\S]*?)```\s*<!-- walkthrough:end -->/.exec(readme);
  const script = block?.[1];
  if (script === undefined) throw new Error('README.md has no walkthrough block');
  return script;
}

it('works exactly as written: issue as the regulator, see and acknowledge as the platform', async () => {
  const script = walkthroughScript().replace('API=http://127.0.0.1:4000', `API=${h.portal.url}`);

  const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', `${script}\necho; echo "$NOTICE"`]);

  const noticeId = stdout.trim().split('\n').pop() as string;
  const notice = await h.as('officer').get(`/notices/${noticeId}`);
  const history = await h.as('officer').get(`/notices/${noticeId}/history`);
  expect(notice.body).toMatchObject({ status: 'acknowledged', platformId: 'x-corp' });
  expect(history.body.items.map((e: { kind: string }) => e.kind)).toEqual(['created', 'issued', 'acknowledged']);
  expect(verifyChain(history.body.items)).toEqual({ valid: true });
  expect(stdout).toContain('"status":"acknowledged"');
});
