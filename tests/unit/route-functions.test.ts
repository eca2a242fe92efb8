import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ROUTES, type RouteDefinition, routeFunctions } from '../../lambdas/api/routes';
import { dispatchByRoute } from '../../lambdas/http/route-dispatch';

const route = (overrides: Partial<RouteDefinition>): RouteDefinition => ({
  operationId: 'op',
  method: 'GET',
  path: '/x',
  handler: 'x',
  public: false,
  tableAccess: 'read',
  summary: 'x',
  ...overrides,
});

describe('functions shared by routes', () => {
  it('groups the routes naming one handler module into one function, in table order', () => {
    // Act
    const groups = routeFunctions();

    // Assess
    const lists = groups.find((g) => g.handler === 'notice-lists');
    const drafts = groups.find((g) => g.handler === 'draft-writes');
    expect(lists?.routes.map((r) => r.operationId)).toEqual(['listNotices', 'countNotices']);
    expect(drafts?.routes.map((r) => r.operationId)).toEqual(['createDraft', 'reviseDraft']);
    expect(groups.reduce((n, g) => n + g.routes.length, 0)).toBe(ROUTES.length);
  });

  it('refuses routes that share a module but ask for different access', () => {
    // Prepare
    const routes = [route({ operationId: 'a' }), route({ operationId: 'b', tableAccess: 'read-write' })];

    // Act
    const act = () => routeFunctions(routes);

    // Assess
    expect(act).toThrow('Routes a and b share x but differ in tableAccess');
  });

  it('serves each route key with its own handler, and names a route key it does not serve', async () => {
    // Prepare
    const handler = dispatchByRoute({ 'GET /a': async () => ({ statusCode: 204 }) });

    // Act
    const served = await handler({ routeKey: 'GET /a' } as APIGatewayProxyEventV2);
    const unknown = await handler({ routeKey: 'GET /b' } as APIGatewayProxyEventV2);

    // Assess
    expect(served.statusCode).toBe(204);
    expect(unknown.statusCode).toBe(500);
    expect(unknown.body).toContain('GET /b');
  });
});
