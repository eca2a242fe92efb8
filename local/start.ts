import { resolve } from 'node:path';
import { z } from 'zod';
import { DEV_USERS } from './dev-identity-provider';
import { startPortal } from './portal';
import { buildWebApp, webBuildReason } from './web-build';

/** `npm start`: the whole portal offline, data kept in DATA_DIR across restarts. */
const LocalEnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DYNAMODB_PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  S3_PORT: z.coerce.number().int().min(0).max(65535).default(4569),
  DATA_DIR: z.string().min(1, 'must name a folder (unset it for .data)').default('.data'),
  /** `skip`: serve whatever web/dist holds (or the "not built" page) without building; for API-only use and tests. */
  WEB_BUILD: z.enum(['auto', 'skip']).default('auto'),
  /** How often a signed checkpoint of the changed chains is made, in milliseconds; 0 only on POST /dev/checkpoints/run. */
  CHECKPOINT_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  /** How often projection repair and pending verification run, in milliseconds (they also run once at start). */
  REPAIR_INTERVAL_MS: z.coerce.number().int().min(1).default(60_000),
  /** How often the reminder run runs, in milliseconds; 0 only on POST /dev/reminders/run. */
  REMINDER_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
});

/**
 * Node.js 20.19+ is supported locally (22 and 24 too; the Lambda functions run on 24). On Node 20 the AWS SDK
 * warns at every start, in several lines, that its releases after the first week of January 2027 will need Node
 * 22. That is a fact about future SDK releases, not a fault of this start, so `npm start` states it in one line and
 * uses the SDK's documented switch for that one warning (aws/aws-sdk-js-v3#7983); every other warning is left
 * alone. Setting AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED yourself (e.g. to `false`) is respected.
 */
const SDK_NODE_WARNING_SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
const SDK_NEXT_NODE_MAJOR = 22;

function nodeVersionNote(): string | undefined {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= SDK_NEXT_NODE_MAJOR || process.env[SDK_NODE_WARNING_SWITCH] !== undefined) return undefined;
  process.env[SDK_NODE_WARNING_SWITCH] = 'true';
  return `Node.js ${process.version} is supported; AWS SDK releases after the first week of January 2027 need Node.js ${SDK_NEXT_NODE_MAJOR} or later (README, "Node.js versions").`;
}

/** Builds web/dist first when it is missing or stale; a failed build stops `npm start` with the build's output. */
async function buildWebAppIfNeeded(mode: 'auto' | 'skip'): Promise<void> {
  const reason = mode === 'auto' ? webBuildReason() : undefined;
  if (reason === undefined) return;
  console.log(`Building the web app (npm run build:web) because ${reason} …`);
  try {
    await buildWebApp();
  } catch (error) {
    console.error(`The web app could not be built, so the portal was not started. ${(error as Error).message}`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const nodeNote = nodeVersionNote();
  const parsed = LocalEnvSchema.safeParse(process.env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`Invalid ${issue.path.join('.')}: ${issue.message}`);
    process.exit(2);
  }
  const settings = parsed.data;
  await buildWebAppIfNeeded(settings.WEB_BUILD);
  const started = Date.now();
  const dataDir = resolve(settings.DATA_DIR);
  const portal = await startPortal({
    dataDir,
    port: settings.PORT,
    dynamodbPort: settings.DYNAMODB_PORT,
    s3Port: settings.S3_PORT,
    checkpointIntervalMs: settings.CHECKPOINT_INTERVAL_MS,
    repairIntervalMs: settings.REPAIR_INTERVAL_MS,
    reminderIntervalMs: settings.REMINDER_INTERVAL_MS,
  });

  const users = DEV_USERS.map(
    (u) => `    ${u.username.padEnd(17)} ${u.groups.join(',')}${u.platformId ? ` (${u.platformId})` : ''}`,
  );
  console.log(
    [
      `Development users — get a token with: curl -s -X POST ${portal.url}/dev-idp/token/<user>`,
      ...users,
      ...(nodeNote ? [nodeNote] : []),
      `DynamoDB ${portal.dynamodbEndpoint} · S3 ${portal.s3Endpoint} · data in ${dataDir}`,
      `Notice portal ready in ${Date.now() - started} ms: API ${portal.url} · web app ${portal.url}/ (sign in as a seeded user) · OpenAPI ${portal.url}/openapi.json · Ctrl-C to stop`,
    ].join('\n'),
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal} received; stopping (data kept in ${dataDir}).`);
    await portal.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: Error & { code?: string }) => {
  if (error.code === 'EADDRINUSE') {
    console.error(`A port is already in use (${error.message}). Set PORT, DYNAMODB_PORT or S3_PORT to free ones.`);
  } else {
    console.error(`The portal could not start: ${error.message}`);
  }
  process.exit(1);
});
