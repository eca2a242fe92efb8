import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { DevUserRegistry } from '../lambdas/adapters/dev-user-registry';
import { documentClient, dynamoDbClient } from '../lambdas/adapters/dynamodb-client';
import { DynamoDbDirectoryStore } from '../lambdas/adapters/dynamodb-directory-store';
import { OutboxMailer } from '../lambdas/adapters/outbox-mailer';
import { ROUTES } from '../lambdas/api/routes';
import { ENV } from '../lambdas/config/env';
import { sdkClientConfig } from '../lambdas/config/sdk-clients';
import { SYSTEM_ACTOR } from '../lambdas/domain/caller';
import { logger } from '../lambdas/observability/logger';
import { METRIC_NAMESPACE, METRIC_SERVICE } from '../lambdas/observability/metric-names';
import { now } from '../lambdas/runtime/clock';
import { BackgroundJobs } from './background-jobs';
import { restoreDevClock } from './dev-clock';
import { createDevIdentityProvider, DEV_PLATFORMS, DEV_USERS, type DevIdentityProvider } from './dev-identity-provider';
import { IDP_PREFIX } from './dev-identity-routes';
import { createDevOidc } from './dev-oidc-routes';
import {
  dataPaths,
  ensureBucket,
  ensureBucketCors,
  ensureTable,
  type RunningService,
  startDynalite,
  startS3rver,
} from './embedded-services';
import type { V2Handler } from './http-adapter';
import { type PortalState, portalRequestListener } from './portal-requests';
import { startS3SignatureGuard } from './s3-signature-guard';
import { WebApp } from './web-app';

/**
 * The whole portal on one machine: embedded DynamoDB and S3 (unless AWS_ENDPOINT_URL_DYNAMODB / _S3 point
 * elsewhere), the development identity provider, and the deployed Lambda handlers behind a small HTTP server.
 * `npm start` and the integration tests both run it through `startPortal`.
 */
export interface PortalOptions {
  dataDir: string;
  /** API port; 0 picks a free one. @default 4000 */
  port?: number;
  /** Embedded DynamoDB port, when no external endpoint is configured. @default 8000 */
  dynamodbPort?: number;
  /** Embedded S3 port, when no external endpoint is configured. @default 4569 */
  s3Port?: number;
  tableName?: string;
  bucketName?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /**
   * Write the business metrics as CloudWatch EMF lines to stdout, as a Lambda function does (tests that check
   * them); otherwise they are discarded, so a terminal running the portal is not filled with them.
   * @default false
   */
  emitMetrics?: boolean;
  /**
   * How often committed-but-unprojected changes are repaired and submissions still owed hashing or filing work are
   * verified (the pending-verification job also runs at start and after every finalize that answers 202).
   * @default 60000
   */
  repairIntervalMs?: number;
  /** How often the reminder run runs (as EventBridge runs it on AWS); 0 turns it off. @default 60000 */
  reminderIntervalMs?: number;
  /**
   * How often the checkpoint run signs a checkpoint of the chains changed since the last one (every 5 minutes on
   * AWS); 0 turns it off (`POST /dev/checkpoints/run` still runs it). @default 60000
   */
  checkpointIntervalMs?: number;
  /** The built web app served on the portal's origin (`npm run build:web`). @default `<repo>/web/dist` */
  webDistDir?: string;
}

/** Where `npm run build:web` (vite) writes the app. */
export const DEFAULT_WEB_DIST = join(__dirname, '..', 'web', 'dist');

export interface RunningPortal {
  url: string;
  dynamodbEndpoint: string;
  s3Endpoint: string;
  tableName: string;
  bucketName: string;
  identity: DevIdentityProvider;
  outbox: OutboxMailer;
  stop(): Promise<void>;
}

export async function startPortal(options: PortalOptions): Promise<RunningPortal> {
  const env = process.env;
  const tableName = options.tableName ?? env[ENV.tableName] ?? 'notice-portal-local';
  const bucketName = options.bucketName ?? 'notice-portal-responses-local';
  const paths = dataPaths(options.dataDir);
  const services: RunningService[] = [];
  const state: PortalState = { handlers: new Map() };
  let server: Server | undefined;
  let jobs: BackgroundJobs | undefined;

  // Work a request or a storage event started still runs after the server stops taking connections (closing a
  // socket does not stop its handler): `stop` waits for it, so none meets a store that has gone — dynalite throws,
  // uncaught, when a closed database is read.
  const inFlight = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>): void => {
    inFlight.add(work);
    work.then(
      () => inFlight.delete(work),
      () => inFlight.delete(work),
    );
  };
  const stop = async () => {
    // A run that is hashing finishes (or fails) before the servers it reads from go away.
    await jobs?.stop();
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server?.close(() => resolve()));
    }
    await settle(inFlight, IN_FLIGHT_STOP_BUDGET_MS);
    for (const service of services.reverse()) await service.stop();
  };

  try {
    scaleSdkTimeouts(env);
    // Before anything reads the clock: a restart carries on from a clock moved by POST /dev/clock, never back.
    mkdirSync(options.dataDir, { recursive: true });
    restoreDevClock(paths.clock);
    const outboxDir = env[ENV.outboxDir] ?? paths.outbox;
    // The local portal states its development settings itself: deployed functions have no defaults to fall back on.
    const mailSender = env[ENV.mailSender] ?? 'notices@regulator.example';
    env[ENV.mailSender] = mailSender;
    const outbox = new OutboxMailer(outboxDir, mailSender, now);
    // Listening first (503 until ready) fixes the portal's origin, which the bucket's CORS rule names.
    const listener = portalRequestListener(state, { outbox, clockFile: paths.clock });
    server = createServer((request, response) => track(listener(request, response)));
    const url = await listen(server, options.port ?? 4000);
    const storageEvents: StorageEvents = {};
    const storage = { bucketName, events: storageEvents, services, portalOrigin: new URL(url).origin };
    const { dynamo, s3 } = await startStorage(options, paths, storage);
    env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
    env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
    await prepareStorage(tableName, bucketName, url, paths.tableRebuild);

    const identity = await startIdentity(state, paths, url, tableName);
    state.webApp = new WebApp({
      distDir: options.webDistDir ?? DEFAULT_WEB_DIST,
      portalUrl: url,
      s3Origin: new URL(s3.endpoint).origin,
    });
    setHandlerEnvironment({
      tableName,
      bucketName,
      outboxDir,
      identity,
      paths,
      logLevel: options.logLevel,
      emitMetrics: options.emitMetrics ?? false,
    });
    loadRouteHandlers(state.handlers);
    // Requests are answered 503 until now: the handlers they need are loaded.
    state.identity = identity;
    const hasher = require('../lambdas/handlers/hash-uploaded-file') as { handler: (event: never) => Promise<void> };
    storageEvents.onObjectCreated = (event) => {
      track(hasher.handler(event as never).catch((error) => process.stderr.write(`hashing failed: ${error}\n`)));
    };
    // Bundle builds run here in the background, by the same handler the request invokes asynchronously on AWS.
    const { inProcessBundleBuilds } =
      require('../lambdas/runtime/evidence-bundle-dependencies') as typeof import('../lambdas/runtime/evidence-bundle-dependencies');
    const builder =
      require('../lambdas/handlers/build-evidence-bundle') as typeof import('../lambdas/handlers/build-evidence-bundle');
    inProcessBundleBuilds().runWith((ref) => builder.handler(ref));
    const started = new BackgroundJobs();
    jobs = started;
    started.start({
      repairIntervalMs: options.repairIntervalMs ?? 60_000,
      reminderIntervalMs: options.reminderIntervalMs ?? 60_000,
      checkpointIntervalMs: options.checkpointIntervalMs ?? 60_000,
    });
    await started.startupRepairDone();
    state.verifyPending = () => started.verifyPending();
    state.runReminders = started.runReminders;
    state.runCheckpoint = started.runCheckpoint;

    return {
      url,
      dynamodbEndpoint: dynamo.endpoint,
      s3Endpoint: s3.endpoint,
      tableName,
      bucketName,
      identity,
      outbox,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The table and bucket, created if missing; the bucket's CORS rule lets only the portal's web app upload. */
async function prepareStorage(
  tableName: string,
  bucketName: string,
  portalUrl: string,
  rebuildBackupFile: string,
): Promise<void> {
  const dynamoClient = dynamoDbClient();
  const s3Client = new S3Client({ ...sdkClientConfig('s3'), forcePathStyle: true });
  try {
    await ensureTable(dynamoClient, tableName, rebuildBackupFile);
    await ensureBucket(s3Client, bucketName);
    await ensureBucketCors(s3Client, bucketName, new URL(portalUrl).origin);
  } finally {
    dynamoClient.destroy();
    s3Client.destroy();
  }
}

/** The development identity provider (with its OIDC endpoints), its accounts, and their directory records. */
async function startIdentity(
  state: PortalState,
  paths: ReturnType<typeof dataPaths>,
  url: string,
  tableName: string,
): Promise<DevIdentityProvider> {
  const registry = new DevUserRegistry(paths.devUsers);
  for (const user of DEV_USERS) registry.ensure({ ...user, groups: [...user.groups], enabled: true });
  await seedDirectory(tableName);
  const identity = await createDevIdentityProvider(paths.identityKey, `${url}${IDP_PREFIX}`, registry);
  state.oidc = createDevOidc(identity, registry, url, paths.refreshTokens);
  state.registry = registry;
  return identity;
}

/** Listens on 127.0.0.1 and returns the portal's URL. */
async function listen(server: Server, port: number): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Writes to the embedded S3 drive the same handler an S3 notification drives on AWS (set once it is loaded). */
interface StorageEvents {
  onObjectCreated?: (event: unknown) => void;
}

/** Embedded servers only where no other implementation was named; s3rver accepts only its own credentials. */
async function startStorage(
  options: PortalOptions,
  paths: ReturnType<typeof dataPaths>,
  storage: { bucketName: string; events: StorageEvents; services: RunningService[]; portalOrigin: string },
): Promise<{ dynamo: { endpoint: string }; s3: { endpoint: string } }> {
  const { bucketName, events, services } = storage;
  const env = process.env;
  const externalDynamo = env.AWS_ENDPOINT_URL_DYNAMODB;
  const externalS3 = env.AWS_ENDPOINT_URL_S3;
  if (!externalDynamo || !externalS3) {
    env.AWS_ACCESS_KEY_ID ??= 'S3RVER';
    env.AWS_SECRET_ACCESS_KEY ??= 'S3RVER';
  }
  env.AWS_REGION ??= 'ap-southeast-2';
  const owned = <T extends RunningService>(service: T): T => {
    services.push(service);
    return service;
  };
  const dynamo = externalDynamo
    ? { endpoint: externalDynamo }
    : owned(await startDynalite(paths.dynamodb, options.dynamodbPort ?? 8000));
  const s3rver = externalS3
    ? undefined
    : owned(await startS3rver(paths.s3, 0, [bucketName], (event) => events.onObjectCreated?.(event)));
  // s3rver accepts any signature, so it sits behind a SigV4 check that refuses what S3 would refuse.
  const s3 = externalS3
    ? { endpoint: externalS3 }
    : owned(
        await startS3SignatureGuard({
          upstream: (s3rver as RunningService).endpoint,
          // Lets the guard answer ListParts and check CompleteMultipartUpload, which s3rver lacks.
          s3rverDirectory: paths.s3,
          port: options.s3Port ?? 4569,
          credentials: {
            accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'S3RVER',
            secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'S3RVER',
          },
          region: env.AWS_REGION ?? 'ap-southeast-2',
          corsOrigins: [storage.portalOrigin],
        }),
      );
  return { dynamo, s3 };
}

/** The environment the deployed handlers read once, when they are loaded: the local stand-ins for AWS services. */
function setHandlerEnvironment(settings: {
  tableName: string;
  bucketName: string;
  outboxDir: string;
  identity: DevIdentityProvider;
  paths: ReturnType<typeof dataPaths>;
  logLevel: PortalOptions['logLevel'];
  emitMetrics: boolean;
}): void {
  const env = process.env;
  const { identity, paths } = settings;
  env[ENV.tableName] = settings.tableName;
  env[ENV.authIssuer] = identity.issuer;
  env[ENV.authAudience] = identity.audience;
  env[ENV.authJwksUrl] = identity.jwksUrl;
  if (settings.logLevel) {
    env[ENV.logLevel] = settings.logLevel;
    // Powertools' logger read LOG_LEVEL when this process loaded the handlers, before this ran.
    logger.setLogLevel(settings.logLevel.toUpperCase() as Uppercase<typeof settings.logLevel>);
  }
  // Powertools (lambdas/observability/), set here rather than as defaults in lambdas/config: the same service and
  // namespace as on AWS (portal-function.ts); no tracing, as there is no X-Ray daemon to send segments to; metrics
  // discarded unless asked for.
  env.POWERTOOLS_SERVICE_NAME = METRIC_SERVICE;
  env.POWERTOOLS_METRICS_NAMESPACE = METRIC_NAMESPACE;
  env.POWERTOOLS_TRACE_ENABLED = 'false';
  env.POWERTOOLS_METRICS_DISABLED = settings.emitMetrics ? 'false' : 'true';
  env[ENV.mailTransport] = 'outbox';
  env[ENV.outboxDir] = settings.outboxDir;
  env[ENV.responsesBucket] = settings.bucketName;
  env[ENV.receiptSigner] = 'file';
  env[ENV.receiptKeyFile] = paths.receiptKey;
  env[ENV.identityAdmin] = 'dev';
  env[ENV.tokenSigner] = 'file';
  env[ENV.tokenKeyFile] = paths.tokenKey;
  env[ENV.devUsersFile] = paths.devUsers;
  env[ENV.bundleBuilder] = 'in-process';
}

/**
 * The embedded stores answer in this process's event loop: under a burst (50 racing requests) a call waits there
 * for seconds, which on AWS would be a stalled connection. Set before the portal's own first store calls (creating
 * the table and the bucket), which on a busy machine once outlasted the unscaled 2 s. A test may set its own first.
 */
function scaleSdkTimeouts(env: NodeJS.ProcessEnv): void {
  env[ENV.sdkTimeoutScale] ??= '10';
}

/** The deployed handler modules themselves, loaded after the environment is in place (they read it once). */
function loadRouteHandlers(handlers: Map<string, V2Handler>): void {
  for (const route of ROUTES) {
    const module = require(`../lambdas/handlers/${route.handler}`) as { handler: V2Handler };
    handlers.set(route.operationId, module.handler);
  }
}

/** Onboards the seeded platforms and users in the portal's directory (idempotent: existing records are kept). */
async function seedDirectory(tableName: string): Promise<void> {
  const doc = documentClient();
  const store = new DynamoDbDirectoryStore(doc, tableName);
  const at = new Date().toISOString();
  for (const platform of DEV_PLATFORMS) {
    await store.createPlatform({
      ...platform,
      tradingNames: [...platform.tradingNames],
      contacts: [...platform.contacts],
      status: 'active',
      predecessors: [],
      version: 1,
      createdAt: at,
      provenance: [{ at, by: SYSTEM_ACTOR, kind: 'onboarded', reason: 'seeded by the local portal', details: {} }],
    });
  }
  for (const user of DEV_USERS) {
    const [role] = user.groups;
    if (!role) throw new Error(`invariant: the seeded dev user ${user.username} has a group`);
    await store.createUser({
      subject: user.subject,
      email: user.email,
      name: user.name,
      role,
      platformId: user.platformId,
      status: 'active',
      invitedAt: at,
      invitedBy: SYSTEM_ACTOR,
    });
  }
  doc.destroy();
}

/** Bounded, so a handler that never ends cannot keep the portal from stopping; it then stops as it did before. */
const IN_FLIGHT_STOP_BUDGET_MS = 15_000;

async function settle(inFlight: Set<Promise<unknown>>, budgetMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, budgetMs);
  });
  const drained = (async () => {
    // Work can start more work (a stored file's event starts its hashing), so wait until none is left.
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  })();
  await Promise.race([drained, budget]);
  clearTimeout(timer);
}
