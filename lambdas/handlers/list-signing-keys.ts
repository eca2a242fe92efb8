import { PlatformPathSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/dependencies';
import { submissionService as submissions } from '../runtime/submission-dependencies';

// Built at cold start; managing keys needs neither the bucket nor the receipt key.
submissions();

/** GET /platforms/{platformId}/signing-keys — regulators, and the platform for its own keys. */
export const handler = apiHandler({ authenticate, params: PlatformPathSchema }, async ({ caller, params }) => {
  return json(200, { items: await submissions().listKeys(caller, params.platformId) });
});
