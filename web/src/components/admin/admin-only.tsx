import { PageContent } from '@ag.ds-next/react/content';
import { Prose } from '@ag.ds-next/react/prose';
import type { ReactNode } from 'react';
import { useSessionUser } from '../../auth/auth-context';
import { isAdmin } from '../../auth/session-user';
import { AnnouncerProvider } from '../notice/announcer';

/** Administration pages: only for regulator administrators (the API refuses everyone else with 403 anyway). */
export function AdminOnly({ children }: { children: ReactNode }) {
  const user = useSessionUser();
  if (!isAdmin(user)) {
    return (
      <PageContent>
        <Prose>
          <h1>You cannot use this page</h1>
          <p>Administration is for regulator administrators. Ask one if you need a platform, user or key changed.</p>
        </Prose>
      </PageContent>
    );
  }
  return <AnnouncerProvider>{children}</AnnouncerProvider>;
}
