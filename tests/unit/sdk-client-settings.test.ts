import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { SDK_CLIENT_SETTINGS, sdkClientConfig } from '../../lambdas/config/sdk-clients';

/**
 * Every AWS SDK client the portal makes takes its retry and timeout settings from lambdas/config/sdk-clients.ts
 * (their behaviour against the stores is tested in tests/integration/sdk-retry-settings.test.ts), and one call's
 * worst case fits in the functions that make it.
 */
const ROOT = join(__dirname, '..', '..');
const SOURCES = ['lambdas', 'local', 'ops', 'cli'];
const CLIENT = /new (S3|DynamoDB|SESv2|KMS|CognitoIdentityProvider|Lambda)Client\(/g;
/** The shortest function timeout (an API function, lib/constructs/portal-function.ts). */
const API_FUNCTION_TIMEOUT_MS = 10_000;
/**
 * Standard mode's back-off before retry i (0-based) is below 2^i × 100 ms for a transient error such as a timeout
 * (2^i × 500 ms after throttling, but a throttled attempt is answered at once, so a timed-out one costs more).
 */
const backoffCeilingMs = (retries: number) =>
  Array.from({ length: retries }, (_, i) => 100 * 2 ** i).reduce((a, b) => a + b, 0);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('SDK client settings', () => {
  it('are passed to every AWS SDK client the portal constructs', () => {
    const unset: string[] = [];
    let clients = 0;
    for (const file of SOURCES.flatMap((dir) => sourceFiles(join(ROOT, dir)))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(CLIENT)) {
        clients += 1;
        const call = text.slice(match.index, text.indexOf(')', match.index + match[0].length) + 1);
        if (!call.includes('sdkClientConfig(')) unset.push(`${relative(ROOT, file)}: ${call}`);
      }
    }

    expect(clients).toBeGreaterThanOrEqual(10);
    expect(unset).toEqual([]);
  });

  it('bound one call to less than an API function’s timeout where API functions make it', () => {
    for (const service of ['dynamodb', 'kms', 'cognito'] as const) {
      const s = SDK_CLIENT_SETTINGS[service];
      const worst = s.maxAttempts * (s.connectionTimeoutMs + s.requestTimeoutMs) + backoffCeilingMs(s.maxAttempts - 1);
      expect({ service, fits: worst < API_FUNCTION_TIMEOUT_MS }).toEqual({ service, fits: true });
    }
  });

  it('make request timeouts fail the attempt (so it is retried) instead of only logging a warning', () => {
    for (const service of Object.keys(SDK_CLIENT_SETTINGS) as (keyof typeof SDK_CLIENT_SETTINGS)[]) {
      const config = sdkClientConfig(service);
      expect(config.retryMode).toBe('standard');
      expect(config.requestHandler.throwOnRequestTimeout).toBe(true);
      expect(config.requestHandler.requestTimeout).toBeGreaterThan(0);
      expect(config.requestHandler.socketTimeout).toBeGreaterThan(0);
    }
  });
});
