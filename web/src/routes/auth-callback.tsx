import { PageContent } from '@ag.ds-next/react/content';
import { createRoute, useNavigate } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { describeError } from '../api/api-error';
import { useAuth } from '../auth/auth-context';
import { ErrorState, LoadingState } from '../components/page-states';
import { rootRoute } from './root';

/** The identity provider sends the browser back here with the code; the PKCE exchange happens in oidc-client-ts. */
export const authCallbackRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/auth/callback',
  component: AuthCallback,
});

function AuthCallback() {
  const { completeSignIn, signIn } = useAuth();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(undefined);
  // The code is single-use: StrictMode's second effect run must not redeem it again.
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    completeSignIn().then(
      (returnTo) => navigate({ href: returnTo, replace: true }),
      (failure: unknown) => setError(failure),
    );
  }, [completeSignIn, navigate]);
  return (
    <main id="main-content">
      <PageContent>
        {error ? (
          <ErrorState
            title="Sign-in did not complete"
            error={new Error(`${describeError(error)} Start again from the sign-in page.`)}
            retry={() => void signIn('/')}
          />
        ) : (
          <LoadingState label="Signing you in" />
        )}
      </PageContent>
    </main>
  );
}
