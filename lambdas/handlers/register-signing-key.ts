import { PlatformPathSchema } from '../api/contract';
import { RegisterKeyRequestSchema } from '../domain/signing-keys';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { signingKeyService } from '../runtime/signing-key-dependencies';

const keys = signingKeyService();

/** POST /platforms/{platformId}/signing-keys — 201 with the key (200 when the same key is registered again). */
export const handler = apiHandler(
  { authenticate, params: PlatformPathSchema, body: RegisterKeyRequestSchema },
  async ({ caller, params, body }) => {
    const { key, created } = await keys.registerKey(caller, params.platformId, body);
    return json(created ? 201 : 200, key);
  },
);
