import { createRootRouteWithContext, Outlet, useRouterState } from '@tanstack/react-router';
import type { RouterContext } from '../app/router';
import { AppShell } from '../components/app-shell';
import { NotFoundPage } from '../components/not-found-page';

/** Pages anyone may open: the identity provider's return address and the signed-out page. */
const PUBLIC_PATHS = new Set(['/auth/callback', '/signed-out']);

export const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Root,
  notFoundComponent: NotFoundPage,
});

function Root() {
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  if (PUBLIC_PATHS.has(pathname)) return <Outlet />;
  return (
    <AppShell>
      <Outlet />
    </AppShell>
  );
}
