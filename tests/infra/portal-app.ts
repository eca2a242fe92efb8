import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, NestedStack, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EdgeProtectionStack } from '../../lib/edge-protection-stack';
import { addNoticePortal, edgeStackName } from '../../lib/notice-portal-app';
import type { NoticePortalStack } from '../../lib/notice-portal-stack';

/** The feature flags in cdk.json, which the CLI passes to the app: the tests must see the same template. */
export function cdkJsonContext(): Record<string, unknown> {
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
  /**
   * The portal stack's template with the resources of every nested stack merged in (see {@link mergedTemplate}):
   * what the tests assert about "every function" or "the route X" holds wherever CDK put the resource.
   */
  template: Template;
  /** Each stack's own template: the portal stack's, then each nested stack's (by construct path). */
  stackTemplates: StackTemplate[];
  /** The us-east-1 stack with the distribution's web ACL, which the portal stack depends on. */
  edge: EdgeProtectionStack;
  /** The edge stack's template (a stack of its own, not merged into `template`). */
  edgeTemplate: Template;
}

export interface StackTemplate {
  /** The stack's construct path (`NoticePortal`, `NoticePortal/Routes/Notices`). */
  path: string;
  stack: Stack;
  template: Template;
}

/**
 * Builds and synthesizes the portal app exactly as `bin/notice-portal.ts` does (stack, context parsing, cdk-nag),
 * but without bundling the Lambda code, which takes seconds and is covered by `cdk synth`.
 * Synthesis throws if cdk-nag reports an unacknowledged error.
 */
export function synthesizePortal(context: Record<string, unknown> = {}): SynthesizedPortal {
  const app = new App({
    // CDK's built-in CloudFormation validation (a WebAssembly rule engine: ~12 of a synth's ~18 s, per test file)
    // only warns unless the app sets `@aws-cdk/core:validateAgainstDefaultRules`, which this one does not, and it
    // changes no template. `cdk synth` in `npm test` still runs it on the real app.
    builtinCloudFormationValidation: false,
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], webAppDirectory: WEB_APP_FIXTURE, ...context },
  });
  const stack = addNoticePortal(app);
  const stackTemplates = templatesOf(stack);
  const edge = app.node.findChild(edgeStackName(stack.stackName));
  if (!(edge instanceof EdgeProtectionStack)) throw new Error('expected addNoticePortal to add the edge stack');
  return {
    app,
    stack,
    template: mergedTemplate(stackTemplates),
    stackTemplates,
    edge,
    edgeTemplate: Template.fromStack(edge),
  };
}

/** The template of `stack` and of every stack nested in it, at any depth, parents before their nested stacks. */
export function templatesOf(stack: Stack): StackTemplate[] {
  const nested = stack.node.findAll().filter((c): c is NestedStack => NestedStack.isNestedStack(c));
  return [stack, ...nested].map((s) => ({ path: s.node.path, stack: s, template: Template.fromStack(s) }));
}

type Json = Record<string, any>;

/**
 * One template holding the resources of all `templates` (the first is the top-level stack's), as if they were one
 * stack: in each nested stack's resources, a `Ref` to a parameter is replaced by the value its parent passes in
 * (`{ Ref: 'referencetoNoticePortalDataTable…Arn' }` becomes `{ 'Fn::GetAtt': ['DataTable…', 'Arn'] }`), so
 * references between resources read the same whichever stack holds them. The `AWS::CloudFormation::Stack`
 * resources stay in. Throws if two stacks use the same logical id, which would make the merge ambiguous.
 */
export function mergedTemplate(templates: readonly StackTemplate[]): Template {
  const [top, ...nested] = templates;
  if (top === undefined) throw new Error('mergedTemplate needs at least one template');
  const merged: Json = structuredClone(top.template.toJSON());
  for (const { stack, path: stackPath, template } of nested) {
    const nestedStack = stack as NestedStack;
    const stackResource = nestedStack.nestedStackResource;
    if (stackResource === undefined) throw new Error(`${stackPath} has no AWS::CloudFormation::Stack resource`);
    const parent = nestedStack.nestedStackParent;
    if (parent === undefined) throw new Error(`${stackPath} has no parent stack`);
    // The parent's resources are already merged (parents come first), with their own parameters substituted.
    const parameters: Json = merged.Resources[parent.getLogicalId(stackResource)]?.Properties?.Parameters ?? {};
    const substitute = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(substitute);
      if (value === null || typeof value !== 'object') return value;
      const object = value as Json;
      const keys = Object.keys(object);
      if (keys.length === 1 && keys[0] === 'Ref' && object.Ref in parameters) return parameters[object.Ref];
      return Object.fromEntries(keys.map((key) => [key, substitute(object[key])]));
    };
    for (const [logicalId, resource] of Object.entries<Json>(template.toJSON().Resources ?? {})) {
      if (logicalId in merged.Resources) {
        throw new Error(`logical id ${logicalId} is used in ${stackPath} and in another stack of the portal`);
      }
      merged.Resources[logicalId] = substitute(resource);
    }
  }
  return Template.fromJSON(merged);
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
/** The logical-id prefix of CDK's singleton handler that copies the built web app into its bucket (BucketDeployment). */
export const CDK_BUCKET_DEPLOYMENT_HANDLER = 'CustomCDKBucketDeployment';
/** The logical-id prefix of CDK's singleton AwsCustomResource handler (it sets the response bucket's CORS rule). */
export const CDK_AWS_CUSTOM_RESOURCE_HANDLER = 'AWS679f53fac002430cb0da5b7982bd2287';
/** CDK's own deploy-time handlers: they run during deployments only, and the portal's function defaults do not apply. */
export const CDK_DEPLOY_TIME_HANDLERS = [
  CDK_BUCKET_NOTIFICATIONS_HANDLER,
  CDK_BUCKET_DEPLOYMENT_HANDLER,
  CDK_AWS_CUSTOM_RESOURCE_HANDLER,
] as const;
const isDeployTimeHandler = (logicalId: string) => CDK_DEPLOY_TIME_HANDLERS.some((p) => logicalId.startsWith(p));

/** The portal's own Lambda functions (every `PortalFunction`), by logical id: all but CDK's deploy-time handlers. */
export function portalFunctions(template: Template): Record<string, Resource> {
  return Object.fromEntries(
    Object.entries(template.findResources('AWS::Lambda::Function') as Record<string, Resource>).filter(
      ([id]) => !isDeployTimeHandler(id),
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

/**
 * The logical-id prefix of the policy of the role that CDK's BucketDeployment handler runs with (copies the built
 * web app into the app bucket): its grants are CDK's, with wildcards, on the asset bucket and the app bucket only.
 */
export const WEB_DEPLOYMENT_POLICY = 'WebDeploymentRoleDefaultPolicy';

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

/**
 * A CloudFormation string expression as readable text: `Fn::Join` joined, `{ Ref: X }` as `<X>` and
 * `{ 'Fn::GetAtt': [X, A] }` as `<X.A>` (pseudo parameters too: `<AWS::Region>`). So a test can compare a value
 * built from tokens with an expected string written out in full.
 */
export function cfnText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') {
    const expression = value as Record<string, any>;
    if ('Ref' in expression) return `<${expression.Ref}>`;
    if ('Fn::GetAtt' in expression) return `<${asArray(expression['Fn::GetAtt']).join('.')}>`;
    if ('Fn::Join' in expression) {
      const [separator, parts] = expression['Fn::Join'] as [string, unknown[]];
      return parts.map(cfnText).join(separator);
    }
  }
  throw new Error(`cfnText cannot read ${JSON.stringify(value)}`);
}
