import { CfnOutput, Duration } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, type HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { type LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ROUTES, type RouteDefinition, routeFunctions } from '../../lambdas/api/routes';
import { addRoute, routeConstructName } from './api-routes';
import { addLoggedDefaultStage } from './api-stage';
import { type PortalSettings, portalEnvironment } from './function-environment';
import {
  handlerEntry,
  PortalFunction,
  type ReceiptKeyUse,
  type ResponseBinding,
  type TableBinding,
} from './portal-function';

/** Props of {@link NoticeApi}. */
export interface NoticeApiProps {
  /** The notices table the route functions are bound to (each by its route's `tableAccess`). */
  readonly data: TableBinding;
  /** The response bucket the route functions are bound to (each by its route's `bucketAccess`). */
  readonly storage: ResponseBinding;
  /** The receipt key; routes with `signsReceipts` are bound to it (see {@link receiptKeyUse}). */
  readonly receiptKey: IKey;
  /**
   * The key of the portal's machine-client access tokens. Every route function verifies such tokens (it may read
   * the public key); routes with `signsAccessTokens` may also sign with it (see `PortalFunction.bindAccessTokenKey`).
   */
  readonly accessTokenKey: IKey;
  /**
   * What every portal function is configured with (token issuer and audience, default time zone, deadline
   * jurisdiction), one object for the whole stack; see `portalEnvironment`.
   */
  readonly settings: PortalSettings;
  /**
   * The user pool whose accounts the portal manages: every route function is told about it, and routes with
   * `managesUsers` may administer its users (see `PortalFunction.bindUserAdministration`).
   */
  readonly userPool: IUserPool;
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
   * How long API access logs and function logs are kept.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: RetentionDays;
}

/**
 * The portal's HTTP API: one Lambda function per handler module of `ROUTES` (usually one per route) and one route per entry, a JWT authorizer on every
 * non-public route, JSON access logs and stage throttling.
 */
export class NoticeApi extends Construct {
  public readonly httpApi: HttpApi;
  public readonly stage: HttpStage;
  /** The JSON access log of the API's default stage. */
  public readonly accessLogGroup: LogGroup;
  /** The function behind each route, by `operationId`. */
  public readonly functions: Readonly<Record<string, PortalFunction>>;
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
      // The caller's user id, so an access can be tied to a person; empty on public routes.
      callerFields: { subject: '$context.authorizer.claims.sub' },
    });
    this.stage = stage;
    this.accessLogGroup = accessLogGroup;

    const environment = portalEnvironment(props.settings);
    const functions: Record<string, PortalFunction> = {};
    // One function per handler module; routes naming the same module share it (routes.ts, `handler`).
    for (const { handler, routes } of routeFunctions(ROUTES)) {
      const [route] = routes as [RouteDefinition, ...RouteDefinition[]];
      const fn = new PortalFunction(this, `${routeConstructName(route)}Function`, {
        entry: handlerEntry(handler),
        description: routes.map((r) => `${r.method} ${r.path}: ${r.summary}`).join(' · '),
        environment,
        logRetention,
      });
      fn.bindTable(props.data, route.tableAccess);
      const bucketAccess = route.bucketAccess ?? 'none';
      // Any function that handles responses gets the bucket name and the receipt signer's settings, which the
      // runtime's submission configuration requires together; the grants follow the route's fields.
      if (bucketAccess !== 'none' || route.signsReceipts) {
        fn.bindResponses(props.storage, bucketAccess);
        fn.bindReceiptKey(props.receiptKey, receiptKeyUse(route));
      }
      if (route.managesUsers) {
        fn.bindUserAdministration(props.userPool);
      } else {
        fn.bindUserPool(props.userPool);
      }
      // Every function's authenticate() accepts the portal's own access tokens as well as Cognito's ID tokens.
      fn.bindAccessTokenKey(props.accessTokenKey, route.signsAccessTokens ? 'sign' : 'verify');
      for (const served of routes) {
        functions[served.operationId] = fn;
        addRoute(this.httpApi, served, fn);
      }
    }
    this.functions = functions;
    this.url = this.stage.url;

    new CfnOutput(this, 'Url', { value: this.url, description: 'Base URL of the notice portal API' });
  }
}

/**
 * What a route's function does with the receipt key. A receipt only counts once it is recorded in the notice's
 * history, a table write; so a `signsReceipts` route that cannot write the table (the public JWKS) only publishes
 * the public key and is never allowed to sign.
 */
export function receiptKeyUse(route: RouteDefinition): ReceiptKeyUse {
  if (!route.signsReceipts) return 'none';
  return route.tableAccess === 'read-write' ? 'sign' : 'publish';
}
