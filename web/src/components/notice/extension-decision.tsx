import { ButtonGroup } from '@ag.ds-next/react/button';
import { Text } from '@ag.ds-next/react/text';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { unwrap } from '../../api/api-error';
import type { Extension, Notice } from '../../api/types';
import { CommandDialog, useDialogForm } from '../form/command-dialog';
import { DateTimeField, TextareaField, TextField } from '../form/fields';
import { fromZonedInputValue, toZonedInputValue } from '../form/zoned-date-time';
import { formatInZone } from '../notice-format';
import { useNoticeCommand } from './use-notice-command';

const GrantSchema = z.object({ dueAt: z.string(), legalBasis: z.string(), reason: z.string() });
type GrantValues = z.infer<typeof GrantSchema>;
const RefuseSchema = z.object({ reason: z.string().trim().min(1, 'Enter why the extension is refused') });
type RefuseValues = z.infer<typeof RefuseSchema>;

/** Grant (to the time asked for, or another) or refuse one requested extension, each after a confirmation. */
export function ExtensionDecision({ notice, extension }: { notice: Notice; extension: Extension }) {
  return (
    <ButtonGroup>
      <GrantExtension notice={notice} extension={extension} />
      <RefuseExtension notice={notice} extension={extension} />
    </ButtonGroup>
  );
}

function GrantExtension({ notice, extension }: { notice: Notice; extension: Extension }) {
  const formId = `grant-${extension.id}`;
  const zone = notice.timeZone;
  const form = useDialogForm<GrantValues>({
    resolver: zodResolver(
      GrantSchema.refine((v) => v.dueAt === '' || fromZonedInputValue(v.dueAt, zone) !== undefined, {
        path: ['dueAt'],
        message: 'Enter the new due time as a date and time',
      }),
    ),
    defaultValues: { dueAt: toZonedInputValue(extension.requestedDueAt, zone), legalBasis: '', reason: '' },
  });
  const grant = useNoticeCommand(
    notice.id,
    (api, values: GrantValues, header) =>
      unwrap(
        api.POST('/notices/{noticeId}/extensions/{extensionId}/grant', {
          params: { path: { noticeId: notice.id, extensionId: extension.id }, header },
          body: {
            dueAt: values.dueAt ? fromZonedInputValue(values.dueAt, zone) : undefined,
            legalBasis: values.legalBasis.trim() || undefined,
            reason: values.reason.trim() || undefined,
          },
        }),
      ),
    (updated) => `Extension granted. The notice is now due ${formatInZone(updated.dueAt ?? '', zone)}.`,
  );
  return (
    <CommandDialog
      triggerLabel="Grant extension"
      triggerVariant="primary"
      title="Grant this extension"
      confirmLabel="Grant extension"
      form={form}
      formId={formId}
      labels={{ dueAt: 'New due time', legalBasis: 'Legal basis', reason: 'Reason' }}
      onConfirm={grant}
      intro={
        <Text as="p">
          The platform asked for {formatInZone(extension.requestedDueAt, zone)}. Granting changes the due time from{' '}
          {notice.dueAt ? formatInZone(notice.dueAt, zone) : 'none'}; the grant is recorded in the history and cannot be
          undone.
        </Text>
      }
    >
      <DateTimeField
        form={form}
        formId={formId}
        name="dueAt"
        label="New due time"
        timeZone={zone}
        hint="Defaults to the time asked for."
      />
      <TextField
        form={form}
        formId={formId}
        name="legalBasis"
        label="Legal basis"
        hint="The provision the extension is granted under, if any."
      />
      <TextareaField form={form} formId={formId} name="reason" label="Reason" />
    </CommandDialog>
  );
}

function RefuseExtension({ notice, extension }: { notice: Notice; extension: Extension }) {
  const formId = `refuse-${extension.id}`;
  const form = useDialogForm<RefuseValues>({ resolver: zodResolver(RefuseSchema), defaultValues: { reason: '' } });
  const refuse = useNoticeCommand(
    notice.id,
    (api, values: RefuseValues, header) =>
      unwrap(
        api.POST('/notices/{noticeId}/extensions/{extensionId}/refuse', {
          params: { path: { noticeId: notice.id, extensionId: extension.id }, header },
          body: { reason: values.reason.trim() },
        }),
      ),
    () => 'Extension refused. The due time has not changed.',
  );
  return (
    <CommandDialog
      triggerLabel="Refuse extension"
      title="Refuse this extension"
      confirmLabel="Refuse extension"
      form={form}
      formId={formId}
      labels={{ reason: 'Reason' }}
      onConfirm={refuse}
      intro={<Text as="p">The due time stays as it is. The platform sees the reason you give.</Text>}
    >
      <TextareaField form={form} formId={formId} name="reason" label="Reason" required />
    </CommandDialog>
  );
}
