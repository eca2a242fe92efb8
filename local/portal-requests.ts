import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DevUserRegistry } from '../lambdas/adapters/dev-user-registry';
import type { OutboxMailer } from '../lambdas/adapters/outbox-mailer';
import { ROUTES } from '../lambdas/api/routes';
import { now } from '../lambdas/runtime/clock';
import { DEV_PREFIX, serveDevControls } from './dev-controls';
import type { DevIdentityProvider } from './dev-identity-provider';
import { IDP_PREFIX, serveIdentity } from './dev-identity-routes';
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

/** What the portal has loaded so far: requests are answered 503 until the identity provider is in place. */
export interface PortalState {
  identity?: DevIdentityProvider;
  registry?: DevUserRegistry;
  /** The deployed handler modules, by operation id. */
  handlers: Map<string, V2Handler>;
  runReminders?: () => Promise<unknown>;
  verifyPending?: () => void;
}

/**
 * Dispatches each request: the development identity provider and dev controls by prefix, every other path by the
 * route table to the handler the CDK app deploys for it, as a v2 event.
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
      if (url.pathname.startsWith(`${IDP_PREFIX}/`))
        return await serveIdentity(state.identity, state.registry, request, url, response);
      if (url.pathname.startsWith(`${DEV_PREFIX}/`)) {
        return await serveDevControls(request.method, url, await readBody(request), response, {
          outbox: context.outbox,
          runReminders: state.runReminders,
          clockFile: context.clockFile,
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
      const handler = state.handlers.get(matched.route.operationId);
      if (!handler) throw new Error(`No handler loaded for ${matched.route.operationId}`);
      const result = await handler(event);
      writeResult(response, result);
      // A finalize left waiting for a hash: verify at once, in the background, so that an S3 with no event feed
      // (or a lost event) still files promptly, without waiting for the next interval.
      if (matched.route.operationId === 'finalizeSubmission' && result.statusCode === 202) state.verifyPending?.();
    } catch (error) {
      if (error instanceof PayloadTooLarge) {
        return writeJson(response, 413, { error: { code: 'payload-too-large', message: 'Request too large.' } });
      }
      process.stderr.write(`local portal: ${(error as Error).stack ?? error}\n`);
      if (!response.headersSent) writeJson(response, 500, { error: { code: 'internal', message: 'Internal error.' } });
    }
  };
}
