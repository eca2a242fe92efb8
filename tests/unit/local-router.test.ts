import { ROUTES } from '../../lambdas/api/routes';
import { compileRoute, matchRoute } from '../../local/http-adapter';

describe('the local router', () => {
  it('prefers a literal path to a templated one, as API Gateway does, whatever the order of the route table', () => {
    // Prepare
    const inOrder = ROUTES.map(compileRoute);
    const reversed = [...inOrder].reverse();

    // Act
    const matched = [inOrder, reversed].map((routes) => matchRoute(routes, 'GET', '/notices/counts'));
    const byId = matchRoute(reversed, 'GET', '/notices/ntc_01JQ3Z6X8Y9ABCDEFGHJKMNPQR');

    // Assess
    expect(matched.map((m) => m?.route.operationId)).toEqual(['countNotices', 'countNotices']);
    expect(byId).toMatchObject({
      route: { operationId: 'getNotice' },
      pathParameters: { noticeId: 'ntc_01JQ3Z6X8Y9ABCDEFGHJKMNPQR' },
    });
  });
});
