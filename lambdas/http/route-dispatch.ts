import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

type V2Handler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * One function serving several routes (routes.ts: routes naming the same handler module): the route's own handler
 * is chosen by the event's `routeKey` (`"GET /notices/counts"`), which API Gateway and the local portal both set.
 * A route key the module does not serve means the route table and the module disagree: a 500, said plainly.
 */
export function dispatchByRoute(handlers: Readonly<Record<string, V2Handler>>): V2Handler {
  return async (event) => {
    const handler = handlers[event.routeKey];
    if (handler) return handler(event);
    return {
      statusCode: 500,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ error: { code: 'internal', message: `No handler for route ${event.routeKey}.` } }),
    };
  };
}
