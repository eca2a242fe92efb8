import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CfnResource } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { Construct } from 'constructs';
import type { NoticePortalStack } from '../../lib/notice-portal-stack';
import { RuntimeConfigSchema } from '../../web/src/config/runtime-config';
import { cfnText, resourceIn, synthesizePortal, WEB_APP_FIXTURE } from './portal-app';

// One synthesis for the file, with the default context (the fixture stands in for web/dist).
let template: Template;
let stack: NoticePortalStack;
let outdir: string;
let resources: Record<string, { Type: string; Properties?: Record<string, any>; DependsOn?: string[] }>;
beforeAll(() => {
  const portal = synthesizePortal();
  ({ template, stack } = portal);
  outdir = portal.app.outdir;
  resources = template.toJSON().Resources;
});

const logicalId = (construct: Construct) => stack.getLogicalId(construct.node.defaultChild as CfnResource);
const distributionId = () => logicalId(stack.web.distribution);
const distributionConfig = () => resourceIn(resources, distributionId()).Properties?.DistributionConfig;
const originById = (id: string) => distributionConfig().Origins.find((o: { Id: string }) => o.Id === id);
const behaviourFor = (pattern: string) =>
  distributionConfig().CacheBehaviors.find((b: { PathPattern: string }) => b.PathPattern === pattern);
const functionCode = (arn: { 'Fn::GetAtt': [string, string] }) =>
  resourceIn(resources, arn['Fn::GetAtt'][0]).Properties?.FunctionCode as string;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
/** The portal's origin as `cfnText` renders it. */
const PORTAL = () => `https://<${distributionId()}.DomainName>`;

/** Runs a CloudFront Function's source (cloudfront-js-2.0 is plain ES) on a viewer request for `uri`. */
function viewerRequest(code: string, uri: string): string {
  const handler = new Function(`${code}; return handler;`)() as (event: unknown) => { uri: string };
  return handler({ request: { uri, method: 'GET', headers: {}, querystring: {} } }).uri;
}

/** The CDK assets of the template's BucketDeployments: destination prefix and the staged directory of each source. */
function deployments() {
  return ofType('Custom::CDKBucketDeployment').map(([, r]) => ({
    properties: r.Properties ?? {},
    sources: ((r.Properties?.SourceObjectKeys ?? []) as string[]).map((key) =>
      path.join(outdir, `asset.${key.replace(/\.zip$/, '')}`),
    ),
  }));
}
const filesIn = (dir: string): string[] =>
  fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();

describe('the distribution', () => {
  it('serves the app from a private bucket through origin access control', () => {
    // Prepare
    const appBucketId = logicalId(stack.web.appBucket);
    const defaultBehaviour = distributionConfig().DefaultCacheBehavior;
    const origin = originById(defaultBehaviour.TargetOriginId);

    // Assess
    expect(origin).toMatchObject({
      DomainName: { 'Fn::GetAtt': [appBucketId, 'RegionalDomainName'] },
      OriginAccessControlId: { 'Fn::GetAtt': [expect.any(String), 'Id'] },
      S3OriginConfig: { OriginAccessIdentity: '' },
    });
    const oacId = origin.OriginAccessControlId['Fn::GetAtt'][0];
    expect(resourceIn(resources, oacId).Properties?.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    expect(resourceIn(resources, appBucketId).Properties?.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });

  it("lets only this distribution read the app bucket (the bucket policy's SourceArn condition)", () => {
    // Act
    const [, policy] = ofType('AWS::S3::BucketPolicy').find(
      ([, r]) => r.Properties?.Bucket.Ref === logicalId(stack.web.appBucket),
    )!;
    const allows = policy.Properties?.PolicyDocument.Statement.filter((s: { Effect: string }) => s.Effect === 'Allow');

    // Assess
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Action: 's3:GetObject',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(stack.web.appBucket), 'Arn'] }, '/*']] },
    });
    expect(cfnText(allows[0].Condition.StringEquals['AWS:SourceArn'])).toBe(
      `arn:<AWS::Partition>:cloudfront::<AWS::AccountId>:distribution/<${distributionId()}>`,
    );
  });

  it('sends /api/* to the user API with caching off, every viewer header but Host, and all methods', () => {
    // Act
    const api = behaviourFor('/api/*');
    const origin = originById(api.TargetOriginId);

    // Assess
    const userApiId = logicalId(stack.api.httpApi);
    expect(cfnText(origin.DomainName)).toBe(`<${userApiId}>.execute-api.<AWS::Region>.<AWS::URLSuffix>`);
    expect(origin.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
    expect(api).toMatchObject({
      // The managed policies CachingDisabled and AllViewerExceptHostHeader.
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      ViewerProtocolPolicy: 'https-only',
      ResponseHeadersPolicyId: { Ref: logicalId(stack.web.apiHeaders) },
    });
  });

  it('strips the /api prefix before the request reaches the API', () => {
    // Prepare
    const [association] = behaviourFor('/api/*').FunctionAssociations;
    const code = functionCode(association.FunctionARN);

    // Assess
    expect(association.EventType).toBe('viewer-request');
    expect(viewerRequest(code, '/api/notices')).toBe('/notices');
    expect(viewerRequest(code, '/api/notices/n-1/submissions')).toBe('/notices/n-1/submissions');
    expect(viewerRequest(code, '/api/')).toBe('/');
    expect(viewerRequest(code, '/api/openapi.json')).toBe('/openapi.json');
  });

  it("falls back to index.html for the app's routes but not for files, with no distribution-wide error pages", () => {
    // Prepare
    const behaviour = distributionConfig().DefaultCacheBehavior;
    const [association] = behaviour.FunctionAssociations;
    const code = functionCode(association.FunctionARN);

    // Assess
    expect(association.EventType).toBe('viewer-request');
    for (const route of ['/', '/notices', '/notices/n-1', '/auth/callback', '/signed-out', '/admin/platforms/']) {
      expect(viewerRequest(code, route)).toBe('/index.html');
    }
    for (const file of ['/assets/index-Bx7f3k2Q.js', '/config.json', '/favicon.svg']) {
      expect(viewerRequest(code, file)).toBe(file);
    }
    // Custom error responses would turn the API's own 403 and 404 answers into the app's HTML.
    expect(distributionConfig().CustomErrorResponses).toBeUndefined();
  });

  it('only speaks HTTPS: the app redirects plain HTTP, the API refuses it', () => {
    expect(distributionConfig().DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(behaviourFor('/api/*').ViewerProtocolPolicy).toBe('https-only');
    expect(distributionConfig().CacheBehaviors).toHaveLength(1);
  });

  it('logs requests to the web log bucket', () => {
    expect(distributionConfig().Logging).toEqual({
      Bucket: { 'Fn::GetAtt': [logicalId(stack.web.logBucket), 'RegionalDomainName'] },
      Prefix: 'cloudfront/',
    });
  });
});

describe('security headers', () => {
  const appPolicy = () =>
    resourceIn(resources, logicalId(stack.web.appHeaders)).Properties?.ResponseHeadersPolicyConfig;

  it("applies the app's headers policy to the app's pages", () => {
    expect(distributionConfig().DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({
      Ref: logicalId(stack.web.appHeaders),
    });
  });

  it('sends the strict content security policy, connecting only to Cognito and the response bucket', () => {
    // Prepare: written out in full, not computed by lib/web/security-headers.ts.
    const storage = logicalId(stack.storage.bucket);
    const domain = logicalId(stack.identity.domain);
    const expected = [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self'",
      "font-src 'self'",
      `connect-src 'self' https://<${domain}>.auth.<AWS::Region>.amazoncognito.com ` +
        `https://cognito-idp.<AWS::Region>.<AWS::URLSuffix> https://<${storage}.RegionalDomainName>`,
      "worker-src 'self'",
      "manifest-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      'upgrade-insecure-requests',
    ].join('; ');

    // Act
    const csp = appPolicy().SecurityHeadersConfig.ContentSecurityPolicy;

    // Assess
    expect(csp.Override).toBe(true);
    expect(cfnText(csp.ContentSecurityPolicy)).toBe(expected);
  });

  it('sends HSTS for two years with subdomains and preload, frame DENY, nosniff and the referrer policy', () => {
    expect(appPolicy().SecurityHeadersConfig).toMatchObject({
      StrictTransportSecurity: {
        AccessControlMaxAgeSec: 63_072_000,
        IncludeSubdomains: true,
        Preload: true,
        Override: true,
      },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ContentTypeOptions: { Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
    });
  });

  it('denies browser features with Permissions-Policy and isolates the window with Cross-Origin-Opener-Policy', () => {
    expect(appPolicy().CustomHeadersConfig.Items).toEqual([
      {
        Header: 'Permissions-Policy',
        Value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), display-capture=()',
        Override: true,
      },
      { Header: 'Cross-Origin-Opener-Policy', Value: 'same-origin', Override: true },
    ]);
  });

  it("gives the API's JSON a policy that lets nothing load or frame it, with HSTS and nosniff", () => {
    const api = resourceIn(resources, logicalId(stack.web.apiHeaders)).Properties?.ResponseHeadersPolicyConfig;
    expect(api.SecurityHeadersConfig).toMatchObject({
      ContentSecurityPolicy: { ContentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'", Override: true },
      StrictTransportSecurity: { AccessControlMaxAgeSec: 63_072_000, IncludeSubdomains: true, Preload: true },
      FrameOptions: { FrameOption: 'DENY' },
      ContentTypeOptions: { Override: true },
    });
  });
});

describe('the app deployment', () => {
  const hashedAssets = () => deployments().find((d) => d.properties.DestinationBucketKeyPrefix === 'assets/')!;
  const shell = () => deployments().find((d) => d.properties.DestinationBucketKeyPrefix === undefined)!;

  it('has two deployments into the app bucket: the hashed assets, then the shell', () => {
    expect(deployments()).toHaveLength(2);
    for (const d of deployments()) {
      expect(d.properties.DestinationBucketName).toEqual({ Ref: logicalId(stack.web.appBucket) });
    }
    // The shell (index.html) waits for the assets it names.
    const [shellId] = ofType('Custom::CDKBucketDeployment').find(([, r]) => r.Properties === shell().properties)!;
    const [assetsId] = ofType('Custom::CDKBucketDeployment').find(
      ([, r]) => r.Properties === hashedAssets().properties,
    )!;
    expect(resourceIn(resources, shellId).DependsOn).toContain(assetsId);
  });

  it('leaves the developer panel chunk out of what is uploaded', () => {
    // Prepare
    expect(fs.readdirSync(path.join(WEB_APP_FIXTURE, 'assets'))).toContain('dev-panel-C9d2Lm1x.js');

    // Act
    const uploaded = [...hashedAssets().sources, ...shell().sources].flatMap(filesIn);

    // Assess
    expect(uploaded.filter((file) => file.includes('dev-panel'))).toEqual([]);
    expect(filesIn(hashedAssets().sources[0]!)).toEqual(['index-Bx7f3k2Q.js']);
    expect(hashedAssets().properties.Exclude).toEqual(['dev-panel-*']);
  });

  it('marks hashed assets immutable for a year and keeps old ones for tabs still on the previous build', () => {
    expect(hashedAssets().properties).toMatchObject({
      SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
      Prune: false,
    });
  });

  it('has index.html and config.json revalidated on every load, pruning old files but never the assets', () => {
    expect(shell().properties).toMatchObject({
      SystemMetadata: { 'cache-control': 'no-cache' },
      Prune: true,
      Exclude: ['assets/*'],
    });
    expect(shell().sources.flatMap(filesIn).sort()).toEqual(['config.json', 'index.html']);
  });

  it('writes config.json for Cognito and the same-origin API, valid by the web app schema', () => {
    // Prepare: the staged file holds deploy-time markers; the deployment resolves them from these expressions.
    const index = shell().sources.findIndex((dir) => fs.existsSync(path.join(dir, 'config.json')));
    const markers = shell().properties.SourceMarkers[index] as Record<string, unknown>;
    let text = fs.readFileSync(path.join(shell().sources[index]!, 'config.json'), 'utf8');
    for (const [marker, expression] of Object.entries(markers)) text = text.split(marker).join(cfnText(expression));

    // Act
    const config = JSON.parse(text);

    // Assess
    const pool = logicalId(stack.identity.userPool);
    const client = logicalId(stack.identity.webClient);
    const domain = logicalId(stack.identity.domain);
    expect(config).toEqual({
      apiBaseUrl: '/api',
      oidc: {
        authority: `https://cognito-idp.<AWS::Region>.<AWS::URLSuffix>/<${pool}>`,
        clientId: `<${client}>`,
        redirectPath: '/auth/callback',
        logoutUrl: `https://<${domain}>.auth.<AWS::Region>.amazoncognito.com/logout`,
        postLogoutPath: '/signed-out',
        scope: 'openid email profile',
      },
      branding: { regulatorName: 'Online Safety Regulator', productName: 'Notice portal', primaryColour: '#1d4f6e' },
      developerPanel: false,
    });
    // With the tokens standing for real values, the file passes the schema the app parses it with.
    const deployed = JSON.parse(text.replace(/<[^>]+>/g, 'x'));
    expect(RuntimeConfigSchema.safeParse(deployed).error).toBeUndefined();
  });
});

describe('sign-in through Cognito', () => {
  const webClient = () => resourceIn(resources, logicalId(stack.identity.webClient)).Properties ?? {};

  it("sends browsers back only to the distribution's callback and signed-out pages", () => {
    expect(webClient().CallbackURLs.map(cfnText)).toEqual([`${PORTAL()}/auth/callback`]);
    expect(webClient().LogoutURLs.map(cfnText)).toEqual([`${PORTAL()}/signed-out`]);
  });

  it('is a public client with the authorization code grant only', () => {
    expect(webClient()).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      PreventUserExistenceErrors: 'ENABLED',
    });
  });

  it('has a hosted sign-in domain named after the stack and the account', () => {
    const domain = resourceIn(resources, logicalId(stack.identity.domain)).Properties ?? {};
    expect(domain.UserPoolId).toEqual({ Ref: logicalId(stack.identity.userPool) });
    expect(cfnText(domain.Domain)).toBe('noticeportal-<AWS::AccountId>');
  });

  it("accepts the web client's ID tokens at the API", () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Audience: [{ Ref: logicalId(stack.identity.webClient) }] },
    });
  });
});

describe('direct browser uploads', () => {
  it("allows only the distribution's origin to upload to and download from the response bucket", () => {
    // Prepare
    const rules = ofType('Custom::ResponseBucketCors');
    expect(rules).toHaveLength(1);
    const cors = rules[0]![1].Properties ?? {};

    // Act
    const create = JSON.parse(cfnText(cors.Create));

    // Assess
    expect(create).toMatchObject({ service: 'S3', action: 'putBucketCors' });
    expect(create.parameters).toEqual({
      Bucket: `<${logicalId(stack.storage.bucket)}>`,
      CORSConfiguration: {
        CORSRules: [
          {
            AllowedOrigins: [PORTAL()],
            AllowedMethods: ['PUT', 'GET', 'HEAD'],
            AllowedHeaders: ['content-type', 'x-amz-checksum-sha256', 'x-amz-*'],
            ExposeHeaders: ['ETag', 'x-amz-version-id'],
            MaxAgeSeconds: 3600,
          },
        ],
      },
    });
    expect(JSON.parse(cfnText(cors.Update))).toEqual(create);
  });
});

describe('outputs and dependencies', () => {
  it('names the portal URL and the sign-in domain', () => {
    expect(cfnText(template.findOutputs('PortalUrl').PortalUrl?.Value)).toBe(PORTAL());
    expect(cfnText(template.findOutputs('SignInDomain').SignInDomain?.Value)).toBe(
      `https://<${logicalId(stack.identity.domain)}>.auth.<AWS::Region>.amazoncognito.com`,
    );
  });

  it('has no circular dependency between resources, which CloudFormation would refuse', () => {
    // Prepare: resource → the resources it references (Ref, Fn::GetAtt, DependsOn).
    const edges = new Map(
      Object.entries(resources).map(([id, r]) => [id, referencesIn(r.Properties ?? {}, new Set(r.DependsOn ?? []))]),
    );

    // Act
    const cycles = cyclesIn(edges);

    // Assess
    expect(cycles).toEqual([]);
  });
});

/** The logical ids that `value` references with Ref or Fn::GetAtt, added to `into`. */
function referencesIn(value: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) referencesIn(item, into);
    return into;
  }
  if (value === null || typeof value !== 'object') return into;
  for (const [key, item] of Object.entries(value)) {
    if (key === 'Ref' && typeof item === 'string' && item in resources) into.add(item);
    else if (key === 'Fn::GetAtt') into.add(Array.isArray(item) ? String(item[0]) : String(item).split('.')[0]!);
    else referencesIn(item, into);
  }
  return into;
}

/** Every back edge a depth-first search meets, as a path `a → b → … → a`. */
function cyclesIn(edges: Map<string, Set<string>>): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (id: string, trail: string[]) => {
    state.set(id, 'open');
    for (const next of edges.get(id) ?? []) {
      if (state.get(next) === 'open') cycles.push([...trail, id, next].join(' → '));
      else if (!state.has(next)) visit(next, [...trail, id]);
    }
    state.set(id, 'done');
  };
  for (const id of edges.keys()) if (!state.has(id)) visit(id, []);
  return cycles;
}
