/**
 * The local portal in a process of its own, for bench/evidence-bundle.ts: the parent reads this process's peak RSS
 * from /proc/<pid>/status (VmHWM), so what it measures is the portal — its handlers, the evidence bundle builder
 * and the embedded DynamoDB and S3 it streams from and to — and nothing of the benchmark driving it.
 *
 *   node --require tsx/cjs bench/support/portal-process.ts DATA_DIR
 *
 * Prints one JSON line `{"url": …}` when it answers requests, and stops the portal on SIGTERM. With
 * AWS_ENDPOINT_URL_DYNAMODB / _S3 set (bench/support/storage-process.ts) it starts no servers of its own.
 *
 * With MEMORY_SAMPLES_FILE set it samples process.memoryUsage() every 50 ms and, on SIGTERM, writes the highest
 * value of each field (and the first sample) there as JSON: VmHWM says how much, these say which kind of memory.
 */
import { writeFileSync } from 'node:fs';
import { startPortal } from '../../local/portal';

type Usage = Pick<NodeJS.MemoryUsage, 'rss' | 'heapUsed' | 'external' | 'arrayBuffers'>;

function sampleMemory(file: string): () => void {
  const read = (): Usage => {
    const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
    return { rss, heapUsed, external, arrayBuffers };
  };
  const first = read();
  const peak = { ...first };
  const timer = setInterval(() => {
    const now = read();
    for (const key of Object.keys(peak) as (keyof Usage)[]) peak[key] = Math.max(peak[key], now[key]);
  }, 50);
  timer.unref();
  return () => {
    clearInterval(timer);
    writeFileSync(file, JSON.stringify({ first, peak }));
  };
}

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: portal-process.ts DATA_DIR');
  // One line about future SDK releases on Node 20, not about this run (local/start.ts says the same).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // As the integration tests run it: free ports; reminders and checkpoints only when the benchmark asks, so no
  // background run lands inside the export being measured.
  const portal = await startPortal({
    dataDir,
    port: 0,
    dynamodbPort: 0,
    s3Port: 0,
    // bench/local-api.ts measures at the level the portal runs at by default (info); others keep their runs quiet.
    logLevel: (process.env.BENCH_PORTAL_LOG_LEVEL as 'debug' | 'info' | 'warn' | 'error' | undefined) ?? 'error',
    reminderIntervalMs: 0,
    checkpointIntervalMs: 0,
  });
  const samplesFile = process.env.MEMORY_SAMPLES_FILE;
  const writeSamples = samplesFile ? sampleMemory(samplesFile) : () => {};
  process.once('SIGTERM', () => {
    writeSamples();
    portal.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  process.stdout.write(`${JSON.stringify({ url: portal.url })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
