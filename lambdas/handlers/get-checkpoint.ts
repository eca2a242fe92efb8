import { CheckpointPathSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { checkpointService } from '../runtime/checkpoint-service-dependencies';

const checkpoints = checkpointService();

/** GET /checkpoints/{seq} — public: one signed checkpoint; it never changes once complete. */
export const handler = apiHandler({ params: CheckpointPathSchema }, async ({ params }) =>
  json(200, await checkpoints.get(params.seq), { 'cache-control': 'public, max-age=86400, immutable' }),
);
