import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { type HttpApi, type HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

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
   * Access log fields that name the caller, as the API's authorizer exposes it (a JWT authorizer's claims, a Lambda
   * authorizer's context); logged after the latencies.
   */
  readonly callerFields: Readonly<Record<string, string>>;
}

/**
 * Adds the `$default` stage of an HTTP API (auto-deployed, throttled) with a JSON access log in a retained log
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
      format: AccessLogFormat.custom(
        JSON.stringify({
          requestId: '$context.requestId',
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
          ...props.callerFields,
          authorizerError: '$context.authorizer.error',
          integrationError: '$context.integrationErrorMessage',
        }),
      ),
    },
  });
  return { stage, accessLogGroup };
}
