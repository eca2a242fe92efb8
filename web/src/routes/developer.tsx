import { PageContent } from '@ag.ds-next/react/content';
import { createRoute } from '@tanstack/react-router';
import { lazy, Suspense } from 'react';
import { NotFoundPage } from '../components/not-found-page';
import { LoadingState } from '../components/page-states';
import { useConfig } from '../config/config-context';
import { rootRoute } from './root';

// Its own chunk (assets/dev-panel-*.js), which the AWS deployment leaves out of the app bucket.
const DeveloperPanel = lazy(() => import('../dev-panel/dev-panel'));

export const developerRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/developer',
  component: Developer,
});

function Developer() {
  const { developerPanel } = useConfig();
  if (!developerPanel) return <NotFoundPage />;
  return (
    <Suspense
      fallback={
        <PageContent>
          <LoadingState label="Loading the developer panel" />
        </PageContent>
      }
    >
      <DeveloperPanel />
    </Suspense>
  );
}
