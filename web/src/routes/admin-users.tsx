import { Button } from '@ag.ds-next/react/button';
import { PageContent } from '@ag.ds-next/react/content';
import { H1 } from '@ag.ds-next/react/heading';
import { PageAlert } from '@ag.ds-next/react/page-alert';
import { Stack } from '@ag.ds-next/react/stack';
import { StatusBadge } from '@ag.ds-next/react/status-badge';
import {
  Table,
  TableBody,
  TableCaption,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  TableWrapper,
} from '@ag.ds-next/react/table';
import { Text } from '@ag.ds-next/react/text';
import { createRoute } from '@tanstack/react-router';
import { useState } from 'react';
import type { PortalUser } from '../api/types';
import { AdminOnly } from '../components/admin/admin-only';
import { useUsers } from '../components/admin/admin-queries';
import { InviteUser, ROLE_LABELS } from '../components/admin/invite-user';
import { UserStatusActions } from '../components/admin/user-status-actions';
import { Announcements } from '../components/notice/announcer';
import { EmptyState, ErrorState, LoadingState } from '../components/page-states';
import { rootRoute } from './root';

export const adminUsersRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/admin/users',
  component: () => (
    <AdminOnly>
      <Users />
    </AdminOnly>
  ),
});

function Users() {
  const users = useUsers();
  const [invited, setInvited] = useState<{ user: PortalUser; temporaryPassword?: string } | undefined>(undefined);
  return (
    <PageContent>
      <Stack gap={1.5}>
        <H1>Users</H1>
        <Announcements />
        {invited && <Invited {...invited} onDone={() => setInvited(undefined)} />}
        <div>
          <InviteUser onInvited={(user, temporaryPassword) => setInvited({ user, temporaryPassword })} />
        </div>
        {users.isPending ? (
          <LoadingState label="Loading the users" />
        ) : users.isError ? (
          <ErrorState title="The users could not be loaded" error={users.error} retry={() => void users.refetch()} />
        ) : users.data.items.length === 0 ? (
          <EmptyState>No users yet.</EmptyState>
        ) : (
          <TableWrapper>
            <Table>
              <TableCaption>Users of the portal</TableCaption>
              <TableHead>
                <TableRow>
                  <TableHeader scope="col">Name</TableHeader>
                  <TableHeader scope="col">E-mail</TableHeader>
                  <TableHeader scope="col">Role</TableHeader>
                  <TableHeader scope="col">Status</TableHeader>
                  <TableHeader scope="col">Action</TableHeader>
                </TableRow>
              </TableHead>
              <TableBody>
                {users.data.items.map((user) => (
                  <TableRow key={user.subject}>
                    <TableCell>{user.name}</TableCell>
                    <TableCell>{user.email}</TableCell>
                    <TableCell>
                      {ROLE_LABELS[user.role]}
                      {user.platformId ? ` (${user.platformId})` : ''}
                    </TableCell>
                    <TableCell>
                      <StatusBadge
                        appearance="subtle"
                        tone={user.status === 'active' ? 'successLow' : 'errorMedium'}
                        label={user.status === 'active' ? 'Active' : 'Disabled'}
                      />
                    </TableCell>
                    <TableCell>
                      <UserStatusActions user={user} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableWrapper>
        )}
      </Stack>
    </PageContent>
  );
}

/** What the invitee receives, as the API returned it: the local provider's temporary password is shown once. */
function Invited({
  user,
  temporaryPassword,
  onDone,
}: {
  user: PortalUser;
  temporaryPassword?: string;
  onDone: () => void;
}) {
  return (
    <PageAlert
      tone={temporaryPassword ? 'warning' : 'success'}
      title={`${user.name} has been invited`}
      focusOnMount
      tabIndex={-1}
    >
      <Stack gap={1}>
        {temporaryPassword ? (
          <>
            <Text as="p">
              The development identity provider sends no e-mail: give {user.email} this temporary password. It is shown
              only now.
            </Text>
            <Text as="p">
              Temporary password: <code data-testid="temporary-password">{temporaryPassword}</code>
            </Text>
          </>
        ) : (
          <Text as="p">
            {user.email} receives an e-mail with a temporary password, and sets their own at first sign-in.
          </Text>
        )}
        <div>
          <Button variant="secondary" onClick={onDone}>
            Done
          </Button>
        </div>
      </Stack>
    </PageAlert>
  );
}
