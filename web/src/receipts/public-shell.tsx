import { AppLayout, AppLayoutContent, AppLayoutFooter, AppLayoutHeader } from '@ag.ds-next/react/app-layout';
import { SkipLinks } from '@ag.ds-next/react/skip-link';
import { Text } from '@ag.ds-next/react/text';
import type { ReactNode } from 'react';
import { useAuth } from '../auth/auth-context';
import { AppShell } from '../components/app-shell';
import { BrandLogo } from '../components/brand-logo';
import { useConfig } from '../config/config-context';

/**
 * The frame of a page anyone may open without signing in (verifying a receipt): the product's header and a main
 * landmark, no navigation. A signed-in user who reaches the page from the sidebar keeps the full app shell, so the
 * page looks like the rest of the portal to them.
 */
export function PublicShell({ children }: { children: ReactNode }) {
  const { user } = useAuth();
  const config = useConfig();
  if (user) return <AppShell>{children}</AppShell>;
  return (
    <>
      <SkipLinks links={[{ href: '#main-content', label: 'Skip to main content' }]} />
      <AppLayout focusMode>
        <AppLayoutHeader
          heading={config.branding.productName}
          subLine={config.branding.regulatorName}
          href="/"
          logo={<BrandLogo />}
        />
        <AppLayoutContent>
          <main id="main-content" tabIndex={-1} css={{ '&:focus': { outline: 'none' } }}>
            {children}
          </main>
          <AppLayoutFooter>
            <Text fontSize="xs">{config.branding.regulatorName}.</Text>
          </AppLayoutFooter>
        </AppLayoutContent>
      </AppLayout>
    </>
  );
}
