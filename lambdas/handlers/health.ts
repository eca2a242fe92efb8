import { apiHandler, json } from '../http/api-handler';

/** GET /health — public liveness check; touches nothing. */
export const handler = apiHandler({}, async () => json(200, { status: 'ok' }));
