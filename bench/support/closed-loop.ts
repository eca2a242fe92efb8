/**
 * A closed-loop load generator: `connections` workers, each sending its next request only when the previous one
 * has been answered (as a pool of clients does), so the rate measured is what the server sustains at that
 * concurrency, not what was offered. The caller's `send` does one request; over HTTP give it an agent with
 * keep-alive and `maxSockets: connections` ({@link keepAliveAgent}) so each worker reuses its connection.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface LoadResult {
  connections: number;
  requests: number;
  /** Requests whose `send` threw (not counted in the latencies). */
  errors: number;
  firstError?: string;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export interface LoadPlan {
  connections: number;
  /** Stop after this much measured time (a time-boxed run)… */
  durationMs?: number;
  /** …or after exactly this many requests, each given its own index (a run over prepared items). */
  requests?: number;
  /** Time-boxed runs only: requests sent (and discarded) before measuring. @default 1000 */
  warmupMs?: number;
  /** One request; `index` is 0…requests-1 in a counted run (each item used once), a running count otherwise. */
  send: (index: number) => Promise<void>;
  /** Called when the measured part begins (after the warm-up), e.g. to read the processes' CPU clocks. */
  onMeasuring?: () => void;
}

export function keepAliveAgent(connections: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
}

export async function closedLoop(plan: LoadPlan): Promise<LoadResult> {
  if ((plan.durationMs === undefined) === (plan.requests === undefined)) {
    throw new Error('closedLoop: give exactly one of durationMs and requests');
  }
  if (plan.durationMs !== undefined) {
    const warmupMs = plan.warmupMs ?? 1000;
    if (warmupMs > 0) await run(plan, { until: performance.now() + warmupMs }, []);
  }
  const latencies: number[] = [];
  plan.onMeasuring?.();
  const started = performance.now();
  const outcome = await run(
    plan,
    plan.durationMs !== undefined ? { until: started + plan.durationMs } : { count: plan.requests ?? 0 },
    latencies,
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    connections: plan.connections,
    requests: latencies.length,
    errors: outcome.errors,
    firstError: outcome.firstError,
    seconds,
    requestsPerSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
  };
}

async function run(
  plan: LoadPlan,
  stop: { until?: number; count?: number },
  latencies: number[],
): Promise<{ errors: number; firstError?: string }> {
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const more = () => (stop.count !== undefined ? next < stop.count : performance.now() < (stop.until ?? 0));
  const worker = async () => {
    while (more()) {
      const index = next++;
      const sent = performance.now();
      try {
        await plan.send(index);
        latencies.push(performance.now() - sent);
      } catch (error) {
        errors++;
        firstError ??= String((error as Error)?.message ?? error);
      }
    }
  };
  await Promise.all(Array.from({ length: plan.connections }, worker));
  return { errors, firstError };
}

/** Nearest-rank percentile of sorted values (NaN when there are none). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
}

export interface HttpAnswer {
  status: number;
  body: string;
}

/** One HTTP request over `agent`, the whole body read; rejects on a network error. */
export function httpRequest(
  agent: Agent,
  url: URL,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        agent,
        method,
        headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
