import { ButtonLink } from '@ag.ds-next/react/button';
import { H2 } from '@ag.ds-next/react/heading';
import { Stack } from '@ag.ds-next/react/stack';
import { Text } from '@ag.ds-next/react/text';
import { TextLink } from '@ag.ds-next/react/text-link';
import type { Notice } from '../../api/types';
import { AWAITING_PLATFORM, formatInZone } from '../notice-format';
import { useNoticeTypes } from '../reference-data';
import { useResponseDraft } from '../response/use-response-draft';
import { receiptHref, respondHref } from './response-links';
import { SignedAcknowledgeButton } from './signed-acknowledge-button';

/** Does this kind of notice ask the platform for a filed response (answers or action), not a payment or nothing. */
export function expectsResponse(demands: string | undefined): boolean {
  return demands !== 'payment' && demands !== 'none';
}

/**
 * What the platform has to do next, in one place near the top: acknowledge receipt, then prepare (or continue)
 * the response; once filed, the way to the receipt.
 */
export function PlatformNextSteps({ notice }: { notice: Notice }) {
  const types = useNoticeTypes();
  const demands = types.data?.find((t) => t.id === notice.type)?.demands;
  const awaiting = AWAITING_PLATFORM.includes(notice.status) && expectsResponse(demands);
  const draft = useResponseDraft(notice.id, { enabled: awaiting });
  const started = (draft.data?.version ?? 0) > 0;
  const filed = notice.response;
  if (!awaiting && !filed && notice.status !== 'issued') return null;
  return (
    <Stack gap={1} as="section" aria-labelledby="next-steps-heading">
      <H2 id="next-steps-heading">What you need to do</H2>
      {notice.status === 'issued' && (
        <Stack gap={0.5}>
          <Text as="p">Acknowledge that your platform has received this notice. It does not change the due time.</Text>
          <SignedAcknowledgeButton notice={notice} />
        </Stack>
      )}
      {awaiting && (
        <Stack gap={0.5}>
          <Text as="p">
            {started
              ? `Your platform's response was last saved ${
                  draft.data?.savedAt ? formatInZone(draft.data.savedAt, notice.timeZone) : ''
                }${draft.data?.savedBy?.name ? ` by ${draft.data.savedBy.name}` : ''}.`
              : 'Answer the questions, add your files, check, sign and file the response — in one go or over several visits.'}
          </Text>
          <div>
            <ButtonLink href={respondHref(notice.id)} variant={notice.status === 'issued' ? 'secondary' : 'primary'}>
              {started ? 'Continue your response' : 'Prepare a response'}
            </ButtonLink>
          </div>
        </Stack>
      )}
      {filed && (
        <Text as="p">
          Your response was filed {formatInZone(filed.filedAt, notice.timeZone)} ({filed.onTime ? 'on time' : 'late'}),
          receipt {filed.receiptNumber}.{' '}
          <TextLink href={receiptHref(notice.id, filed.submissionId)}>View the receipt</TextLink>
        </Text>
      )}
    </Stack>
  );
}
