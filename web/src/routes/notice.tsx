import { PageContent } from '@ag.ds-next/react/content';
import { Prose } from '@ag.ds-next/react/prose';
import { createRoute } from '@tanstack/react-router';
import { rootRoute } from './root';

export const noticeRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/notices/$noticeId',
  component: NoticePage,
});

function NoticePage() {
  return (
    <PageContent>
      <Prose>
        <h1>NoticePage</h1>
      </Prose>
    </PageContent>
  );
}
