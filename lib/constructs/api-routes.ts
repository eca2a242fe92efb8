import { Validations } from 'aws-cdk-lib';
import { type HttpApi, HttpMethod, HttpNoneAuthorizer, HttpRoute, HttpRouteKey } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { RouteDefinition } from '../../lambdas/api/routes';

/** `issueNotice` → `IssueNotice`: the prefix of every construct id made for a route. */
export function routeConstructName(route: RouteDefinition): string {
  return route.operationId.charAt(0).toUpperCase() + route.operationId.slice(1);
}

/**
 * Adds one entry of `ROUTES` to an HTTP API, integrated with its function. The route, its integration and the
 * function's invoke permission (scoped to this API and this route's path) are made in `scope`, which may be a
 * nested stack other than the API's: they go with the function, so the API's own stack stays small. `id` must be
 * unique in `scope` (one per API a function is served on).
 *
 * A public route gets no authorizer (the API's default authorizer guards every other one; CDK binds it under the
 * API itself, so it stays in the API's stack), and cdk-nag is told why it is public.
 */
export function addRoute(scope: Construct, id: string, httpApi: HttpApi, route: RouteDefinition, fn: IFunction): void {
  const httpRoute = new HttpRoute(scope, id, {
    httpApi,
    routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
    integration: new HttpLambdaIntegration(`${routeConstructName(route)}Integration`, fn),
    authorizer: route.public ? new HttpNoneAuthorizer() : undefined,
  });
  if (!route.public) return;
  Validations.of(httpRoute).acknowledge({
    id: 'AwsSolutions-APIG4',
    // Public by design: documentation, health, published public keys, and the OAuth token endpoint (which
    // authenticates the client itself with its secret). None of them returns notice data.
    reason: `${route.method} ${route.path} is public by design (${route.summary}); it returns no notice data.`,
  });
}
