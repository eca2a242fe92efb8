import { H2 } from '@ag.ds-next/react/heading';
import { Stack } from '@ag.ds-next/react/stack';
import { Text } from '@ag.ds-next/react/text';
import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { z } from 'zod';
import { useApi } from '../../api/api-context';
import { unwrap } from '../../api/api-error';
import { useIdempotencyKey } from '../../api/idempotency-key';
import type { Notice } from '../../api/types';
import { CommandDialog, useDialogForm } from '../form/command-dialog';
import { TextareaField, TextField } from '../form/fields';
import { formatInZone } from '../notice-format';
import { useAnnounce } from './announcer';
import { noticeKeys, useNoticeTypes } from './notice-queries';

const money = z
  .string()
  .trim()
  .regex(/^\d{1,12}(\.\d{2})?$/, 'Enter an amount such as 16500.00');
const DraftSchema = z.object({
  title: z.string().trim().min(3, 'Enter a title of at least 3 characters'),
  provisionContravened: z.string().trim().min(1, 'Enter the provision contravened'),
  currency: z
    .string()
    .trim()
    .regex(/^[A-Z]{3}$/, 'Enter the currency as a code such as AUD'),
  maximumPenalty: money,
  amountPayable: money,
  paymentPlace: z.string().trim().min(1, 'Enter where and how payment is made'),
  mannerAndForm: z.string().trim().min(1, 'Enter how payment is to be made'),
});
type DraftValues = z.infer<typeof DraftSchema>;

const LABELS = {
  title: 'Title',
  provisionContravened: 'Provision contravened',
  currency: 'Currency',
  maximumPenalty: 'Maximum penalty',
  amountPayable: 'Amount payable',
  paymentPlace: 'Place and manner of payment',
  mannerAndForm: 'Manner and form',
} as const;

/** The request's paths (`infringement.maximumPenalty.amount`) onto the form's flat fields. */
function mapPath(path: string): string {
  if (path.endsWith('.currency')) return 'currency';
  const inner = path.replace(/^infringement\./, '').replace(/\.amount$/, '');
  return inner in LABELS ? inner : path;
}

/**
 * For an overdue notice: a draft infringement notice that follows from it (`relatedNoticeId`), pre-filled with
 * its platform, zone, jurisdiction, contacts and the provision the notice names. The API checks that the notice
 * is overdue; the draft opens on its own page, to be checked and issued there.
 */
export function InfringementDraft({ notice }: { notice: Notice }) {
  const api = useApi();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const { key, renew } = useIdempotencyKey();
  const types = useNoticeTypes();
  const paymentType = types.data?.find((type) => type.demands === 'payment');
  const formId = `infringement-${notice.id}`;
  const form = useDialogForm<DraftValues>({
    resolver: zodResolver(DraftSchema),
    defaultValues: {
      title: `Infringement notice: ${notice.title}`,
      provisionContravened: '',
      currency: 'AUD',
      maximumPenalty: '',
      amountPayable: '',
      paymentPlace: '',
      mannerAndForm: 'Pay the amount payable by the due time at the place for payment stated in this notice.',
    },
  });
  if (!paymentType) return null;
  const create = async (v: DraftValues) => {
    const draft = await unwrap(
      api.POST('/notices', {
        params: { header: { 'Idempotency-Key': key } },
        body: {
          type: paymentType.id,
          platformId: notice.platformId,
          title: v.title.trim(),
          mannerAndForm: v.mannerAndForm.trim(),
          timeZone: notice.timeZone,
          jurisdiction: notice.jurisdiction,
          contacts: notice.contacts,
          infringement: {
            relatedNoticeId: notice.id,
            provisionContravened: v.provisionContravened.trim(),
            maximumPenalty: { currency: v.currency.trim(), amount: v.maximumPenalty.trim() },
            amountPayable: { currency: v.currency.trim(), amount: v.amountPayable.trim() },
            paymentPlace: v.paymentPlace.trim(),
          },
        },
      }),
    );
    renew();
    await queryClient.invalidateQueries({ queryKey: noticeKeys.lists });
    announce(`Draft infringement notice ${draft.id} created.`);
    await navigate({ to: '/notices/$noticeId', params: { noticeId: draft.id } });
  };
  return (
    <Stack gap={1} as="section" aria-labelledby="infringement-heading">
      <H2 id="infringement-heading">Overdue</H2>
      <Text as="p">
        This notice was due {notice.dueAt ? formatInZone(notice.dueAt, notice.timeZone) : ''} and has not been answered.
        An infringement notice may follow from it ({paymentType.legalBasis}).
      </Text>
      <div>
        <CommandDialog
          triggerLabel="Draft infringement notice"
          triggerVariant="primary"
          title="Draft an infringement notice"
          confirmLabel="Create draft"
          form={form}
          formId={formId}
          labels={LABELS}
          mapPath={mapPath}
          onConfirm={create}
          intro={
            <Text as="p">
              The draft follows from notice {notice.id} and is given to {notice.platformId}. Nothing is issued yet: the
              draft opens on its own page, where you check it and issue it.
            </Text>
          }
        >
          <TextField form={form} formId={formId} name="title" label={LABELS.title} required />
          <TextField
            form={form}
            formId={formId}
            name="provisionContravened"
            label={LABELS.provisionContravened}
            required
            hint="For example: Online Safety Act 2021 (Cth) s 57"
          />
          <TextField form={form} formId={formId} name="currency" label={LABELS.currency} required block={false} />
          <TextField
            form={form}
            formId={formId}
            name="maximumPenalty"
            label={LABELS.maximumPenalty}
            required
            block={false}
          />
          <TextField
            form={form}
            formId={formId}
            name="amountPayable"
            label={LABELS.amountPayable}
            required
            block={false}
            hint="No more than the maximum penalty."
          />
          <TextareaField form={form} formId={formId} name="paymentPlace" label={LABELS.paymentPlace} required />
          <TextareaField form={form} formId={formId} name="mannerAndForm" label={LABELS.mannerAndForm} required />
        </CommandDialog>
      </div>
    </Stack>
  );
}
