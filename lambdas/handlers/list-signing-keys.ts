import { PlatformPathSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/dependencies';
import { submissionService as submissions } from '../runtime/submission-dependencies';

// Built at cold start, so a missing setting stops the function with a clear message.
submissions();

/** GET /platforms/{platformId}/signing-keys — regulators, and the platform for its own keys. */
export const handler = apiHandler({ authenticate, params: PlatformPathSchema }, async ({ caller, params }) => {
  return json(200, { items: await submissions().listKeys(caller, params.platformId) });
});
