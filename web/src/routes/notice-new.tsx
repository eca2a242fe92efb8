import { PageContent } from '@ag.ds-next/react/content';
import { Prose } from '@ag.ds-next/react/prose';
import { createRoute } from '@tanstack/react-router';
import { rootRoute } from './root';

export const noticeNewRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/notices/new',
  component: NewNotice,
});

function NewNotice() {
  return (
    <PageContent>
      <Prose>
        <h1>NewNotice</h1>
      </Prose>
    </PageContent>
  );
}
