import { PageContent } from '@ag.ds-next/react/content';
import { Prose } from '@ag.ds-next/react/prose';
import { createRoute } from '@tanstack/react-router';
import { rootRoute } from './root';

export const noticesRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/notices',
  component: Notices,
});

function Notices() {
  return (
    <PageContent>
      <Prose>
        <h1>Notices</h1>
      </Prose>
    </PageContent>
  );
}
