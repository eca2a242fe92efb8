import { SigningKeyPathSchema } from '../api/contract';
import { RevokeKeyRequestSchema } from '../domain/signing-keys';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/dependencies';
import { submissionService as submissions } from '../runtime/submission-dependencies';

// Built at cold start; managing keys needs neither the bucket nor the receipt key.
submissions();

/** POST /platforms/{platformId}/signing-keys/{kid}/revoke — signatures made at or after effectiveAt are refused. */
export const handler = apiHandler(
  { authenticate, params: SigningKeyPathSchema, body: RevokeKeyRequestSchema },
  async ({ caller, params, body }) => {
    return json(200, await submissions().revokeKey(caller, params.platformId, params.kid, body));
  },
);
