import { Text } from '@ag.ds-next/react/text';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { unwrap } from '../../api/api-error';
import { portalNow } from '../../api/portal-clock';
import type { Notice } from '../../api/types';
import { CommandDialog, useDialogForm } from '../form/command-dialog';
import { DateTimeField, TextareaField, TextField } from '../form/fields';
import { fromZonedInputValue, toZonedInputValue } from '../form/zoned-date-time';
import { formatMoney } from './event-description';
import type { RegulatorCommand } from './regulator-actions';
import { useNoticeCommand } from './use-notice-command';

type PaymentCommand = Extract<
  RegulatorCommand,
  'record-payment' | 'record-non-payment' | 'correct-payment' | 'void-payment'
>;

/** Payment on an infringement notice: record it (or its absence), and put a wrong entry right or void it. */
export function PaymentActions({ notice, allowed }: { notice: Notice; allowed: readonly PaymentCommand[] }) {
  return (
    <>
      {allowed.includes('record-payment') && <RecordPayment notice={notice} />}
      {allowed.includes('record-non-payment') && <RecordNonPayment notice={notice} />}
      {allowed.includes('correct-payment') && <CorrectPayment notice={notice} />}
      {allowed.includes('void-payment') && <VoidPayment notice={notice} />}
    </>
  );
}

const paymentSchema = (zone: string) =>
  z.object({
    paidAt: z.string().refine((v) => fromZonedInputValue(v, zone) !== undefined, 'Enter when it was paid'),
    currency: z
      .string()
      .trim()
      .regex(/^[A-Z]{3}$/, 'Enter the currency as a code such as AUD'),
    amount: z
      .string()
      .trim()
      .regex(/^\d{1,12}(\.\d{2})?$/, 'Enter the amount such as 16500.00'),
    reference: z.string().trim().min(1, 'Enter the payment reference'),
  });
type PaymentValues = z.infer<ReturnType<typeof paymentSchema>>;
const PAYMENT_LABELS = { paidAt: 'Paid at', currency: 'Currency', amount: 'Amount', reference: 'Reference' } as const;
/** The request nests the amount (`amount.amount`, `amount.currency`); the form's fields are flat. */
const mapPaymentPath = (path: string) => (path.startsWith('amount.') ? path.slice('amount.'.length) : path);

function RecordPayment({ notice }: { notice: Notice }) {
  const formId = `payment-${notice.id}`;
  const zone = notice.timeZone;
  const payable = notice.infringement?.amountPayable;
  const form = useDialogForm<PaymentValues>({
    resolver: zodResolver(paymentSchema(zone)),
    defaultValues: {
      paidAt: toZonedInputValue(portalNow().toISOString(), zone),
      currency: payable?.currency ?? 'AUD',
      amount: payable?.amount ?? '',
      reference: '',
    },
  });
  const record = useNoticeCommand(
    notice.id,
    (api, v: PaymentValues, header) =>
      unwrap(
        api.POST('/notices/{noticeId}/payment', {
          params: { path: { noticeId: notice.id }, header },
          body: {
            paidAt: fromZonedInputValue(v.paidAt, zone) ?? '',
            amount: { currency: v.currency.trim(), amount: v.amount.trim() },
            reference: v.reference.trim(),
          },
        }),
      ),
    () => 'Payment recorded. The notice is paid.',
  );
  return (
    <CommandDialog
      triggerLabel="Record payment"
      triggerVariant="primary"
      title="Record payment"
      confirmLabel="Record payment"
      form={form}
      formId={formId}
      labels={PAYMENT_LABELS}
      mapPath={mapPaymentPath}
      onConfirm={record}
      intro={<Text as="p">{payable ? `The amount payable is ${formatMoney(payable)}, paid in full.` : ''}</Text>}
    >
      <DateTimeField form={form} formId={formId} name="paidAt" label="Paid at" timeZone={zone} required />
      <TextField form={form} formId={formId} name="currency" label="Currency" required block={false} />
      <TextField form={form} formId={formId} name="amount" label="Amount" required block={false} />
      <TextField form={form} formId={formId} name="reference" label="Reference" required />
    </CommandDialog>
  );
}

function RecordNonPayment({ notice }: { notice: Notice }) {
  const formId = `non-payment-${notice.id}`;
  const form = useDialogForm<{ reason: string }>({
    resolver: zodResolver(z.object({ reason: z.string().trim().min(1, 'Enter the reason') })),
    defaultValues: { reason: '' },
  });
  const record = useNoticeCommand(
    notice.id,
    (api, v: { reason: string }, header) =>
      unwrap(
        api.POST('/notices/{noticeId}/non-payment', {
          params: { path: { noticeId: notice.id }, header },
          body: { reason: v.reason.trim() },
        }),
      ),
    () => 'Non-payment recorded.',
  );
  return (
    <CommandDialog
      triggerLabel="Record non-payment"
      title="Record non-payment"
      confirmLabel="Record non-payment"
      form={form}
      formId={formId}
      labels={{ reason: 'Reason' }}
      onConfirm={record}
      intro={<Text as="p">Records that the time for payment passed without payment. Proceedings may follow.</Text>}
    >
      <TextareaField form={form} formId={formId} name="reason" label="Reason" required />
    </CommandDialog>
  );
}

const CorrectionSchema = z.object({
  reason: z.string().trim().min(1, 'Enter why the payment record is corrected'),
  paidAt: z.string(),
  amount: z.string(),
  reference: z.string(),
});
type CorrectionValues = z.infer<typeof CorrectionSchema>;

function CorrectPayment({ notice }: { notice: Notice }) {
  const formId = `correct-payment-${notice.id}`;
  const zone = notice.timeZone;
  const current = notice.payment;
  const form = useDialogForm<CorrectionValues>({
    resolver: zodResolver(CorrectionSchema),
    defaultValues: {
      reason: '',
      paidAt: current?.paidAt ? toZonedInputValue(current.paidAt, zone) : '',
      amount: current?.amount?.amount ?? '',
      reference: current?.reference ?? '',
    },
  });
  const correct = useNoticeCommand(
    notice.id,
    (api, v: CorrectionValues, header) => {
      const paidAt = fromZonedInputValue(v.paidAt, zone);
      return unwrap(
        api.POST('/notices/{noticeId}/payment/correction', {
          params: { path: { noticeId: notice.id }, header },
          body: {
            reason: v.reason.trim(),
            paidAt: paidAt !== current?.paidAt ? paidAt : undefined,
            amount:
              v.amount.trim() && v.amount.trim() !== current?.amount?.amount
                ? { currency: current?.amount?.currency ?? 'AUD', amount: v.amount.trim() }
                : undefined,
            reference: v.reference.trim() && v.reference.trim() !== current?.reference ? v.reference.trim() : undefined,
          },
        }),
      );
    },
    () => 'Payment record corrected. The correction is a new event; the original stays in the history.',
  );
  return (
    <CommandDialog
      triggerLabel="Correct payment"
      title="Correct the payment record"
      confirmLabel="Record correction"
      form={form}
      formId={formId}
      labels={{ reason: 'Reason', paidAt: 'Paid at', amount: 'Amount', reference: 'Reference' }}
      mapPath={(path) => (path === 'amount.amount' ? 'amount' : path)}
      onConfirm={correct}
      intro={<Text as="p">Change only what was entered wrongly; the original entry stays in the history.</Text>}
    >
      <TextareaField form={form} formId={formId} name="reason" label="Reason" required />
      <DateTimeField form={form} formId={formId} name="paidAt" label="Paid at" timeZone={zone} />
      <TextField form={form} formId={formId} name="amount" label="Amount" block={false} />
      <TextField form={form} formId={formId} name="reference" label="Reference" />
    </CommandDialog>
  );
}

function VoidPayment({ notice }: { notice: Notice }) {
  const formId = `void-payment-${notice.id}`;
  const form = useDialogForm<{ reason: string }>({
    resolver: zodResolver(z.object({ reason: z.string().trim().min(1, 'Enter why the payment is voided') })),
    defaultValues: { reason: '' },
  });
  const voidPayment = useNoticeCommand(
    notice.id,
    (api, v: { reason: string }, header) =>
      unwrap(
        api.POST('/notices/{noticeId}/payment/correction', {
          params: { path: { noticeId: notice.id }, header },
          body: { reason: v.reason.trim(), void: true },
        }),
      ),
    () => 'Payment voided. The notice awaits payment again.',
  );
  return (
    <CommandDialog
      triggerLabel="Void payment"
      title="Void the recorded payment"
      confirmLabel="Void payment"
      form={form}
      formId={formId}
      labels={{ reason: 'Reason' }}
      onConfirm={voidPayment}
      intro={
        <Text as="p">
          For a payment recorded in error (for example, one that bounced): the notice awaits payment again.
        </Text>
      }
    >
      <TextareaField form={form} formId={formId} name="reason" label="Reason" required />
    </CommandDialog>
  );
}
