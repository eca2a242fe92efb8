import { resolve } from 'node:path';
import { z } from 'zod';
import { DEV_USERS } from './dev-identity-provider';
import { startPortal } from './portal';

/** `npm start`: the whole portal offline, data kept in DATA_DIR across restarts. */
const LocalEnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DYNAMODB_PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  S3_PORT: z.coerce.number().int().min(0).max(65535).default(4569),
  DATA_DIR: z.string().default('.data'),
});

async function main(): Promise<void> {
  const parsed = LocalEnvSchema.safeParse(process.env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`Invalid ${issue.path.join('.')}: ${issue.message}`);
    process.exit(2);
  }
  const settings = parsed.data;
  const started = Date.now();
  const dataDir = resolve(settings.DATA_DIR);
  const portal = await startPortal({
    dataDir,
    port: settings.PORT,
    dynamodbPort: settings.DYNAMODB_PORT,
    s3Port: settings.S3_PORT,
  });

  const users = DEV_USERS.map(
    (u) => `    ${u.username.padEnd(17)} ${u.groups.join(',')}${u.platformId ? ` (${u.platformId})` : ''}`,
  );
  console.log(
    [
      `Development users — get a token with: curl -s -X POST ${portal.url}/dev-idp/token/<user>`,
      ...users,
      `DynamoDB ${portal.dynamodbEndpoint} · S3 ${portal.s3Endpoint} · data in ${dataDir}`,
      `Notice portal ready in ${Date.now() - started} ms: API ${portal.url} · OpenAPI ${portal.url}/openapi.json · Ctrl-C to stop`,
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
