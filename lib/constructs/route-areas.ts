import type { RouteDefinition } from '../../lambdas/api/routes';

/**
 * The areas of the API, each deployed as one nested stack of route functions. A fixed, small set, so the parent
 * stack holds a handful of `AWS::CloudFormation::Stack` resources however many routes there are.
 */
export const ROUTE_AREAS = ['Notices', 'Submissions', 'Platforms', 'Users', 'Service'] as const;
export type RouteArea = (typeof ROUTE_AREAS)[number];

/**
 * The area a route belongs to, from its path alone: a route never moves between nested stacks when others are
 * added, removed or reordered in `ROUTES` (a move would replace its function, role and log group on the next
 * deployment). Submissions are an area of their own because they are the largest family under `/notices`.
 * Everything that is not about notices, platforms or users (public keys, health, OpenAPI, the token endpoint,
 * reference data) is `Service`.
 */
export function routeArea(route: Pick<RouteDefinition, 'path'>): RouteArea {
  if (/^\/notices\/\{[^}]+\}\/submissions(\/|$)/.test(route.path)) return 'Submissions';
  if (/^\/notices(\/|$)/.test(route.path)) return 'Notices';
  if (/^\/platforms(\/|$)/.test(route.path)) return 'Platforms';
  if (/^\/users(\/|$)/.test(route.path)) return 'Users';
  return 'Service';
}
