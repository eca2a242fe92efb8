import { Button } from '@ag.ds-next/react/button';
import { PageContent } from '@ag.ds-next/react/content';
import { Prose } from '@ag.ds-next/react/prose';
import { Stack } from '@ag.ds-next/react/stack';
import { useAuth } from '../auth/auth-context';
import { useConfig } from '../config/config-context';

/** Shown for any page opened without a session; after sign-in the browser comes back to that same page. */
export function SignInPage() {
  const { signIn } = useAuth();
  const { branding } = useConfig();
  return (
    <PageContent>
      <Stack gap={2}>
        <Prose>
          <h1>Sign in to the {branding.productName.toLowerCase()}</h1>
          <p>
            Regulators issue notices here and platforms' legal teams answer them. Every action is recorded with who did
            it and when.
          </p>
        </Prose>
        <div>
          <Button onClick={() => void signIn()}>Sign in</Button>
        </div>
      </Stack>
    </PageContent>
  );
}
