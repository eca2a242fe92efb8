import { ApiClientPathSchema, ReasonSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { apiClientService } from '../runtime/api-client-dependencies';
import { authenticate } from '../runtime/authentication';

const clients = apiClientService();

/** POST /platforms/{platformId}/api-clients/{clientId}/revoke — effective on the client's next request. */
export const handler = apiHandler(
  { authenticate, params: ApiClientPathSchema, body: ReasonSchema },
  async ({ caller, params, body }) =>
    json(200, await clients.revoke(caller, params.platformId, params.clientId, body.reason)),
);
