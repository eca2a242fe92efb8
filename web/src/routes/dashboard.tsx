import { PageContent } from '@ag.ds-next/react/content';
import { Prose } from '@ag.ds-next/react/prose';
import { createRoute } from '@tanstack/react-router';
import { rootRoute } from './root';

export const dashboardRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  component: Dashboard,
});

function Dashboard() {
  return (
    <PageContent>
      <Prose>
        <h1>Dashboard</h1>
      </Prose>
    </PageContent>
  );
}
