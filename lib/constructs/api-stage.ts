import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CfnStage, type HttpApi, type HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { RouteDefinition } from '../../lambdas/api/routes';
import type { Throttle } from '../protection-settings';

/** Settings of {@link addLoggedDefaultStage}. */
export interface LoggedDefaultStageProps {
  /** How long the access logs are kept. */
  readonly logRetention: RetentionDays;
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
   * Tighter limits for single routes of this API, by route key (`POST /oauth2/token`, see {@link routeKeyOf}); every
   * other route has the stage's. API Gateway refuses a stage whose route settings name a route that does not exist
   * yet, so the stage must be deployed after these routes (see `NoticePortalStack`).
   * @default - none
   */
  readonly routeThrottles?: Readonly<Record<string, Throttle>>;
  /**
   * Access log fields that name the caller, as the API's authorizer exposes it (a JWT authorizer's claims, a Lambda
   * authorizer's context); logged after the latencies.
   */
  readonly callerFields: Readonly<Record<string, string>>;
}

/** The key API Gateway names a route by, in route settings and in the access log's `routeKey`. */
export function routeKeyOf(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

/**
 * The route settings of an API that serves `routes`: each throttle of `byOperationId` whose route the API serves, by
 * route key. A throttle for a route the API does not serve is left out (the machine API serves only some routes).
 */
export function routeThrottlesOf(
  routes: readonly RouteDefinition[],
  byOperationId: Readonly<Record<string, Throttle>>,
): Record<string, Throttle> {
  return Object.fromEntries(
    routes.flatMap((route) => {
      const limits = byOperationId[route.operationId];
      return limits === undefined ? [] : [[routeKeyOf(route), limits] as const];
    }),
  );
}

/**
 * The fields of every access log line. Request ids first: `requestId` is what the API returns to the caller (the
 * `apigw-requestid` header) and `extendedRequestId` what AWS support asks for; `integrationRequestId` is the Lambda
 * invocation's request id, which joins the line to the function's own log. `errorResponseType` says why API Gateway
 * answered by itself (`THROTTLED`, `UNAUTHORIZED`, `INTEGRATION_FAILURE`, ...). `sourceIp` is the address that
 * connected to API Gateway: for the user API behind CloudFront that is an edge server, and the viewer's address is in
 * the distribution's standard logs and the web ACL's logs.
 */
export function accessLogFields(callerFields: Readonly<Record<string, string>>): Record<string, string> {
  return {
    requestId: '$context.requestId',
    extendedRequestId: '$context.extendedRequestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    routeKey: '$context.routeKey',
    path: '$context.path',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    ...callerFields,
    integrationRequestId: '$context.integration.requestId',
    integrationStatus: '$context.integration.integrationStatus',
    errorResponseType: '$context.error.responseType',
    errorMessage: '$context.error.message',
    authorizerError: '$context.authorizer.error',
    integrationError: '$context.integrationErrorMessage',
  };
}

/**
 * Adds the `$default` stage of an HTTP API (auto-deployed, throttled, per route where `routeThrottles` says) with a
 * JSON access log in a retained log
 * group of its own (`AccessLogs` in `scope`). Create the API with `createDefaultStage: false`: the implicit default
 * stage can have neither access logs nor throttling.
 */
export function addLoggedDefaultStage(
  scope: Construct,
  httpApi: HttpApi,
  props: LoggedDefaultStageProps,
): { stage: HttpStage; accessLogGroup: LogGroup } {
  const accessLogGroup = new LogGroup(scope, 'AccessLogs', {
    retention: props.logRetention,
    // Who called what, when: kept with the record it concerns.
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const stage = httpApi.addStage('DefaultStage', {
    stageName: '$default',
    autoDeploy: true,
    throttle: {
      rateLimit: props.throttlingRateLimit ?? 100,
      burstLimit: props.throttlingBurstLimit ?? 200,
    },
    accessLogSettings: {
      destination: new LogGroupLogDestination(accessLogGroup),
      format: AccessLogFormat.custom(JSON.stringify(accessLogFields(props.callerFields))),
    },
  });
  const routeSettings = Object.entries(props.routeThrottles ?? {});
  if (routeSettings.length > 0) {
    // HttpStage has no per-route throttling of its own; the CloudFormation stage has (RouteSettings, a JSON map
    // that CDK passes through as it is, hence CloudFormation's own casing).
    const cfnStage = stage.node.defaultChild;
    if (!(cfnStage instanceof CfnStage)) throw new Error('expected the HTTP stage to be an AWS::ApiGatewayV2::Stage');
    cfnStage.routeSettings = Object.fromEntries(
      routeSettings.map(([routeKey, limits]) => [
        routeKey,
        { ThrottlingRateLimit: limits.rateLimit, ThrottlingBurstLimit: limits.burstLimit },
      ]),
    );
  }
  return { stage, accessLogGroup };
}
