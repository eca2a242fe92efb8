import { apiHandler, json } from '../http/api-handler';
import { machineTokenSigner } from '../runtime/authentication';

const machineTokens = machineTokenSigner();

/** GET /.well-known/jwks.json — public: the keys the portal signs machine-client access tokens with. */
export const handler = apiHandler({}, async () =>
  json(200, await machineTokens.publicJwks(), { 'cache-control': 'public, max-age=3600' }),
);
