import type { QueryClient } from '@tanstack/react-query';
import { createRouter } from '@tanstack/react-router';
import type { PortalApi } from '../api/client';
import { routeTree } from './route-tree';

/** What every route's loader and component can reach through the router context. */
export interface RouterContext {
  queryClient: QueryClient;
  api: PortalApi;
}

export function createAppRouter(context: RouterContext) {
  return createRouter({
    routeTree,
    context,
    // Moving to another page puts focus and scroll back at the top, as a full page load would.
    scrollRestoration: true,
    defaultPreload: false,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
