import { Text } from '@ag.ds-next/react/text';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { unwrap } from '../../api/api-error';
import type { Notice } from '../../api/types';
import { CommandDialog, useDialogForm } from '../form/command-dialog';
import { DateTimeField, TextareaField } from '../form/fields';
import { fromZonedInputValue, toZonedInputValue } from '../form/zoned-date-time';
import { useNoticeCommand } from '../notice/use-notice-command';
import { AWAITING_PLATFORM, formatInZone } from '../notice-format';

const LABELS = { requestedDueAt: 'New due time you are asking for', reason: 'Why you need more time' };

/** May the platform ask now: the notice awaits its response, and no earlier request is still undecided. */
export function canAskForMoreTime(notice: Notice): boolean {
  return AWAITING_PLATFORM.includes(notice.status) && !notice.extensions.some((e) => e.status === 'requested');
}

/**
 * "Ask for more time", beside the due time it would change: the exact date and time asked for, typed on the
 * notice's clocks (the zone the legal deadline is stated in), and the reason. The decision appears in the
 * extension requests below, and in the history.
 */
export function AskForMoreTime({ notice }: { notice: Notice }) {
  const zone = notice.timeZone;
  const formId = `extension-${notice.id}`;
  const schema = z
    .object({
      requestedDueAt: z.string().trim().min(1, 'Enter the date and time you are asking for'),
      reason: z.string().trim().min(1, 'Enter why you need more time'),
    })
    .superRefine((v, ctx) => {
      if (!v.requestedDueAt) return;
      const at = fromZonedInputValue(v.requestedDueAt, zone);
      if (at === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['requestedDueAt'],
          message: 'Enter the new due time as a date and time',
        });
      } else if (notice.dueAt && Date.parse(at) <= Date.parse(notice.dueAt)) {
        ctx.addIssue({
          code: 'custom',
          path: ['requestedDueAt'],
          message: `The new due time must be after the current one, ${formatInZone(notice.dueAt, zone)}`,
        });
      }
    });
  type Values = z.infer<typeof schema>;
  const form = useDialogForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { requestedDueAt: notice.dueAt ? toZonedInputValue(notice.dueAt, zone) : '', reason: '' },
  });
  const ask = useNoticeCommand(
    notice.id,
    (api, values: Values, header) =>
      unwrap(
        api.POST('/notices/{noticeId}/extensions', {
          params: { path: { noticeId: notice.id }, header },
          body: {
            requestedDueAt: fromZonedInputValue(values.requestedDueAt, zone) ?? values.requestedDueAt,
            reason: values.reason.trim(),
          },
        }),
      ),
    (n) => {
      const asked = n.extensions.at(-1)?.requestedDueAt;
      return `Request for more time sent${asked ? ` (to ${formatInZone(asked, zone)})` : ''}. The regulator will decide; the decision appears here.`;
    },
  );
  return (
    <CommandDialog
      triggerLabel="Ask for more time"
      title="Ask for more time"
      confirmLabel="Send request"
      form={form}
      formId={formId}
      labels={LABELS}
      onConfirm={ask}
      intro={
        <Text as="p">
          The notice is due {notice.dueAt ? formatInZone(notice.dueAt, zone) : 'at no set time'}. Say when you could
          respond by and why. The due time changes only if the regulator grants the request; until then it stays as it
          is.
        </Text>
      }
    >
      <DateTimeField
        form={form}
        formId={formId}
        name="requestedDueAt"
        label={LABELS.requestedDueAt}
        timeZone={zone}
        required
      />
      <TextareaField form={form} formId={formId} name="reason" label={LABELS.reason} required />
    </CommandDialog>
  );
}
