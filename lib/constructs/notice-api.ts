import { CfnOutput, Duration } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, type HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { type LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Throttle } from '../protection-settings';
import { addLoggedDefaultStage } from './api-stage';
import type { PortalSettings } from './function-environment';

/** Props of {@link NoticeApi}. */
export interface NoticeApiProps {
  /**
   * What every portal function is configured with; the API's JWT authorizer trusts the same issuer and audience.
   */
  readonly settings: PortalSettings;
  /**
   * Browser origins allowed to call the API (CORS).
   * @default - no CORS configuration: only same-origin and non-browser clients
   */
  readonly allowedOrigins?: readonly string[];
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
   * How long API access logs are kept.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: RetentionDays;
}

/**
 * The portal's HTTP API: a JWT authorizer on every non-public route, JSON access logs and stage throttling. Its
 * routes and their functions (one per entry of `ROUTES`) are in nested stacks, see `ApiRouteFunctions`.
 */
export class NoticeApi extends Construct {
  public readonly httpApi: HttpApi;
  public readonly stage: HttpStage;
  /** The JSON access log of the API's default stage. */
  public readonly accessLogGroup: LogGroup;
  /** The API's base URL (ends with `/`). */
  public readonly url: string;

  public constructor(scope: Construct, id: string, props: NoticeApiProps) {
    super(scope, id);
    const logRetention = props.logRetention ?? RetentionDays.ONE_YEAR;
    const allowedOrigins = props.allowedOrigins ?? [];

    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Notice-response portal API',
      // Every route must state its authorizer; protected ones inherit this one.
      defaultAuthorizer: new HttpJwtAuthorizer('CognitoJwt', props.settings.auth.issuer, {
        jwtAudience: [props.settings.auth.audience],
        identitySource: ['$request.header.Authorization'],
      }),
      // Created below, with access logs and throttling, which the implicit default stage cannot have.
      createDefaultStage: false,
      corsPreflight:
        allowedOrigins.length > 0
          ? {
              allowOrigins: [...allowedOrigins],
              allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST],
              allowHeaders: ['authorization', 'content-type'],
              // Tokens travel in the Authorization header, never in cookies.
              allowCredentials: false,
              maxAge: Duration.hours(1),
            }
          : undefined,
    });

    const { stage, accessLogGroup } = addLoggedDefaultStage(this, this.httpApi, {
      logRetention,
      throttlingRateLimit: props.throttlingRateLimit,
      throttlingBurstLimit: props.throttlingBurstLimit,
      routeThrottles: props.routeThrottles,
      // The caller's user id, so an access can be tied to a person; empty on public routes.
      callerFields: { subject: '$context.authorizer.claims.sub' },
    });
    this.stage = stage;
    this.accessLogGroup = accessLogGroup;
    this.url = this.stage.url;

    new CfnOutput(this, 'Url', { value: this.url, description: 'Base URL of the notice portal API' });
  }
}
