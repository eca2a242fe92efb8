import SwaggerParser from '@apidevtools/swagger-parser';
import { buildOpenApiDocument } from '../../lambdas/api/openapi-document';
import { ROUTES } from '../../lambdas/api/routes';
import { type Harness, startHarness } from './support/portal-harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

describe('the OpenAPI document', () => {
  it('is served without a token, is valid OpenAPI 3.1 and describes every route', async () => {
    const response = await h.anonymous().get('/openapi.json');

    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(structuredClone(response.body))).resolves.toBeDefined();
    // The document the unit tests lint strictly and generate a typed client from (tests/unit/openapi-document).
    expect(response.body).toEqual(buildOpenApiDocument());
    for (const route of ROUTES) {
      const operation = response.body.paths[route.path][route.method.toLowerCase()];
      expect(operation.operationId).toBe(route.operationId);
      expect(operation.security).toEqual(route.public ? [] : [{ bearerAuth: [] }]);
    }
    expect(response.body.components.schemas.CreateDraftRequest.required).toEqual(
      expect.arrayContaining(['type', 'platformId', 'title', 'mannerAndForm']),
    );
  });

  it('answers the public health check without a token', async () => {
    const response = await h.anonymous().get('/health');
    expect(response).toMatchObject({ status: 200, body: { status: 'ok' } });
  });
});
