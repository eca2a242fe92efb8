import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

describe("the web app's API types", () => {
  it('are exactly what the generator makes from the current OpenAPI document', () => {
    // Prepare / Act: the generator in check mode (openapi-typescript is ESM, so it runs in its own process).
    const run = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'web/scripts/generate-api-types.mts', '--check'],
      { cwd: ROOT, encoding: 'utf8' },
    );

    // Assess: a handler schema changed without `npm run generate:api` fails here, naming the fix.
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
