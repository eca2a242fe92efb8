import { H2 } from '@ag.ds-next/react/heading';
import { Stack } from '@ag.ds-next/react/stack';
import { SummaryList } from '@ag.ds-next/react/summary-list';
import type { Platform } from '../../api/types';
import { describeActor } from '../notice/event-description';
import { SummaryRow } from '../notice/summary-row';
import { formatInZone, userTimeZone } from '../notice-format';

const KIND_LABELS: Record<Platform['provenance'][number]['kind'], string> = {
  onboarded: 'Onboarded',
  renamed: 'Renamed',
  'contacts-changed': 'Contacts changed',
  'merged-into': 'Merged into another platform',
  absorbed: 'Absorbed another platform',
};

/** What the provenance record says changed, in words (its `details` are the API's own from/to values). */
function detailsInWords(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join('\n');
}

/** The platform's provenance, oldest first: who changed what, when and why. */
export function ProvenanceList({ platform }: { platform: Platform }) {
  const zone = userTimeZone();
  return (
    <Stack gap={1} as="section" aria-labelledby="provenance-heading">
      <H2 id="provenance-heading">Provenance</H2>
      <ol aria-label="Provenance, oldest first" css={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {platform.provenance.map((entry) => (
          <li key={`${entry.at}-${entry.kind}`} css={{ marginBottom: '1rem' }}>
            <SummaryList>
              <SummaryRow term={KIND_LABELS[entry.kind]}>
                {`${formatInZone(entry.at, zone)} by ${describeActor(entry.by)}`}
                {entry.reason ? `\nReason: ${entry.reason}` : ''}
                {Object.keys(entry.details).length > 0 ? `\n${detailsInWords(entry.details)}` : ''}
              </SummaryRow>
            </SummaryList>
          </li>
        ))}
      </ol>
    </Stack>
  );
}
