import { ButtonGroup } from '@ag.ds-next/react/button';
import { Text } from '@ag.ds-next/react/text';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { unwrap } from '../../api/api-error';
import type { Platform } from '../../api/types';
import { CommandDialog, useDialogForm } from '../form/command-dialog';
import { SelectField, TextareaField, TextField } from '../form/fields';
import { adminKeys, usePlatforms } from './admin-queries';
import { linesOf, useAdminCommand } from './use-admin-command';

const reason = z.string().trim().min(3, 'Enter the reason (at least 3 characters)');
const listPath = (path: string) => path.replace(/\.\d+$/, '');

/** Rename, change contacts, merge: each recorded in the platform's provenance with who, when and why. */
export function PlatformChanges({ platform }: { platform: Platform }) {
  if (platform.status !== 'active') return null;
  return (
    <ButtonGroup>
      <RenamePlatform platform={platform} />
      <ChangeContacts platform={platform} />
      <MergePlatform platform={platform} />
    </ButtonGroup>
  );
}

function RenamePlatform({ platform }: { platform: Platform }) {
  const formId = `rename-${platform.platformId}`;
  const schema = z.object({
    legalName: z.string().trim().min(1, 'Enter the legal name'),
    tradingNames: z.string(),
    reason,
  });
  type Values = z.infer<typeof schema>;
  const form = useDialogForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { legalName: platform.legalName, tradingNames: platform.tradingNames.join('\n'), reason: '' },
  });
  const rename = useAdminCommand(
    (api, v: Values, headers) =>
      unwrap(
        api.POST('/platforms/{platformId}/rename', {
          params: { path: { platformId: platform.platformId } },
          headers,
          body: { legalName: v.legalName.trim(), tradingNames: linesOf(v.tradingNames), reason: v.reason.trim() },
        }),
      ),
    [adminKeys.platform(platform.platformId), adminKeys.platforms],
    (p) => `Platform renamed to ${p.legalName}.`,
  );
  return (
    <CommandDialog
      triggerLabel="Rename"
      title={`Rename ${platform.legalName}`}
      confirmLabel="Rename platform"
      form={form}
      formId={formId}
      labels={{ legalName: 'Legal name', tradingNames: 'Trading names', reason: 'Reason' }}
      mapPath={listPath}
      onConfirm={rename}
      intro={<Text as="p">The platform keeps its id ({platform.platformId}) and its notices.</Text>}
    >
      <TextField form={form} formId={formId} name="legalName" label="Legal name" required />
      <TextareaField
        form={form}
        formId={formId}
        name="tradingNames"
        label="Trading names"
        hint="One a line."
        rows={2}
      />
      <TextareaField form={form} formId={formId} name="reason" label="Reason" required />
    </CommandDialog>
  );
}

function ChangeContacts({ platform }: { platform: Platform }) {
  const formId = `contacts-${platform.platformId}`;
  const schema = z.object({
    contacts: z.string().refine((v) => linesOf(v).length > 0, 'Enter at least one address'),
    reason,
  });
  type Values = z.infer<typeof schema>;
  const form = useDialogForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { contacts: platform.contacts.join('\n'), reason: '' },
  });
  const change = useAdminCommand(
    (api, v: Values, headers) =>
      unwrap(
        api.POST('/platforms/{platformId}/contacts', {
          params: { path: { platformId: platform.platformId } },
          headers,
          body: { contacts: linesOf(v.contacts), reason: v.reason.trim() },
        }),
      ),
    [adminKeys.platform(platform.platformId), adminKeys.platforms],
    () => 'Contacts changed.',
  );
  return (
    <CommandDialog
      triggerLabel="Change contacts"
      title="Change the addresses for service"
      confirmLabel="Change contacts"
      form={form}
      formId={formId}
      labels={{ contacts: 'Addresses for service', reason: 'Reason' }}
      mapPath={listPath}
      onConfirm={change}
      intro={<Text as="p">New notices and reminders go to these addresses.</Text>}
    >
      <TextareaField
        form={form}
        formId={formId}
        name="contacts"
        label="Addresses for service"
        hint="E-mail addresses, one a line."
        required
        rows={3}
      />
      <TextareaField form={form} formId={formId} name="reason" label="Reason" required />
    </CommandDialog>
  );
}

function MergePlatform({ platform }: { platform: Platform }) {
  const formId = `merge-${platform.platformId}`;
  const platforms = usePlatforms();
  const others = (platforms.data?.items ?? []).filter(
    (p) => p.status === 'active' && p.platformId !== platform.platformId,
  );
  const schema = z.object({ into: z.string().min(1, 'Choose the platform it merges into'), reason });
  type Values = z.infer<typeof schema>;
  const form = useDialogForm<Values>({ resolver: zodResolver(schema), defaultValues: { into: '', reason: '' } });
  const merge = useAdminCommand(
    (api, v: Values, headers) =>
      unwrap(
        api.POST('/platforms/{platformId}/merge', {
          params: { path: { platformId: platform.platformId } },
          headers,
          body: { into: v.into, reason: v.reason.trim() },
        }),
      ),
    [adminKeys.platform(platform.platformId), adminKeys.platforms, ['platform']],
    (p) => `${p.legalName} merged into ${p.mergedInto}.`,
  );
  return (
    <CommandDialog
      triggerLabel="Merge into another platform"
      title={`Merge ${platform.legalName} into another platform`}
      confirmLabel="Merge platform"
      form={form}
      formId={formId}
      labels={{ into: 'Successor platform', reason: 'Reason' }}
      onConfirm={merge}
      intro={
        <Text as="p">
          The successor's users then see this platform's notices. This platform stops taking new notices. A merge cannot
          be undone.
        </Text>
      }
    >
      <SelectField
        form={form}
        formId={formId}
        name="into"
        label="Successor platform"
        required
        placeholder="Choose a platform"
        options={others.map((p) => ({ value: p.platformId, label: `${p.legalName} (${p.platformId})` }))}
      />
      <TextareaField form={form} formId={formId} name="reason" label="Reason" required />
    </CommandDialog>
  );
}
