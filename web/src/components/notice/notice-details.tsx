import { H2 } from '@ag.ds-next/react/heading';
import { Stack } from '@ag.ds-next/react/stack';
import { SummaryList } from '@ag.ds-next/react/summary-list';
import { TextLink } from '@ag.ds-next/react/text-link';
import type { Notice } from '../../api/types';
import { formatInZone } from '../notice-format';
import { formatMoney } from './event-description';
import { SummaryRow } from './summary-row';

/** Every field of the notice as given, in the order a reader of the paper notice would meet them. */
export function NoticeDetails({ notice, typeLabel }: { notice: Notice; typeLabel: string | undefined }) {
  const questions = notice.requirements.questions ?? [];
  const { jurisdiction } = notice;
  return (
    <Stack gap={1.5}>
      <H2>The notice</H2>
      <SummaryList>
        <SummaryRow term="Type">{typeLabel ? `${typeLabel} (${notice.type})` : notice.type}</SummaryRow>
        <SummaryRow term="Legal basis">{notice.legalBasis}</SummaryRow>
        <SummaryRow term="Platform">{notice.platformId}</SummaryRow>
        <SummaryRow term="Notice number">{notice.id}</SummaryRow>
        {notice.requirements.requiredAction && (
          <SummaryRow term="Required action">{notice.requirements.requiredAction}</SummaryRow>
        )}
        <SummaryRow term="Manner and form">{notice.mannerAndForm}</SummaryRow>
        <SummaryRow term="Consequences of not complying">{notice.consequences}</SummaryRow>
        <SummaryRow term="Contacts served">
          {notice.contacts.length > 0 ? notice.contacts.join('\n') : 'None'}
        </SummaryRow>
        <SummaryRow term="Time zone">{notice.timeZone}</SummaryRow>
        <SummaryRow term="Jurisdiction">
          {jurisdiction.state ? `${jurisdiction.state}, ${jurisdiction.country}` : jurisdiction.country}
          {jurisdiction.holidayTypes
            ? `\nHolidays that are not business days: ${jurisdiction.holidayTypes.join(', ')}`
            : ''}
        </SummaryRow>
        <SummaryRow term="Created">
          {formatInZone(notice.createdAt, notice.timeZone)} by {notice.createdBy.name ?? notice.createdBy.subject}
        </SummaryRow>
      </SummaryList>
      {questions.length > 0 && (
        <>
          <H2>Questions</H2>
          <SummaryList>
            {questions.map((question) => (
              <SummaryRow key={question.number} term={`Question ${question.number}`}>
                {question.text}
              </SummaryRow>
            ))}
          </SummaryList>
        </>
      )}
      {notice.infringement && <InfringementDetails notice={notice} />}
    </Stack>
  );
}

function InfringementDetails({ notice }: { notice: Notice }) {
  const details = notice.infringement;
  if (!details) return null;
  return (
    <>
      <H2>Infringement details</H2>
      <SummaryList>
        {details.relatedNoticeId && (
          <SummaryRow term="Follows from notice">
            <TextLink href={`/notices/${encodeURIComponent(details.relatedNoticeId)}`}>
              {details.relatedNoticeId}
            </TextLink>
          </SummaryRow>
        )}
        {details.contravention && (
          <SummaryRow term="Contravention">
            {details.contravention.description}
            {`\nFrom ${formatInZone(details.contravention.occurredFrom, notice.timeZone)}`}
            {details.contravention.occurredUntil
              ? ` until ${formatInZone(details.contravention.occurredUntil, notice.timeZone)}`
              : ''}
          </SummaryRow>
        )}
        <SummaryRow term="Provision contravened">{details.provisionContravened}</SummaryRow>
        <SummaryRow term="Maximum penalty">{formatMoney(details.maximumPenalty)}</SummaryRow>
        <SummaryRow term="Amount payable">{formatMoney(details.amountPayable)}</SummaryRow>
        <SummaryRow term="Place for payment">{details.paymentPlace}</SummaryRow>
        {notice.payment && (
          <SummaryRow term="Payment">
            {notice.payment.status === 'paid'
              ? `Paid ${notice.payment.paidAt ? formatInZone(notice.payment.paidAt, notice.timeZone) : ''}${
                  notice.payment.amount ? `, ${formatMoney(notice.payment.amount)}` : ''
                }${notice.payment.reference ? `, reference ${notice.payment.reference}` : ''}`
              : 'Recorded as not paid'}
            {`\nRecorded ${formatInZone(notice.payment.recordedAt, notice.timeZone)} by ${
              notice.payment.recordedBy.name ?? notice.payment.recordedBy.subject
            }`}
          </SummaryRow>
        )}
        {(notice.paymentCorrections ?? []).map((correction) => (
          <SummaryRow key={correction.at} term={correction.voided ? 'Payment voided' : 'Payment corrected'}>
            {`${formatInZone(correction.at, notice.timeZone)} by ${correction.by.name ?? correction.by.subject}: ${correction.reason}`}
          </SummaryRow>
        ))}
      </SummaryList>
    </>
  );
}
