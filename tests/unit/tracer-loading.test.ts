import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * Loads lambdas/observability/tracer.ts in a fresh Node process with `env` and reports whether the X-Ray SDK (and
 * its process-wide async hook) came with it and, where it did not, whether `traced` handed back the very client
 * it was given.
 */
function loadTracer(env: Record<string, string>): { xray: boolean; sameClient?: boolean } {
  const script = `
    const { traced } = require('./lambdas/observability/tracer');
    const client = { middlewareStack: { use() {}, add() {} }, config: {} };
    const xray = Object.keys(require.cache).some((path) => path.includes('aws-xray-sdk-core'));
    // A traced client needs a real SDK client: only asked where nothing would trace it.
    process.stdout.write(JSON.stringify({ xray, sameClient: xray ? undefined : traced(client) === client }));
  `;
  const base = { ...process.env };
  delete base.AWS_EXECUTION_ENV;
  delete base.POWERTOOLS_TRACE_ENABLED;
  const out = execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
    cwd: ROOT,
    env: { ...base, ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

describe('tracer loading', () => {
  it('leaves the X-Ray SDK unloaded outside Lambda, where Powertools would never trace', () => {
    expect(loadTracer({})).toEqual({ xray: false, sameClient: true });
  });

  it('leaves it unloaded in Lambda when tracing is switched off', () => {
    expect(loadTracer({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', POWERTOOLS_TRACE_ENABLED: 'false' })).toEqual({
      xray: false,
      sameClient: true,
    });
  });

  it('loads it in a Lambda execution environment, where Powertools decides', () => {
    const loaded = loadTracer({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR' });
    expect(loaded.xray).toBe(true);
  });
});
