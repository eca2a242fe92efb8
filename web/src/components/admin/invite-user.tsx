import { Text } from '@ag.ds-next/react/text';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { unwrap } from '../../api/api-error';
import type { PortalUser } from '../../api/types';
import { CommandDialog, useDialogForm } from '../form/command-dialog';
import { SelectField, TextField } from '../form/fields';
import { adminKeys, usePlatforms } from './admin-queries';
import { useAdminCommand } from './use-admin-command';

export const ROLE_LABELS: Record<PortalUser['role'], string> = {
  'regulator-admin': 'Regulator administrator',
  'regulator-officer': 'Regulator officer',
  'platform-responder': 'Platform legal team',
};

const Schema = z
  .object({
    email: z.email('Enter an e-mail address such as name@example.com'),
    name: z.string().trim().min(1, 'Enter their name'),
    role: z.enum(['regulator-admin', 'regulator-officer', 'platform-responder'], 'Choose a role'),
    platformId: z.string(),
  })
  .refine((v) => v.role !== 'platform-responder' || v.platformId !== '', {
    path: ['platformId'],
    message: 'Choose the platform this person answers for',
  });
type Values = z.input<typeof Schema>;

/**
 * Invite a user with a role (and, for a platform's legal team, the platform). The identity provider e-mails them;
 * the local development provider instead answers with a temporary password, which `onInvited` shows once.
 */
export function InviteUser({ onInvited }: { onInvited: (user: PortalUser, temporaryPassword?: string) => void }) {
  const formId = 'invite-user';
  const platforms = usePlatforms();
  const form = useDialogForm<Values>({
    resolver: zodResolver(Schema),
    defaultValues: { email: '', name: '', role: 'regulator-officer', platformId: '' },
  });
  const role = form.watch('role');
  const invite = useAdminCommand(
    (api, v: Values, headers) =>
      unwrap(
        api.POST('/users', {
          headers,
          body: {
            email: v.email.trim(),
            name: v.name.trim(),
            role: v.role,
            platformId: v.role === 'platform-responder' ? v.platformId : undefined,
          },
        }),
      ),
    [adminKeys.users],
    (result) => `${result.user.name} invited as ${ROLE_LABELS[result.user.role].toLowerCase()}.`,
    (result) => onInvited(result.user, result.temporaryPassword),
  );
  return (
    <CommandDialog
      triggerLabel="Invite a user"
      triggerVariant="primary"
      title="Invite a user"
      confirmLabel="Send invitation"
      form={form}
      formId={formId}
      labels={{ email: 'E-mail address', name: 'Name', role: 'Role', platformId: 'Platform' }}
      onConfirm={invite}
      intro={<Text as="p">They receive an e-mail with a temporary password and set their own at first sign-in.</Text>}
    >
      <TextField
        form={form}
        formId={formId}
        name="email"
        label="E-mail address"
        type="email"
        autoComplete="off"
        required
      />
      <TextField form={form} formId={formId} name="name" label="Name" required />
      <SelectField
        form={form}
        formId={formId}
        name="role"
        label="Role"
        required
        options={Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label }))}
      />
      {role === 'platform-responder' && (
        <SelectField
          form={form}
          formId={formId}
          name="platformId"
          label="Platform"
          required
          placeholder="Choose a platform"
          options={(platforms.data?.items ?? [])
            .filter((p) => p.status === 'active')
            .map((p) => ({ value: p.platformId, label: `${p.legalName} (${p.platformId})` }))}
        />
      )}
    </CommandDialog>
  );
}
