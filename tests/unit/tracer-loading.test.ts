import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

interface Loaded {
  /** Any module of the X-Ray SDK, its cls-hooked, or Powertools Tracer loaded. */
  xraySdk: boolean;
  /** Async hooks created by anything loaded (the X-Ray SDK's cls-hooked made one, process-wide). */
  asyncHooks: number;
  /** `traced` handed back the very client it was given, without a middleware of ours. */
  untouched: boolean;
  /** The client's middleware includes the portal's X-Ray middleware. */
  instrumented: boolean;
}

/**
 * Loads lambdas/observability/tracer.ts in a fresh Node process with `env`, passes a real AWS SDK client through
 * `traced`, and reports what came with it: the X-Ray SDK (which Powertools Tracer used to load), any async hook
 * (counted by wrapping async_hooks.createHook before anything is loaded), and whether the client was instrumented.
 */
function loadTracer(env: Record<string, string>): Loaded {
  const script = `
    const asyncHooks = require('node:async_hooks');
    let created = 0;
    const createHook = asyncHooks.createHook;
    asyncHooks.createHook = (...args) => { created += 1; return createHook(...args); };
    const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
    const { traced } = require('./lambdas/observability/tracer');
    const client = new DynamoDBClient({ region: 'ap-southeast-2' });
    const before = client.middlewareStack.identify().length;
    const same = traced(client);
    const names = client.middlewareStack.identify();
    const xraySdk = Object.keys(require.cache).some((path) =>
      /aws-xray-sdk|cls-hooked|@aws-lambda-powertools[\\\\/]tracer/.test(path),
    );
    process.stdout.write(JSON.stringify({
      xraySdk,
      asyncHooks: created,
      untouched: same === client && names.length === before,
      instrumented: names.some((name) => name.startsWith('PortalXRayTracing')),
    }));
  `;
  const base = { ...process.env };
  delete base.AWS_EXECUTION_ENV;
  delete base.POWERTOOLS_TRACE_ENABLED;
  const out = execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
    cwd: ROOT,
    env: { ...base, AWS_REGION: 'ap-southeast-2', ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

describe('tracer loading', () => {
  it('outside Lambda, leaves every client untouched and installs no async hook', () => {
    expect(loadTracer({})).toEqual({ xraySdk: false, asyncHooks: 0, untouched: true, instrumented: false });
  });

  it('in Lambda with tracing switched off (POWERTOOLS_TRACE_ENABLED=false), does the same', () => {
    expect(loadTracer({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', POWERTOOLS_TRACE_ENABLED: 'false' })).toEqual({
      xraySdk: false,
      asyncHooks: 0,
      untouched: true,
      instrumented: false,
    });
  });

  it('in Lambda, instruments the client with its own middleware, still without the X-Ray SDK or an async hook', () => {
    expect(loadTracer({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x' })).toEqual({
      xraySdk: false,
      asyncHooks: 0,
      untouched: false,
      instrumented: true,
    });
  });
});
