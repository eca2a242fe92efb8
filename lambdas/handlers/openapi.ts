import { OPENAPI_DOCUMENT_JSON } from '../api/openapi-document.generated';
import { apiHandler } from '../http/api-handler';

/**
 * GET /openapi.json — public; the document generated from the same zod schemas the handlers parse with, serialised
 * at build time (scripts/openapi-document.ts): it depends only on the code, so building it at every cold start
 * was pure cost.
 */
export const handler = apiHandler({}, async () => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' },
  body: OPENAPI_DOCUMENT_JSON,
}));
