import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { HttpApi, type HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { type Alias, type IKey, Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { type LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ROUTES, type RouteDefinition } from '../../lambdas/api/routes';
import type { Throttle } from '../protection-settings';
import { addLoggedDefaultStage } from './api-stage';
import { type PortalSettings, portalEnvironment } from './function-environment';
import { handlerEntry, PortalFunction, type TableBinding } from './portal-function';

/** The routes served on the machine API as well as on the user API. */
export const MACHINE_ROUTES: readonly RouteDefinition[] = ROUTES.filter((route) => route.machineAccess === true);

/** Props of {@link AccessTokenSigning}. */
export interface AccessTokenSigningProps {
  /**
   * The key's alias. Aliases are unique per account and region, so a second portal deployed next to this one
   * needs its own.
   * @default 'alias/notice-portal/access-tokens'
   */
  readonly aliasName?: string;
}

/**
 * The key of the portal's machine-client access tokens: an asymmetric KMS key (ECDSA P-256) whose private half
 * never leaves KMS. The token endpoint signs with it (ES256); every API function and the machine API's authorizer
 * verify tokens against its public half, which the portal also publishes as a JWKS.
 */
export class AccessTokenSigning extends Construct {
  /** The signing key (`ECC_NIST_P256`, `SIGN_VERIFY`). Bind functions with `PortalFunction.bindAccessTokenKey`. */
  public readonly key: Key;
  /** A stable name for the key in the console and in CloudTrail. */
  public readonly alias: Alias;

  public constructor(scope: Construct, id: string, props: AccessTokenSigningProps = {}) {
    super(scope, id);

    this.key = new Key(this, 'Key', {
      description: "Signs the access tokens of the portal's machine clients (ES256)",
      keySpec: KeySpec.ECC_NIST_P256,
      keyUsage: KeyUsage.SIGN_VERIFY,
      // KMS cannot rotate asymmetric keys automatically (rotation is for symmetric encryption keys only), so
      // rotation stays off; cdk-nag's AwsSolutions-KMS5 only checks symmetric keys. Rotating means a new key whose
      // public half is published next to the old one until the old key's tokens (15 minutes) have expired.
      enableKeyRotation: false,
      // Deleting the key would make every client's token invalid at once and leave no way to verify, afterwards,
      // which tokens the portal issued.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.alias = this.key.addAlias(props.aliasName ?? 'alias/notice-portal/access-tokens');
  }
}

/** Props of {@link MachineApi}. */
export interface MachineApiProps {
  /** The notices table; the authorizer reads the directory in it (is the user or API client known and active?). */
  readonly data: TableBinding;
  /** The key of the portal's machine-client access tokens; the authorizer reads its public half. */
  readonly accessTokenKey: IKey;
  /**
   * What every portal function is configured with (token issuer and audience, default time zone, deadline
   * jurisdiction), one object for the whole stack; see `portalEnvironment`.
   */
  readonly settings: PortalSettings;
  /**
   * Steady-state request rate limit of the stage, per second.
   * @default 100
   */
  readonly throttlingRateLimit?: number;
  /**
   * Burst limit of the stage.
   * @default 200
   */
  readonly throttlingBurstLimit?: number;
  /**
   * Tighter limits for single routes, by route key (see `routeThrottlesOf`); the stage must be deployed after them.
   * @default - none
   */
  readonly routeThrottles?: Readonly<Record<string, Throttle>>;
  /**
   * How long the access logs and the authorizer's logs are kept.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: RetentionDays;
}

/**
 * The machine API, for platforms' automation: the routes of `ROUTES` with `machineAccess` (`MACHINE_ROUTES`),
 * integrated with the user API's functions (each route is added next to its function, see `ApiRouteFunctions`),
 * behind a Lambda REQUEST authorizer instead of the user API's JWT authorizer. The JWT authorizer
 * trusts one issuer (Cognito) and knows nothing of revocation; the Lambda authorizer runs the portal's own
 * `authenticate()`, so it accepts the portal's machine-client access tokens (and Cognito ID tokens) and refuses a
 * revoked client or a disabled user on the very next request. No CORS: its clients are not browsers.
 */
export class MachineApi extends Construct {
  public readonly httpApi: HttpApi;
  public readonly stage: HttpStage;
  /** The JSON access log of the API's default stage. */
  public readonly accessLogGroup: LogGroup;
  /** The Lambda REQUEST authorizer's function (handler `authorize-request`). */
  public readonly authorizerFunction: PortalFunction;
  /** The API's base URL (ends with `/`). */
  public readonly url: string;

  public constructor(scope: Construct, id: string, props: MachineApiProps) {
    super(scope, id);
    const logRetention = props.logRetention ?? RetentionDays.ONE_YEAR;

    this.authorizerFunction = new PortalFunction(this, 'AuthorizerFunction', {
      entry: handlerEntry('authorize-request'),
      description: 'Authorizes machine API requests: a valid token of a known, active user or API client, now',
      environment: portalEnvironment(props.settings),
      logRetention,
    });
    // Directory lookups (users, API clients, platforms), and the public half of the access-token key.
    this.authorizerFunction.bindTable(props.data, 'read');
    this.authorizerFunction.bindAccessTokenKey(props.accessTokenKey, 'verify');

    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: 'MachineApi',
      description: "Notice-response portal machine API, for platforms' API clients",
      // Every route must state its authorizer; protected ones inherit this one.
      defaultAuthorizer: new HttpLambdaAuthorizer('RequestAuthorizer', this.authorizerFunction, {
        responseTypes: [HttpLambdaResponseType.SIMPLE],
        // No caching: a revoked client or a disabled user is refused on the next request, not minutes later.
        resultsCacheTtl: Duration.seconds(0),
        identitySource: ['$request.header.Authorization'],
      }),
      // Created below, with access logs and throttling, which the implicit default stage cannot have.
      createDefaultStage: false,
    });
    const { stage, accessLogGroup } = addLoggedDefaultStage(this, this.httpApi, {
      logRetention,
      throttlingRateLimit: props.throttlingRateLimit,
      throttlingBurstLimit: props.throttlingBurstLimit,
      routeThrottles: props.routeThrottles,
      // The authorizer's context: who called (user id or API client id), in which role, for which platform.
      callerFields: {
        subject: '$context.authorizer.subject',
        role: '$context.authorizer.role',
        platformId: '$context.authorizer.platformId',
      },
    });
    this.stage = stage;
    this.accessLogGroup = accessLogGroup;

    this.url = this.stage.url;
  }
}
