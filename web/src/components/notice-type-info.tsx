import { Callout } from '@ag.ds-next/react/callout';
import { Text } from '@ag.ds-next/react/text';
import type { NoticeType } from './reference-data';

const UNIT_WORDS = { hours: 'hours', 'calendar-days': 'calendar days', 'business-days': 'business days' } as const;

/** The type's clock in words: "28 calendar days, due at the end of the day, rolled to the next business day". */
export function clockInWords(clock: NoticeType['clock']): string {
  if (!clock) return 'Nothing is due: no clock runs.';
  const cutOff =
    clock.cutOff === 'end-of-day'
      ? 'due at the end of the day'
      : `due at ${String(clock.cutOff.hour).padStart(2, '0')}:${String(clock.cutOff.minute).padStart(2, '0')}`;
  const parts = [`${clock.period.amount} ${UNIT_WORDS[clock.period.unit]}`];
  if (clock.period.unit !== 'hours') parts.push(cutOff);
  if (clock.excludeDayOfGiving && clock.period.unit !== 'hours') parts.push('not counting the day it is given');
  if (clock.rollToBusinessDay) parts.push('moved to the next business day if it falls on a weekend or holiday');
  return `${parts.join(', ')}.`;
}

/** What choosing this type means: its legal basis, what it demands of the platform and its clock. */
export function NoticeTypeInfo({ type }: { type: NoticeType }) {
  return (
    <Callout title={type.label}>
      <Text as="p">
        <strong>Legal basis:</strong> {type.legalBasis}
      </Text>
      <Text as="p">
        <strong>The platform must give:</strong> {type.demandsDescription}
      </Text>
      <Text as="p">
        <strong>Clock:</strong> {clockInWords(type.clock)}
      </Text>
    </Callout>
  );
}
