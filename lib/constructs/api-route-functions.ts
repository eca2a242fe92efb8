import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Construct } from 'constructs';
import { ROUTES, type RouteDefinition } from '../../lambdas/api/routes';
import type { PortalFunction } from './portal-function';
import { ROUTE_AREAS, type RouteArea, routeArea } from './route-areas';
import { type RouteFunctionBindings, RouteFunctionStack } from './route-function-stack';

/** Props of {@link ApiRouteFunctions}. */
export interface ApiRouteFunctionsProps extends RouteFunctionBindings {
  /** The user API (`NoticeApi.httpApi`). */
  readonly userApi: HttpApi;
  /** The machine API (`MachineApi.httpApi`). */
  readonly machineApi: HttpApi;
  /**
   * The routes to serve.
   * @default ROUTES
   */
  readonly routes?: readonly RouteDefinition[];
}

/**
 * One Lambda function per entry of `ROUTES`, served on the user API and (with `machineAccess`) on the machine API,
 * in one nested stack per area of the API (see `routeArea`). Each function with its role, policy, log group,
 * routes, integrations and permissions is about ten resources; in the portal stack itself they came to nearly all of
 * CloudFormation's 500 per stack. An area with no route gets no nested stack.
 */
export class ApiRouteFunctions extends Construct {
  /** The nested stack of each area that has routes. */
  public readonly stacks: Readonly<Partial<Record<RouteArea, RouteFunctionStack>>>;
  /** The function behind each route, by `operationId`. */
  public readonly functions: Readonly<Record<string, PortalFunction>>;

  public constructor(scope: Construct, id: string, props: ApiRouteFunctionsProps) {
    super(scope, id);
    const { routes = ROUTES, ...bindings } = props;
    const stacks: Partial<Record<RouteArea, RouteFunctionStack>> = {};
    const functions: Record<string, PortalFunction> = {};
    for (const area of ROUTE_AREAS) {
      const inArea = routes.filter((route) => routeArea(route) === area);
      if (inArea.length === 0) continue;
      const stack = new RouteFunctionStack(this, area, {
        ...bindings,
        routes: inArea,
        description: `Notice-response portal: the ${area} routes' functions and their routes on both APIs`,
      });
      stacks[area] = stack;
      Object.assign(functions, stack.functions);
    }
    this.stacks = stacks;
    this.functions = functions;
  }
}
