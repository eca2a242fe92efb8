import { App, type CfnElement, Stack, Token } from 'aws-cdk-lib';
import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import { ROUTES, type RouteDefinition } from '../../lambdas/api/routes';
import { routeKeyOf } from '../../lib/constructs/api-stage';
import { CloudFrontWebAcl, MANAGED_RULE_GROUPS } from '../../lib/constructs/cloudfront-web-acl';
import { MACHINE_ROUTES } from '../../lib/constructs/machine-access';
import { routeArea } from '../../lib/constructs/route-areas';
import { WebAclArnReader } from '../../lib/constructs/web-acl-arn-reader';
import { EDGE_REGION, EdgeProtectionStack } from '../../lib/edge-protection-stack';
import { DEFAULT_PROTECTION, DEFAULT_ROUTE_THROTTLES, resolveProtectionSettings } from '../../lib/protection-settings';
import {
  apiId,
  iamStatements,
  MACHINE_API_DESCRIPTION,
  resourceIn,
  routesOf,
  type SynthesizedPortal,
  synthesizePortal,
  USER_API_DESCRIPTION,
} from './portal-app';

type Resource = { Type: string; Properties?: Record<string, any>; DependsOn?: string[] };

let portal: SynthesizedPortal;
let top: Template;
beforeAll(() => {
  portal = synthesizePortal();
  top = portal.stackTemplates[0]!.template;
});

const resourcesOf = (template: Template, type: string) => template.findResources(type) as Record<string, Resource>;
const only = <T>(values: Record<string, T>, what: string): [string, T] => {
  const entries = Object.entries(values);
  if (entries.length !== 1) throw new Error(`expected one ${what}, found ${entries.length}`);
  return entries[0]!;
};
const stageOf = (description: string): Resource =>
  only(
    Object.fromEntries(
      Object.entries(resourcesOf(portal.template, 'AWS::ApiGatewayV2::Stage')).filter(
        ([, stage]) => stage.Properties?.ApiId?.Ref === apiId(portal.template, description),
      ),
    ),
    `stage of "${description}"`,
  )[1];
const webAcl = () => only(resourcesOf(portal.edgeTemplate, 'AWS::WAFv2::WebACL'), 'web ACL');
const rules = (): Array<Record<string, any>> => webAcl()[1].Properties?.Rules;
const logicalIdIn = (stack: Stack, element: CfnElement) => stack.getLogicalId(element);
const routeSettingsFor = (routes: readonly RouteDefinition[]) =>
  Object.fromEntries(
    routes
      .filter((route) => route.operationId in DEFAULT_ROUTE_THROTTLES)
      .map((route) => {
        const limits = DEFAULT_ROUTE_THROTTLES[route.operationId]!;
        return [routeKeyOf(route), { ThrottlingRateLimit: limits.rateLimit, ThrottlingBurstLimit: limits.burstLimit }];
      }),
  );

describe('protection settings', () => {
  it('defaults to the documented numbers', () => {
    expect(resolveProtectionSettings()).toEqual({
      apiRateLimit: 100,
      apiBurstLimit: 200,
      machineApiRateLimit: 50,
      machineApiBurstLimit: 100,
      routeThrottles: {
        issueAccessToken: { rateLimit: 5, burstLimit: 10 },
        issueNotice: { rateLimit: 10, burstLimit: 20 },
        openSubmission: { rateLimit: 10, burstLimit: 20 },
        finalizeSubmission: { rateLimit: 10, burstLimit: 20 },
        requestEvidenceBundle: { rateLimit: 2, burstLimit: 5 },
      },
      wafRateLimit: 2000,
    });
  });

  it('throttles only routes that exist, and the token endpoint hardest of all', () => {
    const operations = new Set(ROUTES.map((route) => route.operationId));
    for (const id of Object.keys(DEFAULT_ROUTE_THROTTLES)) expect(operations.has(id)).toBe(true);
    const token = DEFAULT_ROUTE_THROTTLES.issueAccessToken!;
    expect(token.rateLimit).toBeLessThan(DEFAULT_PROTECTION.machineApiRateLimit / 5);
  });

  it('applies overrides setting by setting, and route throttles route by route', () => {
    // Act
    const settings = resolveProtectionSettings({
      wafRateLimit: 500,
      apiRateLimit: undefined,
      routeThrottles: { issueAccessToken: { rateLimit: 1, burstLimit: 2 } },
    });

    // Assess
    expect(settings.wafRateLimit).toBe(500);
    expect(settings.apiRateLimit).toBe(100);
    expect(settings.routeThrottles).toEqual({
      ...DEFAULT_ROUTE_THROTTLES,
      issueAccessToken: { rateLimit: 1, burstLimit: 2 },
    });
  });

  it('refuses values API Gateway or WAF would refuse, naming the setting', () => {
    expect(() => resolveProtectionSettings({ wafRateLimit: 5 })).toThrow(/protection\.wafRateLimit/);
    expect(() => resolveProtectionSettings({ apiBurstLimit: 1.5 })).toThrow(/protection\.apiBurstLimit/);
    expect(() => resolveProtectionSettings({ machineApiRateLimit: 0 })).toThrow(/protection\.machineApiRateLimit/);
    expect(() =>
      resolveProtectionSettings({ routeThrottles: { issueAccessToken: { rateLimit: 5, burstLimit: 0 } } }),
    ).toThrow(/protection\.routeThrottles\.issueAccessToken\.burstLimit/);
  });

  it('refuses a route throttle for an operation that is not in ROUTES', () => {
    expect(() =>
      resolveProtectionSettings({ routeThrottles: { issueTokens: { rateLimit: 1, burstLimit: 1 } } }),
    ).toThrow(/protection\.routeThrottles\.issueTokens: .*not the operationId of a route/);
  });
});

describe('API throttling', () => {
  it("throttles the user API's stage and, tighter, the listed routes on it", () => {
    const stage = stageOf(USER_API_DESCRIPTION);
    expect(stage.Properties?.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 });
    expect(stage.Properties?.RouteSettings).toEqual(routeSettingsFor(ROUTES));
    expect(stage.Properties?.RouteSettings['POST /oauth2/token']).toEqual({
      ThrottlingRateLimit: 5,
      ThrottlingBurstLimit: 10,
    });
  });

  it("throttles the machine API's stage on its own budget, and the listed routes it serves", () => {
    const stage = stageOf(MACHINE_API_DESCRIPTION);
    expect(stage.Properties?.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 });
    expect(stage.Properties?.RouteSettings).toEqual(routeSettingsFor(MACHINE_ROUTES));
    expect(Object.keys(stage.Properties?.RouteSettings)).toEqual(
      expect.arrayContaining(['POST /oauth2/token', 'POST /notices/{noticeId}/submissions/{submissionId}/finalize']),
    );
    // Issuing notices is for regulators, on the user API alone.
    expect(stage.Properties?.RouteSettings).not.toHaveProperty(['POST /notices/{noticeId}/issue']);
  });

  it.each([
    ['user', USER_API_DESCRIPTION],
    ['machine', MACHINE_API_DESCRIPTION],
  ])('names in the %s API stage only routes that API has', (_name, description) => {
    const keys = Object.values(routesOf(portal.template, apiId(portal.template, description))).map(
      (route) => route.Properties?.RouteKey,
    );
    expect(keys).toEqual(expect.arrayContaining(Object.keys(stageOf(description).Properties?.RouteSettings)));
  });

  it.each([
    ['user', USER_API_DESCRIPTION, ROUTES],
    ['machine', MACHINE_API_DESCRIPTION, MACHINE_ROUTES],
  ] as const)(
    'deploys the %s API stage after the nested stacks holding its throttled routes',
    (_n, description, routes) => {
      // Prepare: API Gateway refuses route settings for a route that does not exist yet.
      const areas = new Set(routes.filter((r) => r.operationId in DEFAULT_ROUTE_THROTTLES).map(routeArea));
      const nestedStackIds = [...areas].map((area) => {
        const nested = portal.stack.routes.stacks[area]!;
        return logicalIdIn(portal.stack, nested.nestedStackResource as CfnElement);
      });

      // Assess
      expect(stageOf(description).DependsOn).toEqual(expect.arrayContaining(nestedStackIds));
    },
  );
});

describe('access logs', () => {
  it.each([
    ['user', USER_API_DESCRIPTION],
    ['machine', MACHINE_API_DESCRIPTION],
  ])('log, for the %s API, request ids, route, status, caller address, latency and errors', (_name, description) => {
    // Prepare
    const format = new Capture();

    // Act
    const stage = stageOf(description);
    Template.fromJSON({ Resources: { Stage: stage } }).hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] }, Format: format },
    });

    // Assess
    expect(JSON.parse(format.asString())).toMatchObject({
      requestId: '$context.requestId',
      extendedRequestId: '$context.extendedRequestId',
      integrationRequestId: '$context.integration.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
      sourceIp: '$context.identity.sourceIp',
      responseLatency: '$context.responseLatency',
      integrationLatency: '$context.integrationLatency',
      errorResponseType: '$context.error.responseType',
      integrationError: '$context.integrationErrorMessage',
    });
  });
});

describe('the edge stack', () => {
  it('is pinned to us-east-1 but to no account, while the portal stack stays environment-agnostic', () => {
    expect(portal.edge.region).toBe('us-east-1');
    expect(Token.isUnresolved(portal.edge.account)).toBe(true);
    expect(Token.isUnresolved(portal.stack.region)).toBe(true);
    expect(Token.isUnresolved(portal.stack.account)).toBe(true);
  });

  it('is deployed before the portal stack', () => {
    expect(portal.stack.dependencies).toContain(portal.edge);
    const assembly = portal.app.synth();
    expect(assembly.getStackArtifact(portal.stack.artifactId).dependencies.map((d) => d.id)).toContain(
      portal.edge.artifactId,
    );
  });

  it('holds the web ACL, its logging and the parameter with its ARN, and nothing else', () => {
    const types = Object.values(portal.edgeTemplate.toJSON().Resources as Record<string, Resource>).map((r) => r.Type);
    expect(types.sort()).toEqual(
      ['AWS::Logs::LogGroup', 'AWS::SSM::Parameter', 'AWS::WAFv2::LoggingConfiguration', 'AWS::WAFv2::WebACL'].sort(),
    );
  });

  it('writes the web ACL ARN to the parameter the portal stack reads', () => {
    const [webAclId] = webAcl();
    portal.edgeTemplate.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/notice-portal/NoticePortal/cloudfront-web-acl-arn',
      Type: 'String',
      Value: { 'Fn::GetAtt': [webAclId, 'Arn'] },
    });
  });

  it('refuses to make a CloudFront web ACL in another region', () => {
    const stack = new Stack(new App(), 'Elsewhere', { env: { region: 'ap-southeast-2' } });
    expect(() => new CloudFrontWebAcl(stack, 'Acl', { rateLimit: 100, metricPrefix: 'x' })).toThrow(/us-east-1/);
  });

  it("takes the web ACL's rate limit from its props", () => {
    const edge = new EdgeProtectionStack(new App(), 'Edge', { wafRateLimit: 300, webAclArnParameterName: '/x/arn' });
    expect(edge.region).toBe(EDGE_REGION);
    Template.fromStack(edge).hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([
        Match.objectLike({ Statement: { RateBasedStatement: Match.objectLike({ Limit: 300 }) } }),
      ]),
    });
  });
});

describe('the web ACL', () => {
  it('is CLOUDFRONT-scoped and allows what no rule blocks, with metrics and sampled requests', () => {
    expect(webAcl()[1].Properties).toMatchObject({
      Scope: 'CLOUDFRONT',
      DefaultAction: { Allow: {} },
      VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true },
    });
  });

  it('first blocks a client address above the rate limit per 5 minutes, answering 429', () => {
    expect(rules()[0]).toEqual({
      Name: 'RateLimitPerIp',
      Priority: 0,
      Statement: {
        RateBasedStatement: {
          Limit: DEFAULT_PROTECTION.wafRateLimit,
          AggregateKeyType: 'IP',
          EvaluationWindowSec: 300,
        },
      },
      Action: { Block: { CustomResponse: { ResponseCode: 429 } } },
      VisibilityConfig: {
        CloudWatchMetricsEnabled: true,
        MetricName: 'NoticePortalEdge-rate-limit',
        SampledRequestsEnabled: true,
      },
    });
  });

  it('then applies the IP reputation list, the known bad inputs and the common rule set, in that order', () => {
    const managed = rules().slice(1);
    expect(managed.map((rule) => rule.Statement.ManagedRuleGroupStatement?.Name)).toEqual([
      'AWSManagedRulesAmazonIpReputationList',
      'AWSManagedRulesKnownBadInputsRuleSet',
      'AWSManagedRulesCommonRuleSet',
    ]);
    expect(managed.map((rule) => rule.Statement.ManagedRuleGroupStatement.Name)).toEqual([...MANAGED_RULE_GROUPS]);
    for (const rule of managed) {
      expect(rule.Statement.ManagedRuleGroupStatement.VendorName).toBe('AWS');
      // The groups' own block actions stay in force.
      expect(rule.OverrideAction).toEqual({ None: {} });
      expect(rule.VisibilityConfig).toMatchObject({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true });
    }
    expect(new Set(rules().map((rule) => rule.Priority)).size).toBe(rules().length);
  });

  it('only counts bodies over 8 KB, which the API accepts up to 64 KiB, and overrides no other rule', () => {
    const overrides = rules().flatMap((rule) =>
      (rule.Statement.ManagedRuleGroupStatement?.RuleActionOverrides ?? []).map((o: Record<string, any>) => ({
        group: rule.Name,
        ...o,
      })),
    );
    expect(overrides).toEqual([
      { group: 'AWSManagedRulesCommonRuleSet', Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } },
    ]);
  });

  it('logs blocked and counted requests only, without tokens, to an aws-waf-logs- group kept for a year', () => {
    const [webAclId] = webAcl();
    const [logGroupId, logGroup] = only(resourcesOf(portal.edgeTemplate, 'AWS::Logs::LogGroup'), 'log group');
    expect(logGroup.Properties).toMatchObject({ LogGroupName: 'aws-waf-logs-NoticePortalEdge', RetentionInDays: 365 });
    portal.edgeTemplate.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      ResourceArn: { 'Fn::GetAtt': [webAclId, 'Arn'] },
      LogDestinationConfigs: [
        {
          'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':log-group:$'), { Ref: logGroupId }])],
        },
      ],
      RedactedFields: [{ SingleHeader: { Name: 'authorization' } }, { SingleHeader: { Name: 'cookie' } }],
      LoggingFilter: {
        DefaultBehavior: 'DROP',
        Filters: [
          {
            Behavior: 'KEEP',
            Requirement: 'MEETS_ANY',
            Conditions: [
              { ActionCondition: { Action: 'BLOCK' } },
              { ActionCondition: { Action: 'COUNT' } },
              { ActionCondition: { Action: 'EXCLUDED_AS_COUNT' } },
            ],
          },
        ],
      },
    });
  });
});

describe('the distribution and its web ACL', () => {
  const reader = () => only(resourcesOf(top, 'Custom::CloudFrontWebAclArn'), 'web ACL ARN reader');

  it("is given the ARN the reader got from the edge stack's parameter", () => {
    const [readerId] = reader();
    const [, distribution] = only(resourcesOf(top, 'AWS::CloudFront::Distribution'), 'distribution');
    expect(distribution.Properties?.DistributionConfig.WebACLId).toEqual({
      'Fn::GetAtt': [readerId, 'Parameter.Value'],
    });
  });

  it('reads the parameter in us-east-1 with ssm:GetParameter, on create and on update', () => {
    const [, resource] = reader();
    for (const call of [resource.Properties?.Create, resource.Properties?.Update]) {
      expect(JSON.parse(call)).toEqual({
        service: 'SSM',
        action: 'getParameter',
        parameters: { Name: '/notice-portal/NoticePortal/cloudfront-web-acl-arn' },
        region: 'us-east-1',
        physicalResourceId: { id: '/notice-portal/NoticePortal/cloudfront-web-acl-arn' },
        outputPaths: ['Parameter.Value'],
      });
    }
    expect(resource.Properties?.Delete).toBeUndefined();
    // A replaced web ACL (new logical id) changes this property, so the ARN is read again.
    expect(resource.Properties?.WebAclIdentity).toBe(
      `NoticePortalEdge/${portal.edge.getLogicalId(portal.edge.webAcl.webAcl)}`,
    );
  });

  it('may read that one parameter and no other, and nothing else of SSM anywhere in the portal stack', () => {
    const ssm = iamStatements(portal.template).filter(({ statement }) => JSON.stringify(statement).includes('ssm'));
    expect(ssm.map(({ statement }) => statement)).toEqual([
      {
        Effect: 'Allow',
        Action: 'ssm:GetParameter',
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':ssm:us-east-1:',
              { Ref: 'AWS::AccountId' },
              ':parameter/notice-portal/NoticePortal/cloudfront-web-acl-arn',
            ],
          ],
        },
      },
    ]);
    // Its policy is in place before the call is made.
    const [policyId] = ssm.map(({ policyId }) => policyId);
    expect(reader()[1].DependsOn).toContain(policyId);
  });

  it("runs in the stack's one deploy-time handler, whose role has no AWS managed policy", () => {
    const [, policy] = only(
      Object.fromEntries(
        Object.entries(resourcesOf(top, 'AWS::IAM::Policy')).filter(([, p]) => JSON.stringify(p).includes('ssm:')),
      ),
      'SSM policy',
    );
    const roleId = policy.Properties?.Roles[0].Ref;
    expect(resourceIn(top.toJSON().Resources, roleId).Properties?.ManagedPolicyArns).toBeUndefined();
    top.resourceCountIs('Custom::CloudFrontWebAclArn', 1);
  });

  it('gives the reader a role of its own, with no AWS managed policy, in a stack without another deploy-time call', () => {
    // Prepare
    const stack = new Stack(new App(), 'Alone');

    // Act
    new WebAclArnReader(stack, 'WebAclArn', { parameterName: '/x/arn', region: 'us-east-1', webAclIdentity: 'e/acl' });

    // Assess
    const template = Template.fromStack(stack);
    const [roleId, role] = only(resourcesOf(template, 'AWS::IAM::Role'), 'role');
    expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
    const [handlerId, handler] = only(resourcesOf(template, 'AWS::Lambda::Function'), 'function');
    expect(handler.Properties?.Role).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
    expect(handlerId.startsWith('AWS679f53fac002430cb0da5b7982bd2287')).toBe(true);
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
    const actions = iamStatements(template).map(({ statement }) => statement.Action);
    expect(actions).toEqual(expect.arrayContaining(['ssm:GetParameter']));
    expect(actions.flat().filter((a: string) => !a.startsWith('logs:'))).toEqual(['ssm:GetParameter']);
  });

  it('refuses a parameter name that does not start with "/"', () => {
    const stack = new Stack(new App(), 'Alone');
    expect(
      () => new WebAclArnReader(stack, 'R', { parameterName: 'x/arn', region: 'us-east-1', webAclIdentity: 'e/acl' }),
    ).toThrow(/must start with/);
  });
});
