import { SigningKeyPathSchema } from '../api/contract';
import { RevokeKeyRequestSchema } from '../domain/signing-keys';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { signingKeyService } from '../runtime/signing-key-dependencies';

const keys = signingKeyService();

/** POST /platforms/{platformId}/signing-keys/{kid}/revoke — signatures made at or after effectiveAt are refused. */
export const handler = apiHandler(
  { authenticate, params: SigningKeyPathSchema, body: RevokeKeyRequestSchema },
  async ({ caller, params, body }) => {
    return json(200, await keys.revokeKey(caller, params.platformId, params.kid, body));
  },
);
