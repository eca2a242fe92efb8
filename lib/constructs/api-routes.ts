import { Validations } from 'aws-cdk-lib';
import { type HttpApi, HttpMethod, HttpNoneAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { RouteDefinition } from '../../lambdas/api/routes';

/** `issueNotice` → `IssueNotice`: the prefix of every construct id made for a route. */
export function routeConstructName(route: RouteDefinition): string {
  return route.operationId.charAt(0).toUpperCase() + route.operationId.slice(1);
}

/**
 * Adds one entry of `ROUTES` to an HTTP API, integrated with its function. A public route gets no authorizer (the
 * API's default authorizer guards every other one), and cdk-nag is told why it is public.
 */
export function addRoute(httpApi: HttpApi, route: RouteDefinition, fn: IFunction): void {
  const routes = httpApi.addRoutes({
    path: route.path,
    methods: [HttpMethod[route.method]],
    integration: new HttpLambdaIntegration(`${routeConstructName(route)}Integration`, fn),
    authorizer: route.public ? new HttpNoneAuthorizer() : undefined,
  });
  if (!route.public) return;
  for (const publicRoute of routes) {
    Validations.of(publicRoute).acknowledge({
      id: 'AwsSolutions-APIG4',
      // Public by design: documentation, health, published public keys, and the OAuth token endpoint (which
      // authenticates the client itself with its secret). None of them returns notice data.
      reason: `${route.method} ${route.path} is public by design (${route.summary}); it returns no notice data.`,
    });
  }
}
