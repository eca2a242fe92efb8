import * as z from '../domain/zod';
import { ENV, parseEnvironment } from './env';

/**
 * How every AWS SDK client the portal makes retries and times out, one entry per service, so that no client runs
 * on the SDK's defaults (which have no request or socket timeout at all: a connection that stalls would hold a
 * function until Lambda kills it, answering nothing). No SDK import: every function's bundle carries it.
 *
 * What each setting does (AWS SDK for JavaScript v3, `@smithy/node-http-handler`):
 * - `maxAttempts`: the first try plus retries. Retried: throttling (`ThrottlingException`,
 *   `ProvisionedThroughputExceededException`, S3 `SlowDown`, HTTP 429), transient errors (HTTP 500/502/503/504,
 *   `TimeoutError`, `ECONNRESET`, `EPIPE`, `ETIMEDOUT`, `ECONNREFUSED`). Never retried: the client's own mistakes
 *   (`ConditionalCheckFailedException`, `ValidationException`, 4xx other than throttling).
 * - `retryMode: 'standard'`: exponential back-off with full jitter (base 100 ms; throttling 500 ms) and a retry
 *   quota per client that stops retrying while a service is failing wholesale, instead of multiplying its load.
 * - `connectionTimeoutMs`: to establish the TCP (and TLS) connection.
 * - `requestTimeoutMs`: from sending the request to the response's headers; with `throwOnRequestTimeout` it fails
 *   the attempt (a `TimeoutError`, which is retried), rather than only logging a warning as the SDK does by default.
 * - `socketTimeoutMs`: the longest silence on the socket once connected, so a response body that stops streaming
 *   (a file being hashed) fails instead of hanging; a steady stream of any length is never cut.
 *
 * Budget: one call's worst case, `maxAttempts × (connection + request timeout)` plus back-off, stays below the
 * shortest timeout of the functions that make it (10 s for an API function, lib/constructs/portal-function.ts), so
 * a function whose store stalls still answers (a 5xx the client may retry with its Idempotency-Key) rather than
 * being killed mid-change. Writes that may have been applied before a lost answer are retried too: the stores make
 * that safe (a conditional write that finds its own item already in place counts as done, see
 * lambdas/adapters/dynamodb-items.ts and dynamodb-notice-store.ts).
 */
export interface SdkClientSettings {
  maxAttempts: number;
  retryMode: 'standard';
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
  socketTimeoutMs: number;
}

export type SdkService = 'dynamodb' | 's3' | 'ses' | 'kms' | 'cognito' | 'lambda';

export const SDK_CLIENT_SETTINGS: Readonly<Record<SdkService, Readonly<SdkClientSettings>>> = {
  /**
   * Single-digit milliseconds on AWS; an answer missing after 2 s is a lost connection, not a slow table.
   * 3 × (1 s + 2 s) + back-off ≈ 9.3 s < 10 s.
   */
  dynamodb: {
    maxAttempts: 3,
    retryMode: 'standard',
    connectionTimeoutMs: 1000,
    requestTimeoutMs: 2000,
    socketTimeoutMs: 2000,
  },
  /**
   * Object writes of up to 8 MiB per request from the portal itself (evidence-bundle parts; platforms' uploads go
   * straight to S3 with presigned URLs), small reads and HEAD / LIST / multipart control requests from API
   * functions, and whole files streamed to the hasher (15-minute functions). The request timeout runs until the
   * answer's headers, so it spans a part's upload: 4 s is 2 MiB/s, far below Lambda-to-S3 throughput. The socket
   * timeout ends a stream that stops, never a long one that flows. In a 10 s API function, a call that stalls
   * twice runs into the function's timeout; one stall is retried within it (5 s + back-off + a normal answer).
   * Presigning makes no request; its client has the same settings so that no client is left on the defaults.
   */
  s3: {
    maxAttempts: 3,
    retryMode: 'standard',
    connectionTimeoutMs: 1000,
    requestTimeoutMs: 4000,
    socketTimeoutMs: 4000,
  },
  /** One SendEmail per reminder inside a 5-minute run; a throttled send is retried, then the next run retries. */
  ses: {
    maxAttempts: 3,
    retryMode: 'standard',
    connectionTimeoutMs: 1000,
    requestTimeoutMs: 3000,
    socketTimeoutMs: 3000,
  },
  /** One Sign per receipt or token, inside a 10 s API function: 3 × (1 s + 2 s) + back-off < 10 s. */
  kms: {
    maxAttempts: 3,
    retryMode: 'standard',
    connectionTimeoutMs: 1000,
    requestTimeoutMs: 2000,
    socketTimeoutMs: 2000,
  },
  /** User administration from 10 s API functions: as KMS. */
  cognito: {
    maxAttempts: 3,
    retryMode: 'standard',
    connectionTimeoutMs: 1000,
    requestTimeoutMs: 2000,
    socketTimeoutMs: 2000,
  },
  /**
   * The asynchronous Invoke that starts an evidence-bundle build: one attempt, deliberately. A start that fails is
   * reported and the sweep builds the bundle when its lease ends, so a retry would only risk a second build.
   */
  lambda: {
    maxAttempts: 1,
    retryMode: 'standard',
    connectionTimeoutMs: 1000,
    requestTimeoutMs: 3000,
    socketTimeoutMs: 3000,
  },
};

const TimeoutEnv = z.object({ [ENV.sdkTimeoutScale]: z.optional(z.coerce.number().check(z.gte(1), z.lte(100))) });

/**
 * The client configuration for `service`: spread it first into the client's constructor. The timeouts are
 * multiplied by `SDK_TIMEOUT_SCALE` where that is set (the local portal's embedded stores; never on AWS).
 */
export function sdkClientConfig(service: SdkService, env: NodeJS.ProcessEnv = process.env) {
  const settings = SDK_CLIENT_SETTINGS[service];
  const scale = parseEnvironment(TimeoutEnv, env)[ENV.sdkTimeoutScale] ?? 1;
  return {
    maxAttempts: settings.maxAttempts,
    retryMode: settings.retryMode,
    requestHandler: {
      connectionTimeout: settings.connectionTimeoutMs * scale,
      requestTimeout: settings.requestTimeoutMs * scale,
      socketTimeout: settings.socketTimeoutMs * scale,
      throwOnRequestTimeout: true,
    },
  };
}
