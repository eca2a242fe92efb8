import { apiHandler, json } from '../http/api-handler';
import { regulatorKeyService } from '../runtime/regulator-key-dependencies';

const keys = regulatorKeyService();

/**
 * GET /.well-known/receipt-keys.json — public: the regulator's keys as a plain JWKS (one entry per key id), the
 * same keys as /.well-known/regulator-keys.json, to verify receipts offline.
 */
export const handler = apiHandler({}, async () =>
  json(200, await keys.receiptKeys(), { 'cache-control': 'public, max-age=300' }),
);
