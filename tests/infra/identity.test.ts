import type { CfnResource } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { Construct } from 'constructs';
import { ROUTES, type RouteDefinition } from '../../lambdas/api/routes';
import { ENV } from '../../lambdas/config/env';
import type { NoticePortalStack } from '../../lib/notice-portal-stack';
import {
  apiId,
  asArray,
  iamStatements,
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
let resources: Record<string, { Type: string; Properties?: Record<string, any> }>;
beforeAll(() => {
  ({ template, stack } = synthesizePortal());
  resources = template.toJSON().Resources;
});

type Statement = Record<string, any>;

const logicalId = (construct: Construct) => stack.getLogicalId(construct.node.defaultChild as CfnResource);
const userPoolId = () => logicalId(stack.identity.userPool);
const webClientId = () => logicalId(stack.identity.webClient);
const userPool = () => resourceIn(resources, userPoolId()).Properties ?? {};
const webClient = () => resourceIn(resources, webClientId()).Properties ?? {};
const functionOf = (route: RouteDefinition) => routeAndFunction(template, `${route.method} ${route.path}`).functionId;
const cognitoActions = (statements: Statement[]) =>
  statements.flatMap((s) => asArray(s.Action) as string[]).filter((a) => a.startsWith('cognito-idp:'));
const byName = (routes: readonly RouteDefinition[]) => routes.map((r) => [r.operationId, r] as const);

/** What CognitoIdentityAdmin calls: invite (create + group), disable (disable + sign-out) and enable. */
const USER_ADMINISTRATION = [
  'cognito-idp:AdminAddUserToGroup',
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminDisableUser',
  'cognito-idp:AdminEnableUser',
  'cognito-idp:AdminUserGlobalSignOut',
];
const userManagingRoutes = ROUTES.filter((r) => r.managesUsers);
const otherRoutes = ROUTES.filter((r) => !r.managesUsers);

describe('the user pool', () => {
  it('is the only user pool, with one web client', () => {
    expect(Object.keys(template.findResources('AWS::Cognito::UserPool'))).toEqual([userPoolId()]);
    expect(Object.keys(template.findResources('AWS::Cognito::UserPoolClient'))).toEqual([webClientId()]);
  });

  it('requires MFA for everyone, with TOTP (software tokens) as the only factor and no SMS', () => {
    expect(userPool().MfaConfiguration).toBe('ON');
    expect(userPool().EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(userPool().SmsConfiguration).toBeUndefined();
  });

  it('requires passwords of at least 12 characters from every class, and temporary passwords expire', () => {
    expect(userPool().Policies?.PasswordPolicy).toEqual({
      MinimumLength: 12,
      RequireLowercase: true,
      RequireUppercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
      TemporaryPasswordValidityDays: 3,
    });
  });

  it('lets only administrators create accounts: no self sign-up', () => {
    expect(userPool().AdminCreateUserConfig).toMatchObject({ AllowAdminCreateUserOnly: true });
  });

  it('signs users in by e-mail address and recovers accounts by verified e-mail only', () => {
    expect(userPool()).toMatchObject({
      UsernameAttributes: ['email'],
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
    });
  });

  it('runs threat protection in enforcing mode on the Plus plan', () => {
    expect(userPool()).toMatchObject({ UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } });
  });

  it('has exactly the groups regulator-admin, regulator-officer and platform-responder', () => {
    // Act
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map((g) => g.Properties);

    // Assess
    expect(groups.map((g) => g.GroupName).sort()).toEqual([
      'platform-responder',
      'regulator-admin',
      'regulator-officer',
    ]);
    for (const group of groups) expect(group.UserPoolId).toEqual({ Ref: userPoolId() });
  });

  it('defines the custom platformId attribute as immutable', () => {
    // Act
    const platformId = (userPool().Schema as Array<Record<string, unknown>>).filter((a) => a.Name === 'platformId');

    // Assess
    expect(platformId).toEqual([expect.objectContaining({ AttributeDataType: 'String', Mutable: false })]);
  });

  it('is named in the stack outputs, with the table, for bootstrap-admin', () => {
    template.hasOutput('UserPoolId', { Value: { Ref: userPoolId() } });
    template.hasOutput('TableName', { Value: { Ref: logicalId(stack.data.table) } });
  });
});

describe('the web client', () => {
  it('uses the authorization code grant and has no client secret', () => {
    expect(webClient()).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      PreventUserExistenceErrors: 'ENABLED',
    });
    // Its callback and sign-out URLs are the distribution's: see web-hosting.test.ts.
  });

  it('issues ID and access tokens for an hour and refresh tokens for twelve hours', () => {
    expect(webClient()).toMatchObject({
      IdTokenValidity: 60,
      AccessTokenValidity: 60,
      RefreshTokenValidity: 720,
      TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'minutes' },
    });
  });

  it('may read custom:platformId but never write it, nor the e-mail address', () => {
    // An absent WriteAttributes would let the client write every attribute, so it must be an explicit list.
    expect(Array.isArray(webClient().WriteAttributes)).toBe(true);
    expect(webClient().WriteAttributes).not.toContain('custom:platformId');
    expect(webClient().WriteAttributes).not.toContain('email');
    expect(webClient().ReadAttributes).toContain('custom:platformId');
  });
});

describe('API authorization', () => {
  // The user API's authorizers; the machine API's Lambda authorizer is checked in machine-access.test.ts.
  const userApiId = () => apiId(template, USER_API_DESCRIPTION);
  const authorizerIds = () =>
    Object.keys(
      template.findResources('AWS::ApiGatewayV2::Authorizer', { Properties: { ApiId: { Ref: userApiId() } } }),
    );

  it('has one JWT authorizer on the user API, which accepts only ID tokens of the user pool for the web client', () => {
    // Act
    const ids = authorizerIds();

    // Assess
    expect(ids).toHaveLength(1);
    expect(resourceIn(resources, ids[0]!).Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: webClientId() }],
        Issuer: {
          'Fn::Join': [
            '',
            [
              'https://cognito-idp.',
              { Ref: 'AWS::Region' },
              '.',
              { Ref: 'AWS::URLSuffix' },
              '/',
              { Ref: userPoolId() },
            ],
          ],
        },
      },
    });
  });

  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r.public ? 'public' : 'protected', r] as const))(
    '%s (%s) has the authorization its route definition asks for',
    (routeKey, _kind, definition) => {
      // Act
      const { route } = routeAndFunction(template, routeKey);

      // Assess
      if (definition.public) {
        expect(route.AuthorizationType).toBe('NONE');
        expect(route.AuthorizerId).toBeUndefined();
      } else {
        expect(route.AuthorizationType).toBe('JWT');
        expect(route.AuthorizerId).toEqual({ Ref: authorizerIds()[0] });
      }
    },
  );

  it('has no route besides those of ROUTES on the user API, so no route escapes the check above', () => {
    const keys = Object.values(routesOf(template, userApiId())).map((r) => r.Properties?.RouteKey);
    expect(keys.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });
});

describe('user administration', () => {
  it('has routes that manage users, and routes that do not, to check', () => {
    expect(userManagingRoutes.map((r) => r.operationId).sort()).toEqual(['disableUser', 'enableUser', 'inviteUser']);
    expect(otherRoutes.length).toBeGreaterThan(0);
  });

  it.each(byName(userManagingRoutes))(
    'lets %s call exactly the five Cognito admin actions, on the user pool alone',
    (_name, route) => {
      // Act
      const statements = statementsOfFunction(template, functionOf(route)).filter(
        (s) => cognitoActions([s]).length > 0,
      );

      // Assess
      expect(cognitoActions(statements).sort()).toEqual(USER_ADMINISTRATION);
      for (const statement of statements) {
        expect(statement.Effect).toBe('Allow');
        expect(statement.Condition).toBeUndefined();
        // Only Cognito in a statement on the pool, and the pool's ARN as the only resource.
        expect(asArray(statement.Action).every((a: string) => a.startsWith('cognito-idp:'))).toBe(true);
        expect(asArray(statement.Resource)).toEqual([{ 'Fn::GetAtt': [userPoolId(), 'Arn'] }]);
      }
    },
  );

  it.each(byName(otherRoutes))('gives %s no Cognito permission', (_name, route) => {
    expect(cognitoActions(statementsOfFunction(template, functionOf(route)))).toEqual([]);
  });

  it('grants Cognito actions nowhere else: no background function, no other role, no wildcard', () => {
    // Prepare: the policies attached to the roles of the user-managing functions.
    const rolesOfManagers = new Set(
      userManagingRoutes.map((r) => resourceIn(resources, functionOf(r)).Properties?.Role['Fn::GetAtt'][0]),
    );

    // Act
    const cognitoStatements = iamStatements(template).filter(({ statement }) => cognitoActions([statement]).length > 0);

    // Assess
    expect(cognitoStatements).toHaveLength(userManagingRoutes.length);
    for (const { policyId, statement } of cognitoStatements) {
      const roles = resourceIn(resources, policyId).Properties?.Roles.map((role: { Ref: string }) => role.Ref);
      expect(roles.length).toBe(1);
      expect(rolesOfManagers.has(roles[0])).toBe(true);
      expect(cognitoActions([statement]).some((a) => a.includes('*'))).toBe(false);
    }
  });

  it.each(byName(ROUTES))('tells %s that accounts are in the Cognito user pool', (_name, route) => {
    expect(resourceIn(resources, functionOf(route)).Properties?.Environment.Variables).toMatchObject({
      [ENV.identityAdmin]: 'cognito',
      [ENV.userPoolId]: { Ref: userPoolId() },
    });
  });

  it('configures no background function for user administration', () => {
    // Prepare
    const routeFunctions = new Set(ROUTES.map(functionOf));

    // Act
    const background = Object.entries(portalFunctions(template)).filter(([id]) => !routeFunctions.has(id));

    // Assess
    expect(background.length).toBeGreaterThan(0);
    for (const [, fn] of background) {
      expect(fn.Properties?.Environment.Variables[ENV.identityAdmin]).toBeUndefined();
      expect(fn.Properties?.Environment.Variables[ENV.userPoolId]).toBeUndefined();
    }
  });
});
