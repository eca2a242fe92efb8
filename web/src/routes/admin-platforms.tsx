import { PageContent } from '@ag.ds-next/react/content';
import { Prose } from '@ag.ds-next/react/prose';
import { createRoute } from '@tanstack/react-router';
import { rootRoute } from './root';

export const adminPlatformsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/admin/platforms',
  component: Platforms,
});

function Platforms() {
  return (
    <PageContent>
      <Prose>
        <h1>Platforms</h1>
      </Prose>
    </PageContent>
  );
}
