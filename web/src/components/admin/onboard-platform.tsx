import { Text } from '@ag.ds-next/react/text';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { unwrap } from '../../api/api-error';
import { CommandDialog, useDialogForm } from '../form/command-dialog';
import { TextareaField, TextField } from '../form/fields';
import { adminKeys } from './admin-queries';
import { linesOf, useAdminCommand } from './use-admin-command';

const Schema = z.object({
  platformId: z
    .string()
    .trim()
    .regex(
      /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/,
      'Enter an id of lower-case letters, digits and hyphens, such as x-corp',
    ),
  legalName: z.string().trim().min(1, 'Enter the legal name'),
  tradingNames: z.string(),
  country: z
    .string()
    .trim()
    .regex(/^[A-Z]{2}$/, 'Enter the country as a two-letter code such as AU'),
  state: z.string().trim(),
  contacts: z.string().refine((v) => linesOf(v).length > 0, 'Enter at least one address where notices are served'),
});
type Values = z.infer<typeof Schema>;

const LABELS = {
  platformId: 'Platform id',
  legalName: 'Legal name',
  tradingNames: 'Trading names',
  country: 'Country',
  state: 'State or territory',
  contacts: 'Addresses for service',
} as const;

/** The request's nested and list paths (`jurisdiction.country`, `contacts.0`) onto the form's fields. */
const mapPath = (path: string) => path.replace(/^jurisdiction\./, '').replace(/\.\d+$/, '');

/** Onboard a platform: its id (fixed for ever), legal and trading names, jurisdiction and where notices are served. */
export function OnboardPlatform() {
  const formId = 'onboard-platform';
  const form = useDialogForm<Values>({
    resolver: zodResolver(Schema),
    defaultValues: { platformId: '', legalName: '', tradingNames: '', country: 'AU', state: '', contacts: '' },
  });
  const onboard = useAdminCommand(
    (api, v: Values, headers) =>
      unwrap(
        api.POST('/platforms', {
          headers,
          body: {
            platformId: v.platformId.trim(),
            legalName: v.legalName.trim(),
            tradingNames: linesOf(v.tradingNames),
            jurisdiction: { country: v.country.trim(), state: v.state.trim() || undefined },
            contacts: linesOf(v.contacts),
          },
        }),
      ),
    [adminKeys.platforms],
    (platform) => `Platform ${platform.legalName} (${platform.platformId}) onboarded.`,
  );
  return (
    <CommandDialog
      triggerLabel="Onboard a platform"
      triggerVariant="primary"
      title="Onboard a platform"
      confirmLabel="Onboard platform"
      form={form}
      formId={formId}
      labels={LABELS}
      mapPath={mapPath}
      onConfirm={onboard}
      intro={<Text as="p">The platform id cannot be changed later; names and contacts can.</Text>}
    >
      <TextField
        form={form}
        formId={formId}
        name="platformId"
        label={LABELS.platformId}
        required
        hint="For example x-corp."
      />
      <TextField form={form} formId={formId} name="legalName" label={LABELS.legalName} required />
      <TextareaField
        form={form}
        formId={formId}
        name="tradingNames"
        label={LABELS.tradingNames}
        hint="One a line."
        rows={2}
      />
      <TextField
        form={form}
        formId={formId}
        name="country"
        label={LABELS.country}
        required
        block={false}
        hint="Two letters, such as AU."
      />
      <TextField form={form} formId={formId} name="state" label={LABELS.state} block={false} hint="Such as NSW." />
      <TextareaField
        form={form}
        formId={formId}
        name="contacts"
        label={LABELS.contacts}
        required
        hint="E-mail addresses, one a line. Notices and reminders go to these."
        rows={3}
      />
    </CommandDialog>
  );
}
