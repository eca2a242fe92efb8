import { PlatformPathSchema } from '../api/contract';
import { CreateApiClientRequestSchema } from '../domain/api-clients';
import { apiHandler, json } from '../http/api-handler';
import { apiClientService } from '../runtime/api-client-dependencies';
import { authenticate } from '../runtime/authentication';

const clients = apiClientService();

/** POST /platforms/{platformId}/api-clients — 201 with the client and its secret, which is never shown again. */
export const handler = apiHandler(
  { authenticate, params: PlatformPathSchema, body: CreateApiClientRequestSchema },
  async ({ caller, params, body }) => json(201, await clients.create(caller, params.platformId, body.label)),
);
