import { buildOpenApiDocument } from '../api/openapi-document';
import { apiHandler, json } from '../http/api-handler';

// Built once per container: the document depends only on the code.
const document = buildOpenApiDocument();

/** GET /openapi.json — public; generated from the same zod schemas the handlers parse with. */
export const handler = apiHandler({}, async () => json(200, document, { 'cache-control': 'public, max-age=300' }));
