import {
  SummaryList,
  SummaryListItem,
  SummaryListItemAction,
  SummaryListItemDescription,
  SummaryListItemTerm,
} from '@ag.ds-next/react/summary-list';
import { TextLink } from '@ag.ds-next/react/text-link';
import type { ReactNode } from 'react';
import type { Notice } from '../api/types';
import { formatInZone } from './notice-format';

/**
 * GOV.UK's check answers for a draft: every field as saved, each with a "Change" link back to its section of the
 * form (named for the field, so a list of "Change" links makes sense to a screen reader). `platforms` replaces
 * the platform row when one notice goes to several.
 */
export function NoticeSummary({
  notice,
  typeLabel,
  platforms,
  changeHref,
}: {
  notice: Notice;
  typeLabel: string;
  platforms: ReactNode;
  changeHref: (section: string) => string;
}) {
  const questions = notice.requirements.questions ?? [];
  const rows: { term: string; value: ReactNode; section: string }[] = [
    { term: 'Type of notice', value: typeLabel, section: 'type' },
    { term: 'Platforms', value: platforms, section: 'platforms' },
    { term: 'Title', value: notice.title, section: 'content' },
    { term: 'Legal basis', value: notice.legalBasis, section: 'content' },
  ];
  if (questions.length > 0) {
    rows.push({
      term: 'Questions',
      value: (
        <ol css={{ margin: 0, paddingLeft: '1.5rem' }}>
          {questions.map((q) => (
            <li key={q.number} value={Number.parseInt(q.number, 10) || undefined}>
              {q.text}
            </li>
          ))}
        </ol>
      ),
      section: 'content',
    });
  }
  if (notice.requirements.requiredAction) {
    rows.push({ term: 'Required action', value: notice.requirements.requiredAction, section: 'content' });
  }
  if (notice.infringement) {
    const inf = notice.infringement;
    rows.push(
      { term: 'Provision contravened', value: inf.provisionContravened, section: 'content' },
      {
        term: 'Amount payable',
        value: `${inf.amountPayable.currency} ${inf.amountPayable.amount}`,
        section: 'content',
      },
      { term: 'Place for payment', value: inf.paymentPlace, section: 'content' },
    );
  }
  rows.push(
    { term: 'Manner and form', value: notice.mannerAndForm, section: 'content' },
    { term: 'Consequences', value: notice.consequences, section: 'content' },
    { term: 'Contacts', value: notice.contacts.join(', ') || 'The platform’s own contacts', section: 'content' },
    { term: 'Time zone', value: notice.timeZone, section: 'timing' },
    {
      term: 'Jurisdiction',
      value: [notice.jurisdiction.country, notice.jurisdiction.state].filter(Boolean).join(' – '),
      section: 'timing',
    },
    {
      term: 'Due time',
      value: notice.requestedDueAt
        ? `Set: ${formatInZone(notice.requestedDueAt, notice.timeZone)}`
        : 'Worked out from the type’s clock when the notice is issued',
      section: 'timing',
    },
  );
  return (
    <SummaryList>
      {rows.map((row) => (
        <SummaryListItem key={row.term}>
          <SummaryListItemTerm>{row.term}</SummaryListItemTerm>
          <SummaryListItemDescription>
            <div css={{ whiteSpace: 'pre-wrap' }}>{row.value}</div>
          </SummaryListItemDescription>
          <SummaryListItemAction>
            <TextLink href={changeHref(row.section)} aria-label={`Change ${row.term.toLowerCase()}`}>
              Change
            </TextLink>
          </SummaryListItemAction>
        </SummaryListItem>
      ))}
    </SummaryList>
  );
}
