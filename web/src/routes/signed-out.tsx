import { Button } from '@ag.ds-next/react/button';
import { PageContent } from '@ag.ds-next/react/content';
import { Prose } from '@ag.ds-next/react/prose';
import { Stack } from '@ag.ds-next/react/stack';
import { createRoute } from '@tanstack/react-router';
import { useAuth } from '../auth/auth-context';
import { rootRoute } from './root';

export const signedOutRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/signed-out',
  component: SignedOut,
});

function SignedOut() {
  const { signIn } = useAuth();
  return (
    <main id="main-content">
      <PageContent>
        <Stack gap={2}>
          <Prose>
            <h1>You have signed out</h1>
            <p>Close the browser if you are using a shared computer.</p>
          </Prose>
          <div>
            <Button onClick={() => void signIn('/')}>Sign in again</Button>
          </div>
        </Stack>
      </PageContent>
    </main>
  );
}
