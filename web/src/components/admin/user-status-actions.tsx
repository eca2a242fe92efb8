import { Text } from '@ag.ds-next/react/text';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { unwrap } from '../../api/api-error';
import type { PortalUser } from '../../api/types';
import { CommandDialog, useDialogForm } from '../form/command-dialog';
import { TextareaField } from '../form/fields';
import { adminKeys } from './admin-queries';
import { useAdminCommand } from './use-admin-command';

/** Disable (at once: their tokens stop working on the next request) or enable a user again. */
export function UserStatusActions({ user }: { user: PortalUser }) {
  return user.status === 'active' ? <DisableUser user={user} /> : <EnableUser user={user} />;
}

function DisableUser({ user }: { user: PortalUser }) {
  const formId = `disable-${user.subject}`;
  const form = useDialogForm<{ reason: string }>({
    resolver: zodResolver(z.object({ reason: z.string().trim().min(1, 'Enter the reason') })),
    defaultValues: { reason: '' },
  });
  const disable = useAdminCommand(
    (api, v: { reason: string }, headers) =>
      unwrap(
        api.POST('/users/{subject}/disable', {
          params: { path: { subject: user.subject } },
          headers,
          body: { reason: v.reason.trim() },
        }),
      ),
    [adminKeys.users],
    (u) => `${u.name} disabled.`,
  );
  return (
    <CommandDialog
      triggerLabel={`Disable ${user.name}`}
      title={`Disable ${user.name}`}
      confirmLabel="Disable user"
      form={form}
      formId={formId}
      labels={{ reason: 'Reason' }}
      onConfirm={disable}
      intro={<Text as="p">They are signed out at once: their next request is refused. You can enable them again.</Text>}
    >
      <TextareaField form={form} formId={formId} name="reason" label="Reason" required />
    </CommandDialog>
  );
}

function EnableUser({ user }: { user: PortalUser }) {
  const formId = `enable-${user.subject}`;
  const form = useDialogForm<Record<string, never>>({ defaultValues: {} });
  const enable = useAdminCommand(
    (api, _v: Record<string, never>, headers) =>
      unwrap(api.POST('/users/{subject}/enable', { params: { path: { subject: user.subject } }, headers })),
    [adminKeys.users],
    (u) => `${u.name} enabled.`,
  );
  return (
    <CommandDialog
      triggerLabel={`Enable ${user.name}`}
      title={`Enable ${user.name}`}
      confirmLabel="Enable user"
      form={form}
      formId={formId}
      labels={{}}
      onConfirm={enable}
      intro={<Text as="p">They can sign in again with their existing password.</Text>}
    />
  );
}
