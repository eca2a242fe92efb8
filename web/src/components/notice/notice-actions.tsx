import { ButtonGroup, ButtonLink } from '@ag.ds-next/react/button';
import { H2 } from '@ag.ds-next/react/heading';
import { Stack } from '@ag.ds-next/react/stack';
import { Text } from '@ag.ds-next/react/text';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { unwrap } from '../../api/api-error';
import type { Notice } from '../../api/types';
import { CommandDialog, useDialogForm } from '../form/command-dialog';
import { DateTimeField, TextareaField } from '../form/fields';
import { fromZonedInputValue } from '../form/zoned-date-time';
import { formatInZone, STATUS_LABELS } from '../notice-format';
import { PaymentActions } from './payment-actions';
import { allowedCommands, type RegulatorCommand } from './regulator-actions';
import { useNoticeCommand } from './use-notice-command';

const OptionalReasonSchema = z.object({ reason: z.string() });
type OptionalReason = z.infer<typeof OptionalReasonSchema>;
const RequiredReasonSchema = z.object({ reason: z.string().trim().min(1, 'Enter the reason') });

const optionalReason = (values: OptionalReason) => ({ reason: values.reason.trim() || undefined });

/** The regulator's actions this notice's status allows (regulator-actions.ts), each confirmed in a dialog. */
export function NoticeActions({ notice }: { notice: Notice }) {
  const allowed = new Set<RegulatorCommand>(allowedCommands(notice));
  const lifecycle = (
    ['revise-draft', 'issue', 'start-review', 'request-further-information', 'accept', 'close', 'withdraw'] as const
  ).filter((c) => allowed.has(c));
  const payment = (['record-payment', 'record-non-payment', 'correct-payment', 'void-payment'] as const).filter((c) =>
    allowed.has(c),
  );
  if (lifecycle.length === 0 && payment.length === 0) return null;
  return (
    <Stack gap={1} as="section" aria-labelledby="actions-heading">
      <H2 id="actions-heading">Actions</H2>
      <Text as="p" fontSize="sm">
        What you can do while the notice is {STATUS_LABELS[notice.status].toLowerCase()}. Each action is recorded in the
        history with your name and the time.
      </Text>
      <ButtonGroup>
        {lifecycle.includes('revise-draft') && (
          // The create form, filled from this draft; saving records a revision of the same draft.
          <ButtonLink variant="secondary" href={`/notices/new?from=${encodeURIComponent(notice.id)}`}>
            Change this draft
          </ButtonLink>
        )}
        {lifecycle.includes('issue') && <IssueNotice notice={notice} />}
        {lifecycle.includes('start-review') && <StartReview notice={notice} />}
        {lifecycle.includes('request-further-information') && <RequestFurtherInformation notice={notice} />}
        {lifecycle.includes('accept') && <AcceptResponse notice={notice} />}
        {lifecycle.includes('close') && <CloseNotice notice={notice} />}
        {payment.length > 0 && <PaymentActions notice={notice} allowed={payment} />}
        {lifecycle.includes('withdraw') && <WithdrawNotice notice={notice} />}
      </ButtonGroup>
    </Stack>
  );
}

function IssueNotice({ notice }: { notice: Notice }) {
  const formId = `issue-${notice.id}`;
  const form = useDialogForm<Record<string, never>>({ defaultValues: {} });
  const issue = useNoticeCommand(
    notice.id,
    (api, _values: Record<string, never>, header) =>
      unwrap(api.POST('/notices/{noticeId}/issue', { params: { path: { noticeId: notice.id }, header } })),
    (n) =>
      `Notice issued: given ${formatInZone(n.givenAt ?? '', n.timeZone)}${n.dueAt ? `, due ${formatInZone(n.dueAt, n.timeZone)}` : ''}.`,
  );
  return (
    <CommandDialog
      triggerLabel="Issue notice"
      triggerVariant="primary"
      title="Issue this notice"
      confirmLabel="Issue notice"
      form={form}
      formId={formId}
      labels={{}}
      onConfirm={issue}
      intro={
        <Text as="p">
          Issuing gives the notice to {notice.platformId} now: the moment of giving is recorded, the due time is
          computed from it, and the notice can no longer be edited.
        </Text>
      }
    />
  );
}

function StartReview({ notice }: { notice: Notice }) {
  const formId = `review-${notice.id}`;
  const form = useDialogForm<Record<string, never>>({ defaultValues: {} });
  const start = useNoticeCommand(
    notice.id,
    (api, _values: Record<string, never>, header) =>
      unwrap(api.POST('/notices/{noticeId}/review', { params: { path: { noticeId: notice.id }, header } })),
    () => 'Review started.',
  );
  return (
    <CommandDialog
      triggerLabel="Start review"
      triggerVariant="primary"
      title="Start reviewing the response"
      confirmLabel="Start review"
      form={form}
      formId={formId}
      labels={{}}
      onConfirm={start}
      intro={<Text as="p">The notice moves to “under review”; you can then accept the response or ask for more.</Text>}
    />
  );
}

function RequestFurtherInformation({ notice }: { notice: Notice }) {
  const formId = `further-${notice.id}`;
  const zone = notice.timeZone;
  const schema = z.object({
    dueAt: z
      .string()
      .refine((v) => fromZonedInputValue(v, zone) !== undefined, 'Enter the new due time as a date and time'),
    reason: z.string().trim().min(1, 'Enter what is needed'),
  });
  type Values = z.infer<typeof schema>;
  const form = useDialogForm<Values>({ resolver: zodResolver(schema), defaultValues: { dueAt: '', reason: '' } });
  const send = useNoticeCommand(
    notice.id,
    (api, values: Values, header) =>
      unwrap(
        api.POST('/notices/{noticeId}/further-information', {
          params: { path: { noticeId: notice.id }, header },
          body: { dueAt: fromZonedInputValue(values.dueAt, zone) ?? '', reason: values.reason.trim() },
        }),
      ),
    (n) => `Further information requested, due ${formatInZone(n.dueAt ?? '', zone)}.`,
  );
  return (
    <CommandDialog
      triggerLabel="Ask for further information"
      title="Ask for further information"
      confirmLabel="Send request"
      form={form}
      formId={formId}
      labels={{ dueAt: 'New due time', reason: 'What is needed' }}
      mapPath={(path) => (path === 'reason' ? 'reason' : path)}
      onConfirm={send}
      intro={<Text as="p">The platform files again by the new due time. Say exactly what is missing.</Text>}
    >
      <DateTimeField form={form} formId={formId} name="dueAt" label="New due time" timeZone={zone} required />
      <TextareaField form={form} formId={formId} name="reason" label="What is needed" required rows={6} />
    </CommandDialog>
  );
}

function AcceptResponse({ notice }: { notice: Notice }) {
  const formId = `accept-${notice.id}`;
  const form = useDialogForm<OptionalReason>({
    resolver: zodResolver(OptionalReasonSchema),
    defaultValues: { reason: '' },
  });
  const accept = useNoticeCommand(
    notice.id,
    (api, values: OptionalReason, header) =>
      unwrap(
        api.POST('/notices/{noticeId}/accept', {
          params: { path: { noticeId: notice.id }, header },
          body: optionalReason(values),
        }),
      ),
    () => 'Response accepted.',
  );
  return (
    <CommandDialog
      triggerLabel="Accept response"
      triggerVariant="primary"
      title="Accept the response"
      confirmLabel="Accept response"
      form={form}
      formId={formId}
      labels={{ reason: 'Note' }}
      onConfirm={accept}
      intro={<Text as="p">The response under review is accepted as complying with the notice.</Text>}
    >
      <TextareaField form={form} formId={formId} name="reason" label="Note" />
    </CommandDialog>
  );
}

function CloseNotice({ notice }: { notice: Notice }) {
  const formId = `close-${notice.id}`;
  const form = useDialogForm<OptionalReason>({
    resolver: zodResolver(OptionalReasonSchema),
    defaultValues: { reason: '' },
  });
  const close = useNoticeCommand(
    notice.id,
    (api, values: OptionalReason, header) =>
      unwrap(
        api.POST('/notices/{noticeId}/close', {
          params: { path: { noticeId: notice.id }, header },
          body: optionalReason(values),
        }),
      ),
    () => 'Notice closed.',
  );
  return (
    <CommandDialog
      triggerLabel="Close notice"
      title="Close this notice"
      confirmLabel="Close notice"
      form={form}
      formId={formId}
      labels={{ reason: 'Note' }}
      onConfirm={close}
      intro={<Text as="p">Closing ends the matter. It cannot be reopened.</Text>}
    >
      <TextareaField form={form} formId={formId} name="reason" label="Note" />
    </CommandDialog>
  );
}

function WithdrawNotice({ notice }: { notice: Notice }) {
  const formId = `withdraw-${notice.id}`;
  const form = useDialogForm<{ reason: string }>({
    resolver: zodResolver(RequiredReasonSchema),
    defaultValues: { reason: '' },
  });
  const withdraw = useNoticeCommand(
    notice.id,
    (api, values: { reason: string }, header) =>
      unwrap(
        api.POST('/notices/{noticeId}/withdraw', {
          params: { path: { noticeId: notice.id }, header },
          body: { reason: values.reason.trim() },
        }),
      ),
    () => 'Notice withdrawn.',
  );
  return (
    <CommandDialog
      triggerLabel="Withdraw notice"
      title="Withdraw this notice"
      confirmLabel="Withdraw notice"
      form={form}
      formId={formId}
      labels={{ reason: 'Reason' }}
      onConfirm={withdraw}
      intro={
        <Text as="p">
          Withdrawing ends the notice: the platform no longer has to respond. This cannot be undone, and the reason is
          recorded and shown to the platform.
        </Text>
      }
    >
      <TextareaField form={form} formId={formId} name="reason" label="Reason" required />
    </CommandDialog>
  );
}
