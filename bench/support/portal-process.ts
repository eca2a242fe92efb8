/**
 * The local portal in a process of its own, for bench/evidence-bundle.ts: the parent reads this process's peak RSS
 * from /proc/<pid>/status (VmHWM), so what it measures is the portal — its handlers, the evidence bundle builder
 * and the embedded DynamoDB and S3 it streams from and to — and nothing of the benchmark driving it.
 *
 *   node --require tsx/cjs bench/support/portal-process.ts DATA_DIR
 *
 * Prints one JSON line `{"url": …}` when it answers requests, and stops the portal on SIGTERM.
 */
import { startPortal } from '../../local/portal';

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
    logLevel: 'error',
    reminderIntervalMs: 0,
    checkpointIntervalMs: 0,
  });
  process.once('SIGTERM', () => {
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
