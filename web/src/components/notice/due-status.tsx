import { StatusBadge } from '@ag.ds-next/react/status-badge';
import {
  SummaryList,
  SummaryListItem,
  SummaryListItemDescription,
  SummaryListItemTerm,
} from '@ag.ds-next/react/summary-list';
import { Text } from '@ag.ds-next/react/text';
import type { ReactNode } from 'react';
import type { Notice } from '../../api/types';
import {
  AWAITING_PLATFORM,
  formatInZone,
  STATUS_LABELS,
  STATUS_TONES,
  userTimeZone,
  zoneNameSuffix,
} from '../notice-format';
import { badgeTone } from '../status-tone';
import { countdown } from './countdown';
import { useNow } from './use-now';

/** How the current due time came to be, from the notice's `dueBasis`. */
function basisInWords(notice: Notice): string | undefined {
  const basis = notice.dueBasis;
  if (!basis) return undefined;
  const event = `event ${basis.eventSeq} in the history`;
  switch (basis.kind) {
    case 'rule':
      return `Computed when the notice was given, from its type's rule (${event}).`;
    case 'explicit':
      return `Set by the regulator in the notice itself (${event}).`;
    case 'extension':
      return `Set by an extension (${event})${basis.legalBasis ? ` under ${basis.legalBasis}` : ''}${
        basis.previousDueAt ? `; it was ${formatInZone(basis.previousDueAt, notice.timeZone)}` : ''
      }.`;
    case 'further-information':
      return `Set by a request for further information (${event})${
        basis.previousDueAt ? `; it was ${formatInZone(basis.previousDueAt, notice.timeZone)}` : ''
      }.`;
  }
}

/**
 * Status and due time: in the notice's zone and the reader's, a live countdown, and why it is that time.
 * `dueAction` sits inside the due time's row (the platform's "Ask for more time", next to what it would change).
 */
export function DueStatus({ notice, dueAction }: { notice: Notice; dueAction?: ReactNode }) {
  const now = useNow();
  const zone = userTimeZone();
  const running = AWAITING_PLATFORM.includes(notice.status);
  const left = notice.dueAt ? countdown(notice.dueAt, now) : undefined;
  const basis = basisInWords(notice);
  return (
    <SummaryList>
      <SummaryListItem>
        <SummaryListItemTerm>Status</SummaryListItemTerm>
        <SummaryListItemDescription>
          <StatusBadge
            appearance="subtle"
            tone={badgeTone(STATUS_TONES[notice.status])}
            label={STATUS_LABELS[notice.status]}
          />
        </SummaryListItemDescription>
      </SummaryListItem>
      <SummaryListItem>
        <SummaryListItemTerm>Due</SummaryListItemTerm>
        <SummaryListItemDescription>
          <DueTime notice={notice} zone={zone} />
          {dueAction && <div css={{ marginTop: '0.75rem' }}>{dueAction}</div>}
        </SummaryListItemDescription>
      </SummaryListItem>
      {left && running && (
        <SummaryListItem>
          <SummaryListItemTerm>Time left</SummaryListItemTerm>
          <SummaryListItemDescription>
            {/* role=timer is not announced on every tick (its live setting is off), only when read. */}
            <Text role="timer" fontWeight="bold" color={left.overdue ? 'error' : 'text'}>
              {left.text}
            </Text>
          </SummaryListItemDescription>
        </SummaryListItem>
      )}
      {notice.dueExplanation && notice.dueExplanation.length > 0 && (
        <SummaryListItem>
          <SummaryListItemTerm>How the due time was worked out</SummaryListItemTerm>
          <SummaryListItemDescription>
            <ol css={{ margin: 0, paddingLeft: '1.25rem' }}>
              {notice.dueExplanation.map((step) => (
                <li key={step}>{step}</li>
              ))}
            </ol>
          </SummaryListItemDescription>
        </SummaryListItem>
      )}
      {basis && (
        <SummaryListItem>
          <SummaryListItemTerm>Why this is the due time</SummaryListItemTerm>
          <SummaryListItemDescription>{basis}</SummaryListItemDescription>
        </SummaryListItem>
      )}
      {notice.givenAt && (
        <SummaryListItem>
          <SummaryListItemTerm>Given</SummaryListItemTerm>
          <SummaryListItemDescription>
            {formatInZone(notice.givenAt, notice.timeZone)}
            {notice.issuedBy ? ` by ${notice.issuedBy.name ?? notice.issuedBy.subject}` : ''}
          </SummaryListItemDescription>
        </SummaryListItem>
      )}
    </SummaryList>
  );
}

function DueTime({ notice, zone }: { notice: Notice; zone: string }) {
  return (
    <>
      {notice.dueAt ? (
        <span>
          <strong>{formatInZone(notice.dueAt, notice.timeZone)}</strong>
          {zoneNameSuffix(formatInZone(notice.dueAt, notice.timeZone), notice.timeZone)}
          {zone !== notice.timeZone && (
            <>
              <br />
              Your time: {formatInZone(notice.dueAt, zone)}
              {zoneNameSuffix(formatInZone(notice.dueAt, zone), zone)}
            </>
          )}
        </span>
      ) : notice.status === 'draft' ? (
        notice.requestedDueAt ? (
          `Will be ${formatInZone(notice.requestedDueAt, notice.timeZone)} (set in the draft)`
        ) : (
          'Computed when the notice is issued'
        )
      ) : (
        'Nothing is due under this notice'
      )}
    </>
  );
}
