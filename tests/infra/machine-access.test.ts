import * as path from 'node:path';
import type { CfnResource } from 'aws-cdk-lib';
import { Capture, Match, type Template } from 'aws-cdk-lib/assertions';
import type { Construct } from 'constructs';
import { ROUTES, type RouteDefinition } from '../../lambdas/api/routes';
import { ENV } from '../../lambdas/config/env';
import { MACHINE_ROUTES } from '../../lib/constructs/machine-access';
import { PortalFunction } from '../../lib/constructs/portal-function';
import type { NoticePortalStack } from '../../lib/notice-portal-stack';
import {
  apiId,
  asArray,
  iamStatements,
  MACHINE_API_DESCRIPTION,
  portalFunctions,
  resourceIn,
  routeAndFunction,
  routesOf,
  statementsOfFunction,
  synthesizePortal,
  USER_API_DESCRIPTION,
} from './portal-app';

// One synthesis for the whole file, with the default context.
let template: Template;
let stack: NoticePortalStack;
let resources: Record<string, { Type: string; Properties?: Record<string, any>; DeletionPolicy?: string }>;
beforeAll(() => {
  ({ template, stack } = synthesizePortal());
  resources = template.toJSON().Resources;
});

type Statement = Record<string, any>;

const logicalId = (construct: Construct) => stack.getLogicalId(construct.node.defaultChild as CfnResource);
const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const tokenKeyArn = () => arnOf(logicalId(stack.accessTokens.key));
const onTokenKey = (s: Statement) => asArray(s.Resource).some((r) => same(r, tokenKeyArn()));
const userApi = () => apiId(template, USER_API_DESCRIPTION);
const machineApi = () => apiId(template, MACHINE_API_DESCRIPTION);
const routeKey = (route: RouteDefinition) => `${route.method} ${route.path}`;
const userFunctionOf = (route: RouteDefinition) => routeAndFunction(template, routeKey(route)).functionId;
const authorizerFunctionId = () => logicalId(stack.machineApi.authorizerFunction);
const environmentOf = (functionId: string): Record<string, unknown> =>
  resourceIn(resources, functionId).Properties?.Environment.Variables;
const authorizersOf = (api: string) =>
  template.findResources('AWS::ApiGatewayV2::Authorizer', { Properties: { ApiId: { Ref: api } } });
const byName = (routes: readonly RouteDefinition[]) => routes.map((r) => [r.operationId, r] as const);

const publicMachineRoutes = MACHINE_ROUTES.filter((r) => r.public);
const protectedMachineRoutes = MACHINE_ROUTES.filter((r) => !r.public);

describe('the access-token key', () => {
  it('is an asymmetric P-256 signing key, kept when the stack is deleted, with a stable alias', () => {
    // Act
    const key = resources[logicalId(stack.accessTokens.key)];

    // Assess
    expect(key).toMatchObject({
      Type: 'AWS::KMS::Key',
      DeletionPolicy: 'Retain',
      Properties: { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' },
    });
    // KMS cannot rotate asymmetric keys; CloudFormation refuses EnableKeyRotation on them.
    expect(key!.Properties?.EnableKeyRotation).not.toBe(true);
    expect(logicalId(stack.accessTokens.key)).not.toBe(logicalId(stack.receipts.key));
    template.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: 'alias/notice-portal/access-tokens',
      TargetKeyId: tokenKeyArn(),
    });
  });

  it('may be used to sign only by the function of issueAccessToken', () => {
    // Prepare
    const signingRoutes = ROUTES.filter((r) => r.signsAccessTokens);

    // Act
    const signing = iamStatements(template).filter(
      ({ statement }) => asArray(statement.Action).includes('kms:Sign') && onTokenKey(statement),
    );
    const signers = Object.keys(portalFunctions(template)).filter((id) =>
      statementsOfFunction(template, id).some((s) => asArray(s.Action).includes('kms:Sign') && onTokenKey(s)),
    );

    // Assess
    expect(signingRoutes.map((r) => r.operationId)).toEqual(['issueAccessToken']);
    expect(signers).toEqual([userFunctionOf(signingRoutes[0]!)]);
    expect(signing.map(({ statement }) => statement)).toEqual([
      { Sid: 'AccessTokenKey', Effect: 'Allow', Action: ['kms:GetPublicKey', 'kms:Sign'], Resource: tokenKeyArn() },
    ]);
  });

  it.each(byName(ROUTES))(
    'lets %s read its public key to verify machine-client tokens, and sign only if it issues them',
    (_name, route) => {
      // Act
      const statements = statementsOfFunction(template, userFunctionOf(route)).filter(onTokenKey);

      // Assess
      expect(statements).toEqual([
        {
          Sid: 'AccessTokenKey',
          Effect: 'Allow',
          Action: route.signsAccessTokens ? ['kms:GetPublicKey', 'kms:Sign'] : 'kms:GetPublicKey',
          Resource: tokenKeyArn(),
        },
      ]);
      expect(environmentOf(userFunctionOf(route))).toMatchObject({
        [ENV.tokenSigner]: 'kms',
        [ENV.tokenKmsKeyId]: tokenKeyArn(),
      });
    },
  );

  it('is named to and granted on no function besides the route functions and the authorizer', () => {
    // Prepare
    const apiFunctions = new Set([...ROUTES.map(userFunctionOf), authorizerFunctionId()]);

    // Act
    const others = Object.keys(portalFunctions(template)).filter((id) => !apiFunctions.has(id));

    // Assess
    expect(others.length).toBeGreaterThan(0);
    for (const id of others) {
      expect(environmentOf(id)[ENV.tokenSigner]).toBeUndefined();
      expect(environmentOf(id)[ENV.tokenKmsKeyId]).toBeUndefined();
      expect(statementsOfFunction(template, id).filter(onTokenKey)).toEqual([]);
    }
    // One statement per API function, and no other grant on the key anywhere.
    const onKey = iamStatements(template).filter(({ statement }) => onTokenKey(statement));
    expect(onKey).toHaveLength(apiFunctions.size);
    const actions = new Set(onKey.flatMap(({ statement }) => asArray(statement.Action)));
    expect([...actions].sort()).toEqual(['kms:GetPublicKey', 'kms:Sign']);
  });
});

describe('the machine API', () => {
  it('has routes to check, public and protected', () => {
    expect(publicMachineRoutes.length).toBeGreaterThan(0);
    expect(protectedMachineRoutes.length).toBeGreaterThan(0);
    expect(MACHINE_ROUTES.length).toBeLessThan(ROUTES.length);
  });

  it('serves exactly the routes with machineAccess', () => {
    // Act
    const keys = Object.values(routesOf(template, machineApi())).map((r) => r.Properties?.RouteKey);

    // Assess
    expect(keys.sort()).toEqual(
      ROUTES.filter((r) => r.machineAccess)
        .map(routeKey)
        .sort(),
    );
  });

  it('has one authorizer: a REQUEST authorizer backed by the authorize-request function, with no cache', () => {
    // Act
    const authorizers = Object.values(authorizersOf(machineApi()));

    // Assess
    expect(authorizers).toHaveLength(1);
    expect(authorizers[0]!.Properties).toMatchObject({
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      // A revoked client or a disabled user is refused on the next request.
      AuthorizerResultTtlInSeconds: 0,
      IdentitySource: ['$request.header.Authorization'],
    });
    expect(JSON.stringify(authorizers[0]!.Properties?.AuthorizerUri)).toContain(
      JSON.stringify(arnOf(authorizerFunctionId())),
    );
    expect(path.basename(stack.machineApi.authorizerFunction.entry)).toBe('authorize-request.ts');
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: arnOf(authorizerFunctionId()),
      Principal: 'apigateway.amazonaws.com',
    });
  });

  it.each(MACHINE_ROUTES.map((r) => [routeKey(r), r.public ? 'public' : 'protected', r] as const))(
    '%s (%s) uses the Lambda authorizer unless public',
    (key, _kind, definition) => {
      // Prepare
      const [authorizerId] = Object.keys(authorizersOf(machineApi()));

      // Act
      const { route } = routeAndFunction(template, key, machineApi());

      // Assess
      if (definition.public) {
        expect(route.AuthorizationType).toBe('NONE');
        expect(route.AuthorizerId).toBeUndefined();
      } else {
        expect(route.AuthorizationType).toBe('CUSTOM');
        expect(route.AuthorizerId).toEqual({ Ref: authorizerId });
      }
    },
  );

  it.each(byName(MACHINE_ROUTES))('integrates the same function as the user API for %s', (_name, route) => {
    expect(routeAndFunction(template, routeKey(route), machineApi()).functionId).toBe(userFunctionOf(route));
  });

  it('creates no function of its own besides the authorizer: one function per handler module', () => {
    // Act
    const entries = stack.node
      .findAll()
      .filter((c): c is PortalFunction => c instanceof PortalFunction)
      .map((fn) => path.basename(fn.entry, '.ts'));

    // Assess
    expect(new Set(entries).size).toBe(entries.length);
    expect(entries).toEqual(expect.arrayContaining([...ROUTES.map((r) => r.handler), 'authorize-request']));
    expect(Object.keys(portalFunctions(template))).toHaveLength(entries.length);
  });

  it('lets the authorizer read the table and the public half of the token key, and nothing else', () => {
    // Act
    const statements = statementsOfFunction(template, authorizerFunctionId()).filter(
      (s) => !asArray(s.Action).some((a: string) => /^(logs|xray):/.test(a)),
    );

    // Assess
    const actions = statements.flatMap((s) => asArray(s.Action) as string[]).sort();
    expect(actions).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      'dynamodb:Query',
      'kms:Decrypt',
      'kms:DescribeKey',
      'kms:GetPublicKey',
    ]);
    expect(statements.filter(onTokenKey)).toEqual([
      { Sid: 'AccessTokenKey', Effect: 'Allow', Action: 'kms:GetPublicKey', Resource: tokenKeyArn() },
    ]);
  });

  it('configures the authorizer like an API function: table, token settings, KMS token signer', () => {
    expect(environmentOf(authorizerFunctionId())).toMatchObject({
      [ENV.tableName]: { Ref: logicalId(stack.data.table) },
      [ENV.authIssuer]: { 'Fn::Join': expect.any(Array) },
      [ENV.authAudience]: { Ref: expect.any(String) },
      [ENV.authJwksUrl]: { 'Fn::Join': expect.any(Array) },
      [ENV.deadlineJurisdiction]: 'AU-NSW',
      [ENV.tokenSigner]: 'kms',
      [ENV.tokenKmsKeyId]: tokenKeyArn(),
    });
  });

  it('logs every request as JSON with the authorizer context, and throttles its default stage', () => {
    // Prepare
    const format = new Capture();

    // Assess
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      ApiId: { Ref: machineApi() },
      StageName: '$default',
      AutoDeploy: true,
      // Its own budget, below the user API's (see lib/protection-settings.ts; per route in protection.test.ts).
      DefaultRouteSettings: { ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] }, Format: format },
    });
    expect(JSON.parse(format.asString())).toMatchObject({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
      subject: '$context.authorizer.subject',
      platformId: '$context.authorizer.platformId',
    });
  });

  it('has no CORS configuration: its clients are not browsers', () => {
    expect(resourceIn(resources, machineApi()).Properties?.CorsConfiguration).toBeUndefined();
  });

  it('outputs its URL as MachineApiUrl', () => {
    template.hasOutput('MachineApiUrl', { Value: Match.anyValue() });
  });
});

describe('the user API', () => {
  it.each(ROUTES.map((r) => [routeKey(r), r.public ? 'public' : 'protected', r] as const))(
    '%s (%s) still has the JWT authorizer unless public',
    (key, _kind, definition) => {
      // Prepare
      const authorizers = authorizersOf(userApi());
      const [authorizerId] = Object.keys(authorizers);

      // Act
      const { route } = routeAndFunction(template, key);

      // Assess
      expect(Object.values(authorizers).map((a) => a.Properties.AuthorizerType)).toEqual(['JWT']);
      if (definition.public) {
        expect(route.AuthorizationType).toBe('NONE');
      } else {
        expect(route.AuthorizationType).toBe('JWT');
        expect(route.AuthorizerId).toEqual({ Ref: authorizerId });
      }
    },
  );
});
