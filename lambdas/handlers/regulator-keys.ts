import { apiHandler, json } from '../http/api-handler';
import { regulatorKeyService } from '../runtime/regulator-key-dependencies';

const keys = regulatorKeyService();

/**
 * GET /.well-known/regulator-keys.json — public: every key the regulator has signed with (notices, receipts,
 * checkpoints), each with its validity window, and the hash-chained log the windows come from.
 */
export const handler = apiHandler({}, async () =>
  json(200, await keys.published(), { 'cache-control': 'public, max-age=300' }),
);
