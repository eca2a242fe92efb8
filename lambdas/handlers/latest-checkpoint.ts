import { apiHandler, json } from '../http/api-handler';
import { checkpointService } from '../runtime/checkpoint-service-dependencies';

const checkpoints = checkpointService();

/** GET /checkpoints/latest — public: the latest complete signed checkpoint (404 before the first). */
export const handler = apiHandler({}, async () =>
  // A new checkpoint every few minutes: a short cache keeps a verifier from fetching a stale one for long.
  json(200, await checkpoints.latest(), { 'cache-control': 'public, max-age=60' }),
);
