import { PageContent } from '@ag.ds-next/react/content';
import { createRoute } from '@tanstack/react-router';
import { SignStep } from '../components/response/sign-step';
import { rootRoute } from './root';

export const respondSignRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/notices/$noticeId/respond/sign',
  component: RespondSignPage,
});

/** Task 4 of "Respond to this notice": sign the prepared response (web/src/components/response/sign-step.tsx). */
function RespondSignPage() {
  const { noticeId } = respondSignRoute.useParams();
  return (
    <PageContent>
      <SignStep noticeId={noticeId} />
    </PageContent>
  );
}
