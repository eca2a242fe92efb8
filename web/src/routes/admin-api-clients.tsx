import { PageContent } from '@ag.ds-next/react/content';
import { Prose } from '@ag.ds-next/react/prose';
import { createRoute } from '@tanstack/react-router';
import { rootRoute } from './root';

export const adminApiClientsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/admin/api-clients',
  component: ApiClients,
});

function ApiClients() {
  return (
    <PageContent>
      <Prose>
        <h1>ApiClients</h1>
      </Prose>
    </PageContent>
  );
}
