import { PlatformPathSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { apiClientService } from '../runtime/api-client-dependencies';
import { authenticate } from '../runtime/authentication';

const clients = apiClientService();

/** GET /platforms/{platformId}/api-clients — without secrets. */
export const handler = apiHandler({ authenticate, params: PlatformPathSchema }, async ({ caller, params }) =>
  json(200, { items: await clients.list(caller, params.platformId) }),
);
