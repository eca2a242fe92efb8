import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addNoticePortal } from '../../lib/notice-portal-app';
import type { NoticePortalStack } from '../../lib/notice-portal-stack';

/** The feature flags in cdk.json, which the CLI passes to the app: the tests must see the same template. */
function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8'));
  return cdkJson.context ?? {};
}

/**
 * A tiny stand-in for `web/dist` (index.html, a hashed entry chunk and the developer panel chunk), so the
 * infrastructure tests need no build of the web app.
 */
export const WEB_APP_FIXTURE = path.join(__dirname, 'fixtures', 'web-dist');

export interface SynthesizedPortal {
  app: App;
  stack: NoticePortalStack;
  template: Template;
}

/**
 * Builds and synthesizes the portal app exactly as `bin/notice-portal.ts` does (stack, context parsing, cdk-nag),
 * but without bundling the Lambda code, which takes seconds and is covered by `cdk synth`.
 * Synthesis throws if cdk-nag reports an unacknowledged error.
 */
export function synthesizePortal(context: Record<string, unknown> = {}): SynthesizedPortal {
  const app = new App({
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], webAppDirectory: WEB_APP_FIXTURE, ...context },
  });
  const stack = addNoticePortal(app);
  const template = Template.fromStack(stack);
  return { app, stack, template };
}

type Resource = { Type: string; Properties?: Record<string, any> };

/** The resource with this logical id; throws, naming the id, if the template has none. */
export function resourceIn<R extends Resource>(resources: Record<string, R>, logicalId: string): R {
  const resource = resources[logicalId];
  if (resource === undefined) throw new Error(`expected a resource "${logicalId}" in the template`);
  return resource;
}

/**
 * The logical-id prefix of CDK's singleton custom resource handler that sets bucket notification configurations at
 * deploy time. It is CDK's code, not the portal's: the portal's function defaults do not apply to it.
 */
export const CDK_BUCKET_NOTIFICATIONS_HANDLER = 'BucketNotificationsHandler';

/** The portal's own Lambda functions (every `PortalFunction`), by logical id: all but CDK's deploy-time handler. */
export function portalFunctions(template: Template): Record<string, Resource> {
  return Object.fromEntries(
    Object.entries(template.findResources('AWS::Lambda::Function') as Record<string, Resource>).filter(
      ([id]) => !id.startsWith(CDK_BUCKET_NOTIFICATIONS_HANDLER),
    ),
  );
}

/** Every IAM policy statement in the template (identity policies only: resource policies are checked apart). */
export function iamStatements(template: Template): Array<{ policyId: string; statement: Record<string, any> }> {
  const policies = template.findResources('AWS::IAM::Policy') as Record<string, Resource>;
  return Object.entries(policies).flatMap(([policyId, policy]) =>
    (policy.Properties?.PolicyDocument?.Statement ?? []).map((statement: Record<string, any>) => ({
      policyId,
      statement,
    })),
  );
}

/** The identity-policy statements attached to a function's execution role. */
export function statementsOfFunction(template: Template, functionId: string): Array<Record<string, any>> {
  const fn = template.toJSON().Resources[functionId] as Resource;
  const roleId = fn.Properties?.Role?.['Fn::GetAtt']?.[0];
  const policies = template.findResources('AWS::IAM::Policy') as Record<string, Resource>;
  return Object.values(policies)
    .filter((policy) => (policy.Properties?.Roles ?? []).some((role: any) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties?.PolicyDocument?.Statement ?? []);
}

/** The description of the user API (`NoticeApi`), which tells it apart from the machine API. */
export const USER_API_DESCRIPTION = 'Notice-response portal API';
/** The description of the machine API (`MachineApi`). */
export const MACHINE_API_DESCRIPTION = "Notice-response portal machine API, for platforms' API clients";

/** The logical id of the HTTP API with this description; throws unless exactly one has it. */
export function apiId(template: Template, description: string): string {
  const ids = Object.keys(
    template.findResources('AWS::ApiGatewayV2::Api', { Properties: { Description: description } }),
  );
  if (ids.length !== 1) throw new Error(`expected one API described "${description}", found ${ids.length}`);
  return ids[0]!;
}

/** The routes of one HTTP API (by logical id), by logical id. */
export function routesOf(template: Template, api: string): Record<string, Resource> {
  return template.findResources('AWS::ApiGatewayV2::Route', { Properties: { ApiId: { Ref: api } } }) as Record<
    string,
    Resource
  >;
}

/**
 * Follows route → integration → function and returns the route's properties and the function's logical id. The
 * route is looked up in the user API unless `api` (a logical id) names another.
 */
export function routeAndFunction(
  template: Template,
  routeKey: string,
  api: string = apiId(template, USER_API_DESCRIPTION),
): { route: Record<string, any>; functionId: string } {
  const routes = Object.values(routesOf(template, api)).filter((r) => r.Properties?.RouteKey === routeKey);
  if (routes.length !== 1) throw new Error(`expected one route "${routeKey}" in ${api}, found ${routes.length}`);
  const route = routes[0]!.Properties ?? {};
  const integrationId = route.Target['Fn::Join'][1][1].Ref;
  const integration = template.toJSON().Resources[integrationId] as Resource;
  return { route, functionId: integration.Properties?.IntegrationUri['Fn::GetAtt'][0] };
}

export const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
