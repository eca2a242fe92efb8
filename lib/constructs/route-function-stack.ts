import { NestedStack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { RouteDefinition } from '../../lambdas/api/routes';
import { ENV } from '../../lambdas/config/env';
import { addRoute, routeConstructName } from './api-routes';
import { type PortalSettings, portalEnvironment } from './function-environment';
import {
  handlerEntry,
  PortalFunction,
  type ReceiptKeyUse,
  type ResponseBinding,
  type TableBinding,
} from './portal-function';

/** What the route functions are bound to: the stack's shared resources, which stay in the parent stack. */
export interface RouteFunctionBindings {
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
   * The evidence bundle builder; routes with `startsBundleBuilds` may invoke it (asynchronously), and only it.
   * Without it such a route has nothing to start builds with, and the app fails to synthesize.
   */
  readonly bundleBuilder?: IFunction;
  /**
   * How long function logs are kept.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: RetentionDays;
}

/** Props of {@link RouteFunctionStack}. */
export interface RouteFunctionStackProps extends RouteFunctionBindings {
  /** The routes whose functions this stack holds. */
  readonly routes: readonly RouteDefinition[];
  /** The user API (`NoticeApi.httpApi`): every route is served on it. */
  readonly userApi: HttpApi;
  /** The machine API (`MachineApi.httpApi`): routes with `machineAccess` are served on it too. */
  readonly machineApi: HttpApi;
  /** What the nested stack's template says it is. */
  readonly description: string;
}

/**
 * A nested stack of route functions: for each route, its function (with its role, policy and log group), and its
 * route, integration and invoke permission on the user API and, with `machineAccess`, on the machine API. The APIs,
 * their authorizers and every resource the functions are bound to stay in the parent stack and reach this one as
 * parameters; nothing in the parent refers back to a route function, so there is no dependency cycle.
 */
export class RouteFunctionStack extends NestedStack {
  /** The function behind each route of this stack, by `operationId`. */
  public readonly functions: Readonly<Record<string, PortalFunction>>;

  public constructor(scope: Construct, id: string, props: RouteFunctionStackProps) {
    super(scope, id, { description: props.description });
    const environment = portalEnvironment(props.settings);
    const functions: Record<string, PortalFunction> = {};
    for (const route of props.routes) {
      const fn = routeFunction(this, route, environment, props);
      functions[route.operationId] = fn;
      const name = routeConstructName(route);
      addRoute(this, `${name}Route`, props.userApi, route, fn);
      // The same function, role and log, whichever API the operation is called through.
      if (route.machineAccess) addRoute(this, `${name}MachineRoute`, props.machineApi, route, fn);
    }
    this.functions = functions;
  }
}

/** The function of one route, with exactly the grants and environment its route's fields call for. */
function routeFunction(
  scope: Construct,
  route: RouteDefinition,
  environment: Record<string, string>,
  bindings: RouteFunctionBindings,
): PortalFunction {
  const fn = new PortalFunction(scope, `${routeConstructName(route)}Function`, {
    entry: handlerEntry(route.handler),
    description: `${route.method} ${route.path}: ${route.summary}`,
    environment,
    logRetention: bindings.logRetention ?? RetentionDays.ONE_YEAR,
  });
  fn.bindTable(bindings.data, route.tableAccess);
  const bucketAccess = route.bucketAccess ?? 'none';
  // Any function that handles responses gets the bucket name and the receipt signer's settings, which the
  // runtime's submission configuration requires together; the grants follow the route's fields.
  if (bucketAccess !== 'none' || route.signsReceipts) {
    fn.bindResponses(bindings.storage, bucketAccess);
    fn.bindReceiptKey(bindings.receiptKey, receiptKeyUse(route));
  }
  if (route.managesUsers) {
    fn.bindUserAdministration(bindings.userPool);
  } else {
    fn.bindUserPool(bindings.userPool);
  }
  if (route.startsBundleBuilds) {
    if (!bindings.bundleBuilder) throw new Error(`${route.operationId} starts bundle builds: give the bundleBuilder`);
    fn.addEnvironment(ENV.bundleBuilder, 'lambda');
    fn.addEnvironment(ENV.bundleBuilderFunction, bindings.bundleBuilder.functionName);
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [bindings.bundleBuilder.functionArn] }),
    );
  }
  // Every function's authenticate() accepts the portal's own access tokens as well as Cognito's ID tokens.
  fn.bindAccessTokenKey(bindings.accessTokenKey, route.signsAccessTokens ? 'sign' : 'verify');
  return fn;
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
