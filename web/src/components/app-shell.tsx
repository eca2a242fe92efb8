import {
  AppLayout,
  AppLayoutContent,
  AppLayoutFooter,
  AppLayoutHeader,
  AppLayoutSidebar,
} from '@ag.ds-next/react/app-layout';
import { SkipLinks } from '@ag.ds-next/react/skip-link';
import { Text } from '@ag.ds-next/react/text';
import { useRouterState } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useAuth } from '../auth/auth-context';
import { useConfig } from '../config/config-context';
import { BrandLogo } from './brand-logo';
import { activeNavPath, navigationFor } from './navigation';
import { PageLoading } from './page-states';
import { SessionTimeoutDialog } from './session-timeout-dialog';
import { SignInPage } from './sign-in-page';

/**
 * The layout every signed-in page shares (AgDS app layout): header with the regulator's name and the account,
 * the sidebar with what this user may do, the page, and the session-timeout dialog. Until someone is signed in it
 * shows the sign-in page instead, for whatever address was opened (the address is kept for after sign-in).
 */
export function AppShell({ children }: { children: ReactNode }) {
  const { user, signOut } = useAuth();
  const config = useConfig();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  if (user === undefined) return <PageLoading label="Checking your session" />;
  const signedIn = user !== null;
  return (
    <>
      <SkipLinks links={[{ href: '#main-content', label: 'Skip to main content' }]} />
      <AppLayout focusMode={!signedIn}>
        <AppLayoutHeader
          heading={config.branding.productName}
          subLine={config.branding.regulatorName}
          href="/"
          logo={<BrandLogo />}
          accountDetails={signedIn ? { name: user.name, secondaryText: user.email } : undefined}
        />
        {signedIn && (
          <AppLayoutSidebar
            activePath={activeNavPath(user, pathname)}
            items={navigationFor(user, { developerPanel: config.developerPanel, signOut })}
          />
        )}
        <AppLayoutContent>
          <main id="main-content" tabIndex={-1} css={{ '&:focus': { outline: 'none' } }}>
            {signedIn ? children : <SignInPage />}
          </main>
          <AppLayoutFooter>
            <Text fontSize="xs">
              {config.branding.regulatorName}. Every change in this portal is recorded in a hash-chained history.
            </Text>
          </AppLayoutFooter>
        </AppLayoutContent>
      </AppLayout>
      {signedIn && <SessionTimeoutDialog expiresAt={user.expiresAt} />}
    </>
  );
}
