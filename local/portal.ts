import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { DevUserRegistry } from '../lambdas/adapters/dev-user-registry';
import { documentClient, dynamoDbClient } from '../lambdas/adapters/dynamodb-client';
import { DynamoDbDirectoryStore } from '../lambdas/adapters/dynamodb-directory-store';
import { OutboxMailer } from '../lambdas/adapters/outbox-mailer';
import { ROUTES } from '../lambdas/api/routes';
import { ENV } from '../lambdas/config/env';
import { SYSTEM_ACTOR } from '../lambdas/domain/caller';
import { now } from '../lambdas/runtime/clock';
import { advanceDevClock, devClockState, restoreDevClock } from './dev-clock';
import {
  createDevIdentityProvider,
  DEV_PLATFORMS,
  DEV_USERS,
  type DevIdentityProvider,
  DisabledDevUser,
  UnknownDevUser,
} from './dev-identity-provider';
import {
  dataPaths,
  ensureBucket,
  ensureTable,
  type RunningService,
  startDynalite,
  startS3rver,
} from './embedded-services';
import {
  compileRoute,
  matchRoute,
  PayloadTooLarge,
  readBody,
  toV2Event,
  type V2Handler,
  writeJson,
  writeResult,
} from './http-adapter';
import { startS3SignatureGuard } from './s3-signature-guard';

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
   * How often committed-but-unprojected changes are repaired and submissions still owed hashing or filing work are
   * verified (the pending-verification job also runs at start and after every finalize that answers 202).
   * @default 60000
   */
  repairIntervalMs?: number;
  /** How often the reminder run runs (as EventBridge runs it on AWS); 0 turns it off. @default 60000 */
  reminderIntervalMs?: number;
}

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

const IDP_PREFIX = '/dev-idp';
/** Local-only controls (clock, outbox, reminder run); none of them exists in the deployed API. */
const DEV_PREFIX = '/dev';

export async function startPortal(options: PortalOptions): Promise<RunningPortal> {
  const env = process.env;
  const tableName = options.tableName ?? env[ENV.tableName] ?? 'notice-portal-local';
  const bucketName = options.bucketName ?? 'notice-portal-responses-local';
  const paths = dataPaths(options.dataDir);
  const services: RunningService[] = [];
  let server: Server | undefined;
  let repairTimer: NodeJS.Timeout | undefined;
  let reminderTimer: NodeJS.Timeout | undefined;
  let stopping = false;
  let verification: Promise<void> | undefined;

  const stop = async () => {
    stopping = true;
    if (repairTimer) clearInterval(repairTimer);
    if (reminderTimer) clearInterval(reminderTimer);
    // A run that is hashing finishes (or fails) before the servers it reads from go away.
    await verification;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server?.close(() => resolve()));
    }
    for (const service of services.reverse()) await service.stop();
  };

  try {
    // Before anything reads the clock: a restart carries on from a clock moved by POST /dev/clock, never back.
    mkdirSync(options.dataDir, { recursive: true });
    restoreDevClock(paths.clock);

    // Embedded servers only where no other implementation was named; s3rver accepts only its own credentials.
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
    // Writes to the embedded S3 drive the same handler an S3 notification drives on AWS (set once loaded).
    let onObjectCreated: ((event: unknown) => void) | undefined;
    const s3rver = externalS3
      ? undefined
      : owned(await startS3rver(paths.s3, 0, [bucketName], (event) => onObjectCreated?.(event)));
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
          }),
        );
    env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
    env.AWS_ENDPOINT_URL_S3 = s3.endpoint;

    const dynamoClient = dynamoDbClient();
    const s3Client = new S3Client({ forcePathStyle: true });
    await ensureTable(dynamoClient, tableName);
    await ensureBucket(s3Client, bucketName);
    dynamoClient.destroy();
    s3Client.destroy();

    const routes = ROUTES.map(compileRoute);
    const handlers = new Map<string, V2Handler>();
    let identity: DevIdentityProvider | undefined;
    let devRegistry: DevUserRegistry | undefined;
    let runReminders: (() => Promise<unknown>) | undefined;
    let verifyPending: (() => void) | undefined;
    const outboxDir = env[ENV.outboxDir] ?? paths.outbox;
    const outbox = new OutboxMailer(outboxDir, env[ENV.mailSender] ?? 'notices@regulator.example', now);

    server = createServer(async (request, response) => {
      try {
        const url = new URL(request.url ?? '/', 'http://127.0.0.1');
        // The portal's clock, not the machine's: clients such as the CLI read it to sign with the portal's time.
        response.setHeader('date', now().toUTCString());
        if (!identity) return writeJson(response, 503, { error: { code: 'starting', message: 'Starting up.' } });
        if (url.pathname.startsWith(`${IDP_PREFIX}/`))
          return await serveIdentity(identity, devRegistry, request, url, response);
        if (url.pathname.startsWith(`${DEV_PREFIX}/`)) {
          return await serveDevControls(request.method, url, await readBody(request), response, {
            outbox,
            runReminders,
            clockFile: paths.clock,
          });
        }
        const matched = matchRoute(routes, request.method ?? 'GET', url.pathname);
        if (!matched) {
          return writeJson(response, 404, {
            error: { code: 'not-found', message: `No route ${request.method} ${url.pathname}.` },
          });
        }
        const body = await readBody(request);
        const event = toV2Event(request, url, matched.route, matched.pathParameters, body);
        const handler = handlers.get(matched.route.operationId);
        if (!handler) throw new Error(`No handler loaded for ${matched.route.operationId}`);
        const result = await handler(event);
        writeResult(response, result);
        // A finalize left waiting for a hash: verify at once, in the background, so that an S3 with no event feed
        // (or a lost event) still files promptly, without waiting for the next interval.
        if (matched.route.operationId === 'finalizeSubmission' && result.statusCode === 202) verifyPending?.();
      } catch (error) {
        if (error instanceof PayloadTooLarge) {
          return writeJson(response, 413, { error: { code: 'payload-too-large', message: 'Request too large.' } });
        }
        process.stderr.write(`local portal: ${(error as Error).stack ?? error}\n`);
        if (!response.headersSent)
          writeJson(response, 500, { error: { code: 'internal', message: 'Internal error.' } });
      }
    });
    await new Promise<void>((resolve, reject) => {
      server?.once('error', reject);
      server?.listen(options.port ?? 4000, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    const url = `http://127.0.0.1:${port}`;

    const registry = new DevUserRegistry(paths.devUsers);
    for (const user of DEV_USERS) registry.ensure({ ...user, groups: [...user.groups], enabled: true });
    await seedDirectory(tableName);
    identity = await createDevIdentityProvider(paths.identityKey, `${url}${IDP_PREFIX}`, registry);
    devRegistry = registry;
    env[ENV.tableName] = tableName;
    env[ENV.authIssuer] = identity.issuer;
    env[ENV.authAudience] = identity.audience;
    env[ENV.authJwksUrl] = identity.jwksUrl;
    if (options.logLevel) env[ENV.logLevel] = options.logLevel;
    env[ENV.mailTransport] = 'outbox';
    env[ENV.outboxDir] = outboxDir;
    env[ENV.responsesBucket] = bucketName;
    env[ENV.receiptSigner] = 'file';
    env[ENV.receiptKeyFile] = paths.receiptKey;
    env[ENV.identityAdmin] = 'dev';
    env[ENV.tokenSigner] = 'file';
    env[ENV.tokenKeyFile] = paths.tokenKey;
    env[ENV.devUsersFile] = paths.devUsers;

    // The deployed handler modules themselves, loaded after the environment is in place (they read it once).
    for (const route of ROUTES) {
      const module = require(`../lambdas/handlers/${route.handler}`) as { handler: V2Handler };
      handlers.set(route.operationId, module.handler);
    }
    const hasher = require('../lambdas/handlers/hash-uploaded-file') as { handler: (event: never) => Promise<void> };
    onObjectCreated = (event) => {
      hasher.handler(event as never).catch((error) => process.stderr.write(`hashing failed: ${error}\n`));
    };
    const verifier = require('../lambdas/handlers/verify-pending-submissions') as {
      handler: (event: { minimumAgeMs: number }) => Promise<unknown>;
    };
    // One run at a time; a request for another while one runs makes it go round once more when it ends. Locally
    // every hasher is in this process, so no work is left to anyone else: minimum age 0.
    let again = false;
    verifyPending = () => {
      if (stopping) return;
      if (verification) {
        again = true;
        return;
      }
      verification = (async () => {
        do {
          again = false;
          await verifier
            .handler({ minimumAgeMs: 0 })
            .catch((error) => process.stderr.write(`pending verification failed: ${error}\n`));
        } while (again && !stopping);
      })().finally(() => {
        verification = undefined;
      });
    };
    // Work a previous run left behind (killed mid-verification, an event lost while it was down) is picked up now.
    verifyPending();
    const repair = require('../lambdas/handlers/repair-projections') as { handler: () => Promise<unknown> };
    repairTimer = setInterval(() => {
      repair.handler().catch((error) => process.stderr.write(`projection repair failed: ${error}\n`));
      verifyPending?.();
    }, options.repairIntervalMs ?? 60_000);
    repairTimer.unref();
    const reminderModule = require('../lambdas/handlers/run-reminders') as { handler: () => Promise<unknown> };
    runReminders = reminderModule.handler;
    const reminderInterval = options.reminderIntervalMs ?? 60_000;
    if (reminderInterval > 0) {
      reminderTimer = setInterval(() => {
        reminderModule.handler().catch((error) => process.stderr.write(`reminder run failed: ${error}\n`));
      }, reminderInterval);
      reminderTimer.unref();
    }

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

async function serveIdentity(
  identity: DevIdentityProvider,
  registry: DevUserRegistry | undefined,
  request: import('node:http').IncomingMessage,
  url: URL,
  response: import('node:http').ServerResponse,
): Promise<void> {
  const method = request.method;
  const path = url.pathname.slice(IDP_PREFIX.length);
  if (method === 'GET' && path === '/.well-known/jwks.json') return writeJson(response, 200, identity.jwks);
  if (method === 'GET' && path === '/users') {
    const accounts = registry?.all() ?? DEV_USERS.map((u) => ({ ...u, enabled: true }));
    return writeJson(
      response,
      200,
      accounts.map(({ username, name, email, groups, platformId, enabled }) => ({
        username,
        name,
        email,
        groups,
        platformId,
        enabled,
      })),
    );
  }
  if (path === '/sign-in' && method === 'GET') return writeHtml(response, 200, signInPage(registry?.all() ?? []));
  if (path === '/sign-in' && method === 'POST') {
    const form = new URLSearchParams(await readText(request));
    const username = form.get('username') ?? '';
    const account = registry?.find(username);
    const password = form.get('password');
    // Seeded accounts are picked from the list; invited ones sign in with their temporary password.
    const allowed = account && (password === null ? !account.passwordHash : registry?.checkPassword(account, password));
    if (!account || !allowed)
      return writeHtml(response, 401, signInPage(registry?.all() ?? [], 'Unknown user or wrong password.'));
    if (!account.enabled)
      return writeHtml(response, 403, signInPage(registry?.all() ?? [], 'This account is disabled.'));
    return writeHtml(response, 200, tokenPage(account.username, await identity.tokenFor(account.username)));
  }
  if (path === '/token' && method === 'POST')
    return await serveTokenForCredentials(identity, registry, request, response);
  const token = /^\/token\/([A-Za-z0-9@%._+-]+)$/.exec(path);
  if (method === 'POST' && token) {
    try {
      const jwt = await identity.tokenFor(decodeURIComponent(token[1]));
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      response.end(jwt);
    } catch (error) {
      if (error instanceof UnknownDevUser) {
        const known = (registry?.all() ?? DEV_USERS).map((u) => u.username).join(', ');
        return writeJson(response, 404, { error: { code: 'not-found', message: `${error.message}; try ${known}.` } });
      }
      if (error instanceof DisabledDevUser)
        return writeJson(response, 403, { error: { code: 'forbidden', message: error.message } });
      if (error instanceof URIError) {
        return writeJson(response, 404, { error: { code: 'not-found', message: 'Malformed user name.' } });
      }
      throw error;
    }
    return;
  }
  writeJson(response, 404, { error: { code: 'not-found', message: `No route ${method} ${url.pathname}.` } });
}

/**
 * `POST /dev-idp/token` with JSON `{"username", "password"?}` → the ID token as text, like `/token/<user>`: the
 * scriptable twin of the sign-in form. Seeded accounts need no password; invited ones need the temporary password
 * that `POST /users` returned.
 */
async function serveTokenForCredentials(
  identity: DevIdentityProvider,
  registry: DevUserRegistry | undefined,
  request: import('node:http').IncomingMessage,
  response: import('node:http').ServerResponse,
): Promise<void> {
  const parsed = DevSignInSchema.safeParse(parseJson(await readBody(request)));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    return writeJson(response, 400, {
      error: { code: 'validation-failed', message: 'Send JSON {"username": "…", "password": "…"}.', issues },
    });
  }
  const { username, password } = parsed.data;
  const account = registry?.find(username);
  const allowed =
    account && (password === undefined ? !account.passwordHash : registry?.checkPassword(account, password));
  if (!account || !allowed) {
    return writeJson(response, 401, { error: { code: 'unauthorized', message: 'Unknown user or wrong password.' } });
  }
  if (!account.enabled) {
    return writeJson(response, 403, { error: { code: 'forbidden', message: 'This account is disabled.' } });
  }
  const jwt = await identity.tokenFor(account.username);
  response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  response.end(jwt);
}

const DevSignInSchema = z
  .object({ username: z.string().min(1).max(320), password: z.string().min(1).max(256).optional() })
  .strict();

async function readText(request: import('node:http').IncomingMessage): Promise<string> {
  return (await readBody(request)).toString('utf8');
}

function writeHtml(response: import('node:http').ServerResponse, status: number, html: string): void {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; form-action 'self'",
  });
  response.end(html);
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

const PAGE_STYLE =
  'body{font:16px system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}button{margin:.2rem 0;padding:.4rem .8rem}' +
  'textarea{width:100%;height:9rem;font:12px monospace}.error{color:#a00}li{list-style:none;margin:.3rem 0}';

/** The development sign-in page: pick a seeded account, or sign in as an invited one with its password. */
function signInPage(accounts: import('../lambdas/adapters/dev-user-registry').DevAccount[], error?: string): string {
  const pick = accounts
    .filter((a) => !a.passwordHash)
    .map(
      (a) =>
        `<li><form method="post"><input type="hidden" name="username" value="${escapeHtml(a.username)}">` +
        `<button${a.enabled ? '' : ' disabled'}>${escapeHtml(a.name)}</button> ${escapeHtml(a.groups.join(', '))}` +
        `${a.platformId ? ` · ${escapeHtml(a.platformId)}` : ''}${a.enabled ? '' : ' · disabled'}</form></li>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in · development</title><style>${PAGE_STYLE}</style></head><body>
<h1>Notice portal — development sign-in</h1>
<p>Local only: this page stands in for Cognito's hosted sign-in. Tokens have Cognito's claim shape and last one hour.</p>
${error ? `<p class="error">${escapeHtml(error)}</p>` : ''}
<h2>Seeded accounts</h2><ul>${pick}</ul>
<h2>Invited account</h2>
<form method="post"><label>E-mail <input name="username" type="email" required></label>
<label>Password <input name="password" type="password" required></label> <button>Sign in</button></form>
</body></html>`;
}

function tokenPage(username: string, token: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Token · development</title><style>${PAGE_STYLE}</style></head><body>
<h1>Signed in as ${escapeHtml(username)}</h1>
<p>Your ID token (valid for one hour). Use it as <code>Authorization: Bearer &lt;token&gt;</code>.</p>
<textarea readonly id="token">${escapeHtml(token)}</textarea>
<p><button onclick="navigator.clipboard.writeText(document.getElementById('token').value)">Copy</button>
<a href="sign-in">Sign in as someone else</a></p></body></html>`;
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
    await store.createUser({
      subject: user.subject,
      email: user.email,
      name: user.name,
      role: user.groups[0],
      platformId: user.platformId,
      status: 'active',
      invitedAt: at,
      invitedBy: SYSTEM_ACTOR,
    });
  }
  doc.destroy();
}

/**
 * - `GET /dev/clock` → the portal's clock; `POST /dev/clock` `{"days": 21, "hours": 0, "minutes": 0}` moves it
 *   forward (never back, not even across a restart: see dev-clock.ts), so deadlines and reminders can be walked
 *   through in seconds.
 * - `GET /dev/outbox` → every e-mail the portal has sent, oldest first.
 * - `POST /dev/reminders/run` → runs the reminder handler now and returns its report.
 */
async function serveDevControls(
  method: string | undefined,
  url: URL,
  body: Buffer,
  response: import('node:http').ServerResponse,
  context: { outbox: OutboxMailer; runReminders?: () => Promise<unknown>; clockFile: string },
): Promise<void> {
  const path = url.pathname.slice(DEV_PREFIX.length);
  if (path === '/clock' && method === 'GET') return writeJson(response, 200, devClockState());
  if (path === '/clock' && method === 'POST') {
    const parsed = ClockAdvanceSchema.safeParse(parseJson(body));
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      return writeJson(response, 400, {
        error: { code: 'validation-failed', message: 'Give days, hours and/or minutes to move forward.', issues },
      });
    }
    const { days = 0, hours = 0, minutes = 0 } = parsed.data;
    // Kept in DATA_DIR before the answer, so a restart right after it cannot go back.
    advanceDevClock(context.clockFile, ((days * 24 + hours) * 60 + minutes) * 60_000);
    return writeJson(response, 200, devClockState());
  }
  if (path === '/outbox' && method === 'GET') return writeJson(response, 200, { items: await context.outbox.list() });
  if (path === '/reminders/run' && method === 'POST' && context.runReminders) {
    return writeJson(response, 200, await context.runReminders());
  }
  writeJson(response, 404, { error: { code: 'not-found', message: `No route ${method} ${url.pathname}.` } });
}

const ClockAdvanceSchema = z
  .object({
    days: z.number().int().min(0).max(3650).optional(),
    hours: z.number().int().min(0).max(87_600).optional(),
    minutes: z.number().int().min(0).max(525_600).optional(),
  })
  .strict();

function parseJson(body: Buffer): unknown {
  try {
    return body.length ? JSON.parse(body.toString('utf8')) : {};
  } catch {
    return undefined;
  }
}
