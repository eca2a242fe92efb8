import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DevUserRegistry } from '../lambdas/adapters/dev-user-registry';
import type { OutboxMailer } from '../lambdas/adapters/outbox-mailer';
import { ROUTES } from '../lambdas/api/routes';
import { now } from '../lambdas/runtime/clock';
import { DEV_PREFIX, serveDevControls } from './dev-controls';
import type { DevIdentityProvider } from './dev-identity-provider';
import { IDP_PREFIX, serveIdentity } from './dev-identity-routes';
import { type DevOidc, isOidcPath, serveOidc } from './dev-oidc-routes';
import {
  compileRoute,
  MalformedPathParameter,
  matchRoute,
  PayloadTooLarge,
  readBody,
  toV2Event,
  type V2Handler,
  writeJson,
  writeResult,
} from './http-adapter';
import { isNavigation, type WebApp } from './web-app';

/** What the portal has loaded so far: requests are answered 503 until the identity provider is in place. */
export interface PortalState {
  identity?: DevIdentityProvider;
  registry?: DevUserRegistry;
  oidc?: DevOidc;
  webApp?: WebApp;
  /** The deployed handler modules, by operation id. */
  handlers: Map<string, V2Handler>;
  runReminders?: () => Promise<unknown>;
  runCheckpoint?: () => Promise<unknown>;
  verifyPending?: () => void;
}

/** The API under `/api` as well as at the root, as CloudFront routes `/api/*` to it on AWS (prefix removed). */
const API_PREFIX = '/api';

/**
 * Dispatches each request: the development identity provider and dev controls by prefix; the web app's
 * configuration and browser navigations (local/web-app.ts); every other path by the route table to the handler the
 * CDK app deploys for it, as a v2 event (at the root, or under `/api`); then the web app's built files.
 */
export function portalRequestListener(
  state: PortalState,
  context: { outbox: OutboxMailer; clockFile: string },
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const routes = ROUTES.map(compileRoute);
  return async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      // The portal's clock, not the machine's: clients such as the CLI read it to sign with the portal's time.
      response.setHeader('date', now().toUTCString());
      if (!state.identity) return writeJson(response, 503, { error: { code: 'starting', message: 'Starting up.' } });
      if (url.pathname.startsWith(`${IDP_PREFIX}/`)) return await serveIdentityProvider(state, request, url, response);
      if (url.pathname.startsWith(`${DEV_PREFIX}/`)) {
        return await serveDevControls(request.method, url, await readBody(request), response, {
          outbox: context.outbox,
          runReminders: state.runReminders,
          runCheckpoint: state.runCheckpoint,
          clockFile: context.clockFile,
        });
      }
      const { webApp } = state;
      if (webApp && url.pathname === '/config.json' && isReadOnly(request)) {
        return webApp.serveConfig(request, response);
      }
      if (webApp && isNavigation(request, url.pathname)) return webApp.serveIndex(request, response);
      const apiUrl = underApi(url);
      const matched = matchRoute(routes, request.method ?? 'GET', (apiUrl ?? url).pathname);
      if (!matched && !apiUrl && webApp?.serveFile(request, response, url.pathname)) return;
      if (!matched) {
        return writeJson(response, 404, {
          error: { code: 'not-found', message: `No route ${request.method} ${url.pathname}.` },
        });
      }
      await serveApi(state, request, apiUrl ?? url, matched, response);
    } catch (error) {
      answerFailure(error, response);
    }
  };
}

/** A request the portal could not dispatch: the client's mistakes get a 4xx, anything else a bare 500. */
function answerFailure(error: unknown, response: ServerResponse): void {
  if (error instanceof PayloadTooLarge) {
    writeJson(response, 413, { error: { code: 'payload-too-large', message: 'Request too large.' } });
    return;
  }
  // The portal's own 400 shape (lambdas/http/api-handler.ts), with the parameter as the field.
  if (error instanceof MalformedPathParameter) {
    writeJson(response, 400, {
      error: {
        code: 'validation-failed',
        message: error.message,
        issues: [{ path: `path.${error.parameter}`, message: 'is not valid percent-encoded UTF-8' }],
      },
    });
    return;
  }
  process.stderr.write(`local portal: ${(error as Error).stack ?? error}\n`);
  if (!response.headersSent) writeJson(response, 500, { error: { code: 'internal', message: 'Internal error.' } });
}

/** The OIDC endpoints (local/dev-oidc-routes.ts), else the older development endpoints (token, sign-in, users). */
async function serveIdentityProvider(
  state: PortalState,
  request: IncomingMessage,
  url: URL,
  response: ServerResponse,
): Promise<void> {
  if (state.oidc && isOidcPath(url.pathname.slice(IDP_PREFIX.length))) {
    return serveOidc(state.oidc, request, url, response);
  }
  if (!state.identity) throw new Error('invariant: requests are dispatched once the identity provider is in place');
  return serveIdentity(state.identity, state.registry, request, url, response);
}

/** One API request, as API Gateway would deliver it to the deployed handler. */
async function serveApi(
  state: PortalState,
  request: IncomingMessage,
  url: URL,
  matched: NonNullable<ReturnType<typeof matchRoute>>,
  response: ServerResponse,
): Promise<void> {
  const body = await readBody(request);
  const event = toV2Event(request, url, matched.route, matched.pathParameters, body);
  const handler = state.handlers.get(matched.route.operationId);
  if (!handler) throw new Error(`No handler loaded for ${matched.route.operationId}`);
  const result = await handler(event);
  writeResult(response, result);
  // A finalize left waiting for a hash: verify at once, in the background, so that an S3 with no event feed
  // (or a lost event) still files promptly, without waiting for the next interval.
  if (matched.route.operationId === 'finalizeSubmission' && result.statusCode === 202) state.verifyPending?.();
}

/** The URL as the API sees it when the request came under `/api` (the prefix removed); undefined otherwise. */
function underApi(url: URL): URL | undefined {
  if (!url.pathname.startsWith(`${API_PREFIX}/`)) return undefined;
  const stripped = new URL(url);
  stripped.pathname = url.pathname.slice(API_PREFIX.length);
  return stripped;
}

function isReadOnly(request: IncomingMessage): boolean {
  return request.method === 'GET' || request.method === 'HEAD';
}
