import { PlatformPathSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { signingKeyService } from '../runtime/signing-key-dependencies';

const keys = signingKeyService();

/** GET /platforms/{platformId}/signing-keys — regulators, and the platform for its own keys. */
export const handler = apiHandler({ authenticate, params: PlatformPathSchema }, async ({ caller, params }) => {
  return json(200, { items: await keys.listKeys(caller, params.platformId) });
});
