import { PageContent } from '@ag.ds-next/react/content';
import { Prose } from '@ag.ds-next/react/prose';
import { createRoute } from '@tanstack/react-router';
import { rootRoute } from './root';

export const adminUsersRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/admin/users',
  component: Users,
});

function Users() {
  return (
    <PageContent>
      <Prose>
        <h1>Users</h1>
      </Prose>
    </PageContent>
  );
}
