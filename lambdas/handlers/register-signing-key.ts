import { PlatformPathSchema } from '../api/contract';
import { RegisterKeyRequestSchema } from '../domain/signing-keys';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/dependencies';
import { submissionService as submissions } from '../runtime/submission-dependencies';

// Built at cold start; managing keys needs neither the bucket nor the receipt key.
submissions();

/** POST /platforms/{platformId}/signing-keys — 201 with the key (200 when the same key is registered again). */
export const handler = apiHandler(
  { authenticate, params: PlatformPathSchema, body: RegisterKeyRequestSchema },
  async ({ caller, params, body }) => {
    const { key, created } = await submissions().registerKey(caller, params.platformId, body);
    return json(created ? 201 : 200, key);
  },
);
