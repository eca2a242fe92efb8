import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { RouteDefinition } from '../lambdas/api/routes';
import { now as portalNow } from '../lambdas/runtime/clock';

/**
 * Turns a plain HTTP request into the API Gateway HTTP API (payload 2.0) event the deployed handlers receive, and
 * the handler's result back into a response. This is the only glue between Node's HTTP server and the handlers.
 */
export type V2Handler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/** API Gateway's own limit on request payloads; the handlers enforce their smaller limits themselves. */
const API_GATEWAY_MAX_PAYLOAD = 10 * 1024 * 1024;

export interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  parameterNames: string[];
}

export function compileRoute(route: RouteDefinition): CompiledRoute {
  const parameterNames: string[] = [];
  const source = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, name: string) => {
    parameterNames.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), parameterNames };
}

export function matchRoute(
  routes: readonly CompiledRoute[],
  method: string,
  path: string,
): { route: RouteDefinition; pathParameters: Record<string, string> } | undefined {
  // As API Gateway: of the routes matching a path, the one with the fewest parameters wins, so the literal
  // `/notices/counts` is never taken for `/notices/{noticeId}` whatever the order of the route table.
  const candidates = routes
    .filter((compiled) => compiled.route.method === method)
    .sort((a, b) => a.parameterNames.length - b.parameterNames.length);
  for (const compiled of candidates) {
    const match = compiled.pattern.exec(path);
    if (!match) continue;
    const pathParameters = Object.fromEntries(
      compiled.parameterNames.map((name, i) => {
        const value = match[i + 1];
        if (value === undefined) throw new Error(`invariant: ${compiled.route.path} has a group per path parameter`);
        return [name, decodePathParameter(name, value)];
      }),
    );
    return { route: compiled.route, pathParameters };
  }
  return undefined;
}

export class PayloadTooLarge extends Error {}

/**
 * A path parameter that is not valid percent-encoded UTF-8 (`%zz`, `%C0%AF`, a lone surrogate's `%ED%A0%80`): the
 * client's mistake, answered 400 naming the parameter. decodeURIComponent's URIError would otherwise surface as a 500.
 */
export class MalformedPathParameter extends Error {
  constructor(readonly parameter: string) {
    super(`The path parameter ${parameter} is not valid percent-encoded UTF-8.`);
  }
}

function decodePathParameter(name: string, value: string): string {
  try {
    return decodeURIComponent(value);
  } catch (error) {
    if (error instanceof URIError) throw new MalformedPathParameter(name);
    throw error;
  }
}

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > API_GATEWAY_MAX_PAYLOAD) throw new PayloadTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function toV2Event(
  request: IncomingMessage,
  url: URL,
  route: RouteDefinition,
  pathParameters: Record<string, string>,
  body: Buffer,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  // API Gateway joins repeated query parameters with commas.
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  // The portal's clock, so a request's time agrees with a clock moved forward by POST /dev/clock.
  const now = portalNow();
  // Only valid UTF-8 is passed as text: decoding anything else would replace the bad bytes with U+FFFD before the
  // handler could refuse them, so those bodies go base64-encoded, as binary bodies do.
  const textual =
    /^(application\/([a-z.+-]*\+)?json|text\/)/i.test(headers['content-type'] ?? 'application/json') && isUtf8(body);
  return {
    version: '2.0',
    routeKey: `${route.method} ${route.path}`,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: Object.keys(pathParameters).length ? pathParameters : undefined,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: `${route.method} ${route.path}`,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: body.length ? (textual ? body.toString('utf8') : body.toString('base64')) : undefined,
    isBase64Encoded: body.length > 0 && !textual,
  };
}

export function writeResult(response: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  response.writeHead(result.statusCode ?? 200, headers);
  const body = result.body ?? '';
  response.end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
}

export function writeJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}
