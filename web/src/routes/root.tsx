import { createRootRouteWithContext, Outlet, useRouterState } from '@tanstack/react-router';
import type { RouterContext } from '../app/router';
import { AppShell } from '../components/app-shell';
import { NotFoundPage } from '../components/not-found-page';

/**
 * Pages anyone may open: the identity provider's return address, the signed-out page, and verifying a receipt
 * (which brings its own minimal shell, web/src/receipts/public-shell.tsx).
 */
const PUBLIC_PATHS = new Set(['/auth/callback', '/signed-out', '/verify-receipt']);

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
