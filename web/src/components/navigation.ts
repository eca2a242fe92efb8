import type { AppLayoutSidebarProps } from '@ag.ds-next/react/app-layout';
import { isAdmin, isRegulator, type SessionUser } from '../auth/session-user';

type NavGroups = AppLayoutSidebarProps['items'];

/** The sidebar: only what this user's role may do (the API refuses the rest anyway). */
export function navigationFor(user: SessionUser, options: { developerPanel: boolean; signOut: () => void }): NavGroups {
  const groups: NavGroups = [];
  if (isRegulator(user)) {
    groups.push([
      { label: 'Dashboard', href: '/' },
      { label: 'Notices', href: '/notices' },
      { label: 'Create a notice', href: '/notices/new' },
    ]);
  } else {
    groups.push([
      { label: 'Inbox', href: '/' },
      { label: 'Notices', href: '/notices' },
      { label: 'Verify a receipt', href: '/verify-receipt' },
    ]);
  }
  if (isAdmin(user)) {
    groups.push([
      { label: 'Platforms', href: '/admin/platforms' },
      { label: 'Users', href: '/admin/users' },
      { label: 'API clients', href: '/admin/api-clients' },
    ]);
  }
  if (options.developerPanel) groups.push([{ label: 'Developer panel (local only)', href: '/developer' }]);
  groups.push([{ label: 'Sign out', onClick: options.signOut }]);
  return groups;
}

/**
 * The path the sidebar highlights. A platform user reaches a notice (and its response pages) from the Inbox, so
 * `/notices/<id>/…` highlights Inbox for them; AgDS would otherwise pick "Notices" as the longest prefix (and never
 * "/"). Regulators work from the notices list, so theirs is left as it is.
 */
export function activeNavPath(user: SessionUser, pathname: string): string {
  if (!isRegulator(user) && /^\/notices\/[^/]+/.test(pathname)) return '/';
  return pathname;
}
