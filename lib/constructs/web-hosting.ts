import * as fs from 'node:fs';
import * as path from 'node:path';
import { Aws, CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  type ResponseHeadersPolicyProps,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { IUserPoolClient, UserPoolDomain } from 'aws-cdk-lib/aws-cognito';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { RuntimeConfig } from '../../web/src/config/runtime-config';
import {
  contentSecurityPolicy,
  PERMISSIONS_POLICY,
  REFERRER_POLICY,
  STRICT_TRANSPORT_SECURITY,
} from '../web/security-headers';
import { WEB_APP_CALLBACK_PATH, WEB_APP_SIGNED_OUT_PATH } from './identity';

/** The regulator's name, product name and colours shown by the app (`branding` of the run-time config). */
export type Branding = RuntimeConfig['branding'];

/** Neutral branding for a deployment that sets none. */
export const DEFAULT_BRANDING: Branding = {
  regulatorName: 'Online Safety Regulator',
  productName: 'Notice portal',
  primaryColour: '#1d4f6e',
};

/** Under this path the distribution forwards to the HTTP API, with the prefix removed. */
export const API_PATH_PREFIX = '/api';

/**
 * The lazily loaded developer panel chunk (outbox, dev clock). It only works against the local portal, so the
 * deployed bucket never receives it: excluded from the asset itself, not just from the sync.
 */
export const DEV_PANEL_CHUNK = 'dev-panel-*';

/** Props of {@link WebHosting}. */
export interface WebHostingProps {
  /**
   * The built web app (`npm run build:web` writes `web/dist`): `index.html` at the top, hashed files in `assets/`.
   * The infrastructure tests pass a small fixture directory instead.
   */
  readonly appDirectory: string;
  /** The user API, served under `/api/*` on the same origin, so the browser needs no CORS for it. */
  readonly httpApi: IHttpApi;
  /** The OIDC issuer of the user pool (`https://cognito-idp.<region>.amazonaws.com/<poolId>`). */
  readonly issuer: string;
  /** The user pool's public web client. */
  readonly webClient: IUserPoolClient;
  /** The user pool's hosted sign-in domain: the token endpoint the app calls and the logout page it sends users to. */
  readonly signInDomain: UserPoolDomain;
  /** The response bucket that browsers upload to and download from with presigned URLs. */
  readonly responseBucket: IBucket;
  /** @default DEFAULT_BRANDING */
  readonly branding?: Branding;
  /**
   * The portal's own domain name, served with its ACM certificate (which must be in us-east-1: CloudFront takes
   * certificates from there only). It becomes the portal's origin: callback URLs, the bucket's CORS rule and
   * `config.json` name it, and viewers must use TLS 1.2 or later (TLSv1.2_2021), which CloudFront can only enforce
   * with a certificate of one's own. The DNS record pointing the name at the distribution is made outside the stack.
   * @default - the distribution's `*.cloudfront.net` name and certificate
   */
  readonly customDomain?: CustomDomain;
  /**
   * How long the distribution's and the app bucket's logs are kept.
   * @default one year
   */
  readonly logRetention?: Duration;
}

/** A domain name of the regulator's for the portal, and the ARN of its ACM certificate in us-east-1. */
export interface CustomDomain {
  readonly domainName: string;
  readonly certificateArn: string;
}

/**
 * The web app on AWS: a private bucket with the built app behind a CloudFront distribution (origin access
 * control), the user API under `/api/*` on the same distribution, the security headers of
 * `lib/web/security-headers.ts`, an SPA fallback, and the app's `config.json` written from the stack's values.
 */
export class WebHosting extends Construct {
  public readonly distribution: Distribution;
  /** The private bucket holding the built app. */
  public readonly appBucket: Bucket;
  /** Receives the distribution's standard logs and the app bucket's server access logs. */
  public readonly logBucket: Bucket;
  /** `https://<distribution domain>`: the portal's URL and the origin the browser sees. */
  public readonly origin: string;
  /** The headers policy of the app's pages (CSP, HSTS, frame and referrer policies). */
  public readonly appHeaders: ResponseHeadersPolicy;
  /** The headers policy of the API's responses under `/api/*`. */
  public readonly apiHeaders: ResponseHeadersPolicy;

  public constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);
    requireBuiltApp(props.appDirectory);
    const logRetention = props.logRetention ?? Duration.days(365);

    this.logBucket = new Bucket(this, 'Logs', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      versioned: true,
      // CloudFront's standard logs are delivered with an ACL grant (the awslogsdelivery account), so this bucket
      // keeps ACLs enabled; S3 server access logs are delivered by bucket policy either way.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: logRetention, noncurrentVersionExpiration: Duration.days(1) }],
      // Who fetched what from the portal, kept with the other access logs.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.appBucket = new Bucket(this, 'App', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      versioned: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'app-bucket/',
      // Old versions only matter for a rollback shortly after a deployment.
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.appHeaders = new ResponseHeadersPolicy(this, 'AppHeaders', {
      comment: 'Notice portal web app: CSP, HSTS, frame, referrer and permissions policies',
      ...appHeadersPolicy([
        props.signInDomain.baseUrl(),
        `https://cognito-idp.${Aws.REGION}.${Aws.URL_SUFFIX}`,
        `https://${props.responseBucket.bucketRegionalDomainName}`,
      ]),
    });
    this.apiHeaders = new ResponseHeadersPolicy(this, 'ApiHeaders', {
      comment: 'Notice portal API under /api: JSON responses, never framed or rendered as a page',
      ...apiHeadersPolicy(),
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Notice portal: web app and /api',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.appBucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        compress: true,
        responseHeadersPolicy: this.appHeaders,
        functionAssociations: [
          { eventType: FunctionEventType.VIEWER_REQUEST, function: this.viewerFunction('SpaFallback', SPA_FALLBACK) },
        ],
      },
      additionalBehaviors: {
        [`${API_PATH_PREFIX}/*`]: {
          origin: new HttpOrigin(`${props.httpApi.apiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`, {
            protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [OriginSslPolicy.TLS_V1_2],
          }),
          // A token sent over plain HTTP is refused, not silently redirected.
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          // Every answer is per caller: nothing is cached, and Authorization and Idempotency-Key reach the API.
          cachePolicy: CachePolicy.CACHING_DISABLED,
          // Everything but Host, which must stay the API's own execute-api name.
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: this.apiHeaders,
          functionAssociations: [
            {
              eventType: FunctionEventType.VIEWER_REQUEST,
              function: this.viewerFunction('StripApiPrefix', STRIP_API_PREFIX),
            },
          ],
        },
      },
      // No custom error responses: they would apply to the API's 403 and 404 JSON answers too. The SPA fallback is
      // the viewer-request function above, on the app's behaviour only.
      httpVersion: HttpVersion.HTTP2_AND_3,
      // The regulator and most users are in Australia, whose edge locations only the full price class includes.
      priceClass: PriceClass.PRICE_CLASS_ALL,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      ...(props.customDomain === undefined
        ? {}
        : {
            domainNames: [props.customDomain.domainName],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', props.customDomain.certificateArn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }),
    });
    this.origin = `https://${props.customDomain?.domainName ?? this.distribution.distributionDomainName}`;
    this.acknowledgeDistributionFindings(props.customDomain !== undefined);

    this.deployApp(props);
  }

  private viewerFunction(id: string, code: string): CloudFrontFunction {
    return new CloudFrontFunction(this, id, {
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(code),
    });
  }

  /**
   * Two deployments: the hashed assets, immutable and never pruned (a tab still running the previous build can
   * load its chunks), then everything else — `index.html` and `config.json` — revalidated on every load, so a new
   * build or configuration is seen at once.
   */
  private deployApp(props: WebHostingProps): void {
    const logGroup = new LogGroup(this, 'DeploymentLogs', {
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // A role of our own instead of CDK's default, which carries the AWS managed basic execution policy: this one
    // may write to its own log group only (CDK adds the asset reads and the app bucket writes).
    const role = new Role(this, 'DeploymentRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: "Copies the built web app into the portal's app bucket during deployment",
    });
    logGroup.grantWrite(role);
    const assets = new BucketDeployment(this, 'DeployAssets', {
      sources: [Source.asset(path.join(props.appDirectory, 'assets'), { exclude: [DEV_PANEL_CHUNK] })],
      destinationBucket: this.appBucket,
      destinationKeyPrefix: 'assets/',
      exclude: [DEV_PANEL_CHUNK],
      prune: false,
      cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.days(365)), CacheControl.immutable()],
      logGroup,
      role,
      memoryLimit: 512,
    });
    const shell = new BucketDeployment(this, 'DeployShell', {
      sources: [
        Source.asset(props.appDirectory, { exclude: ['assets', DEV_PANEL_CHUNK] }),
        Source.jsonData('config.json', runtimeConfig(props)),
      ],
      destinationBucket: this.appBucket,
      // Pruning removes files a new build no longer has, but never the assets, which the deployment above owns.
      prune: true,
      exclude: ['assets/*'],
      cacheControl: [CacheControl.noCache()],
      logGroup,
      role,
      memoryLimit: 512,
    });
    // The new index.html must not be live before the chunks it names are.
    shell.node.addDependency(assets);
    acknowledgeDeploymentHandler(role, this.appBucket);
  }

  /** CFR4 (viewer TLS) is only acknowledged without a custom domain: with one, TLSv1.2_2021 is enforced. */
  private acknowledgeDistributionFindings(customDomain: boolean): void {
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'No geo restriction: platforms served with notices operate worldwide and must reach the portal from ' +
        'anywhere; access is controlled by sign-in (Cognito, MFA), not by location.',
    });
    if (customDomain) return;
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'The distribution uses the default *.cloudfront.net certificate, for which CloudFront fixes the viewer ' +
        'security policy at TLSv1 whatever MinimumProtocolVersion says. Browsers negotiate TLS 1.2 or 1.3 in ' +
        'practice; enforcing TLSv1.2_2021 needs a custom domain (context domainName and certificateArn).',
    });
  }
}

/**
 * What cdk-nag reports on CDK's BucketDeployment handler: the wildcards of the grants CDK makes to its role, and
 * its Python runtime, which CDK pins. It runs only during deployments, never on a request path.
 */
function acknowledgeDeploymentHandler(role: Role, bucket: Bucket): void {
  const stack = Stack.of(role);
  const appBucket = bucket.node.defaultChild;
  if (!(appBucket instanceof CfnElement)) throw new Error('expected the app bucket to be defined in this stack');
  const wildcard = (finding: string) => `AwsSolutions-IAM5[${finding}]`;
  Validations.of(role).acknowledge(
    ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((action) => ({
      id: wildcard(`Action::${action}`),
      reason:
        "CDK's grants to the BucketDeployment handler (read the deployment asset, sync the app bucket: read, " +
        'list, put, delete and abort uploads); each is scoped to the asset bucket or the app bucket alone.',
    })),
    {
      id: wildcard(`Resource::<${stack.getLogicalId(appBucket)}.Arn>/*`),
      reason: 'The deployment syncs the whole app bucket (every key is a file of the built app), so its scope is /*.',
    },
    {
      id: wildcard('Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*'),
      reason:
        "Reading the built app from CDK's bootstrap asset bucket, whose object keys are content hashes known " +
        'only after synthesis.',
    },
  );
  // CDK makes the handler a singleton at the stack's root, one per memory size.
  const handlers = stack.node.children.filter((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (handlers.length !== 1) throw new Error(`expected one BucketDeployment handler, found ${handlers.length}`);
  Validations.of(handlers[0]!).acknowledge({
    id: 'AwsSolutions-L1',
    reason:
      "CDK's BucketDeployment handler is a Python function whose runtime CDK pins and upgrades with aws-cdk-lib; " +
      'it runs only while deploying the web app.',
  });
}

/** Fails synthesis with the fix when the app has not been built, instead of deploying an empty site. */
function requireBuiltApp(appDirectory: string): void {
  const missing = ['index.html', 'assets'].find((file) => !fs.existsSync(path.join(appDirectory, file)));
  if (missing !== undefined) {
    throw new Error(
      `The web app is not built: ${path.join(appDirectory, missing)} does not exist. ` +
        'Run `npm run build:web` before `cdk synth` or `cdk deploy`.',
    );
  }
}

/** The `config.json` the deployed app reads at start-up; its schema is `RuntimeConfigSchema`. */
function runtimeConfig(props: WebHostingProps): RuntimeConfig {
  return {
    apiBaseUrl: API_PATH_PREFIX,
    oidc: {
      authority: props.issuer,
      clientId: props.webClient.userPoolClientId,
      redirectPath: WEB_APP_CALLBACK_PATH,
      logoutUrl: `${props.signInDomain.baseUrl()}/logout`,
      postLogoutPath: WEB_APP_SIGNED_OUT_PATH,
      scope: 'openid email profile',
    },
    branding: props.branding ?? DEFAULT_BRANDING,
    // The panel talks to local-only endpoints and its chunk is not deployed.
    developerPanel: false,
  };
}

const HSTS = {
  accessControlMaxAge: Duration.seconds(STRICT_TRANSPORT_SECURITY.maxAgeSeconds),
  includeSubdomains: STRICT_TRANSPORT_SECURITY.includeSubdomains,
  preload: STRICT_TRANSPORT_SECURITY.preload,
  override: true,
};

function referrerPolicy(): HeadersReferrerPolicy {
  const policy = Object.values(HeadersReferrerPolicy).find((value) => value === REFERRER_POLICY);
  if (policy === undefined) throw new Error(`CloudFront has no referrer policy "${REFERRER_POLICY}"`);
  return policy;
}

/** The app's pages: exactly the headers of `webSecurityHeaders` (with HTTPS), as the local portal sends them. */
function appHeadersPolicy(connectSources: string[]): ResponseHeadersPolicyProps {
  return {
    securityHeadersBehavior: {
      contentSecurityPolicy: {
        contentSecurityPolicy: contentSecurityPolicy({ connectSources, upgradeInsecureRequests: true }),
        override: true,
      },
      strictTransportSecurity: HSTS,
      frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
      contentTypeOptions: { override: true },
      referrerPolicy: { referrerPolicy: referrerPolicy(), override: true },
    },
    customHeadersBehavior: {
      customHeaders: [
        { header: 'Permissions-Policy', value: PERMISSIONS_POLICY, override: true },
        { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
      ],
    },
  };
}

/** The API's JSON: nothing in it may load, run or be framed if a browser ever renders it. */
function apiHeadersPolicy(): ResponseHeadersPolicyProps {
  return {
    securityHeadersBehavior: {
      contentSecurityPolicy: { contentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'", override: true },
      strictTransportSecurity: HSTS,
      frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
      contentTypeOptions: { override: true },
      referrerPolicy: { referrerPolicy: referrerPolicy(), override: true },
    },
  };
}

/**
 * SPA fallback for the app's behaviour: a path whose last segment has no file extension is a route of the app, so
 * CloudFront fetches /index.html for it. Files (/assets/x.js, /config.json) are fetched as they are; a missing one
 * stays an error instead of turning into the app's HTML.
 */
export const SPA_FALLBACK = `function handler(event) {
  var request = event.request;
  var last = request.uri.substring(request.uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) {
    request.uri = '/index.html';
  }
  return request;
}`;

/** For /api/*: the API's routes have no prefix, so /api/notices reaches the API as /notices. */
export const STRIP_API_PREFIX = `function handler(event) {
  var request = event.request;
  request.uri = request.uri.replace(/^\\/api(?=\\/|$)/, '') || '/';
  return request;
}`;
