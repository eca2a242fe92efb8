import { randomBytes, randomUUID } from 'node:crypto';
import { base64url } from 'jose';
import { ROUTES } from '../../../../lambdas/api/routes';
import type { Harness, Response } from '../portal-harness';
import type { BuildContext, RequestSpec, RequestTemplate } from './request-template';
import { crockford } from './unique-ids';

/** Turning a template into a request (real, or with phantom ids) and sending it with a given Authorization. */

/** POST /oauth2/token with a form-encoded client-credentials grant. */
export function tokenRequest(fields: Record<string, string>): RequestSpec {
  return { method: 'POST', path: '/oauth2/token', form: { grant_type: 'client_credentials', ...fields } };
}

export function routeOf(operationId: string) {
  const route = ROUTES.find((r) => r.operationId === operationId);
  if (!route) throw new Error(`No route ${operationId} in ROUTES`);
  return route;
}

/** Fills `{name}` placeholders; every one must have a value. */
export function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`No value for path parameter ${name} of ${path}`);
    return encodeURIComponent(value);
  });
}

/** Well-formed ids that name nothing: a probe with them must be answered exactly as one for a foreign resource. */
export function phantomParams(params: Record<string, string>): Record<string, string> {
  const phantom: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    if (name === 'noticeId') phantom[name] = `ntc_${crockford(26)}`;
    else if (name === 'submissionId') phantom[name] = `sub_${crockford(26)}`;
    else if (name === 'bundleId') phantom[name] = `bdl_${crockford(26)}`;
    else if (name === 'platformId') phantom[name] = `no-such-platform-${randomBytes(3).toString('hex')}`;
    else if (name === 'kid') phantom[name] = base64url.encode(randomBytes(32));
    else if (name === 'subject') phantom[name] = randomUUID();
    else phantom[name] = value; // extensionId, fileIndex: meaningless without the resource
  }
  return phantom;
}

export async function buildRequest(
  template: RequestTemplate,
  ctx: BuildContext,
  options: { allowed: boolean; phantom: boolean },
): Promise<RequestSpec> {
  const route = routeOf(template.operationId);
  const fresh = options.allowed && template.allowed ? await template.allowed(ctx) : {};
  let params = fresh.params ?? template.params?.(ctx) ?? {};
  if (options.phantom) params = phantomParams(params);
  const query = template.query?.(ctx);
  const path = fillPath(route.path, params) + (query ? `?${new URLSearchParams(query)}` : '');
  const body = 'body' in fresh ? fresh.body : await template.body?.(ctx);
  return { method: route.method, path, body, form: template.form?.(ctx) };
}

export async function send(h: Harness, request: RequestSpec, authorization: string | undefined): Promise<Response> {
  const headers: Record<string, string> = {};
  if (authorization !== undefined) headers.authorization = authorization;
  let body: string | undefined;
  if (request.raw !== undefined) {
    headers['content-type'] = request.raw.contentType;
    body = request.raw.body;
  } else if (request.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = Object.entries(request.form)
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      .join('&');
  } else if (request.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.body);
  }
  return h.anonymous().raw(request.path, { method: request.method, headers, body });
}
