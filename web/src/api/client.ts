import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { observeServerDate } from './portal-clock';
import type { paths } from './schema';

export type PortalApi = Client<paths>;

export interface ApiClientOptions {
  baseUrl: string;
  /** The signed-in user's ID token, read at each request (it changes when the session is extended). */
  idToken: () => string | undefined;
  /** Called when the API answers 401, so the app can say the session ended instead of showing a failure. */
  onUnauthenticated: () => void;
}

/**
 * The API client, typed by the generated OpenAPI types (schema.d.ts). Every POST carries an `Idempotency-Key`:
 * callers that may retry a user action pass the same key each time (see `useIdempotencyKey`); otherwise a fresh
 * one is made here, so even a double-submitted request cannot record a change twice.
 */
export function createApiClient(options: ApiClientOptions): PortalApi {
  const client = createClient<paths>({ baseUrl: options.baseUrl });
  const auth: Middleware = {
    onRequest({ request }) {
      const token = options.idToken();
      if (token) request.headers.set('authorization', `Bearer ${token}`);
      if (request.method === 'POST' && !request.headers.has('idempotency-key')) {
        request.headers.set('idempotency-key', crypto.randomUUID());
      }
      return request;
    },
    onResponse({ response }) {
      observeServerDate(response.headers.get('date'));
      if (response.status === 401) options.onUnauthenticated();
      return response;
    },
  };
  client.use(auth);
  return client;
}
