import { H2, H3 } from '@ag.ds-next/react/heading';
import { Stack } from '@ag.ds-next/react/stack';
import { StatusBadge } from '@ag.ds-next/react/status-badge';
import { SummaryList } from '@ag.ds-next/react/summary-list';
import type { Extension, Notice } from '../../api/types';
import { formatInZone } from '../notice-format';
import { describeActor } from './event-description';
import { ExtensionDecision } from './extension-decision';
import { REGULATOR_COMMAND_STATUSES } from './regulator-actions';
import { SummaryRow } from './summary-row';

const TONES = { requested: 'warningMedium', granted: 'successLow', refused: 'errorMedium' } as const;
const LABELS = { requested: 'Awaiting a decision', granted: 'Granted', refused: 'Refused' } as const;

/** Every extension request, newest first, with the decision buttons on those still awaiting one. */
export function ExtensionsSection({ notice, canDecide }: { notice: Notice; canDecide: boolean }) {
  if (notice.extensions.length === 0) return null;
  const open = (REGULATOR_COMMAND_STATUSES['grant-extension'] as readonly string[]).includes(notice.status);
  return (
    <Stack gap={1.5} as="section" aria-labelledby="extensions-heading">
      <H2 id="extensions-heading">Extension requests</H2>
      {[...notice.extensions].reverse().map((extension) => (
        <ExtensionItem
          key={extension.id}
          notice={notice}
          extension={extension}
          decidable={canDecide && open && extension.status === 'requested'}
        />
      ))}
    </Stack>
  );
}

function ExtensionItem({ notice, extension, decidable }: { notice: Notice; extension: Extension; decidable: boolean }) {
  const at = (iso: string) => formatInZone(iso, notice.timeZone);
  return (
    <Stack gap={1} as="article" aria-label={`Extension request ${extension.id}`} data-extension-id={extension.id}>
      <H3>
        Request of {at(extension.requestedAt)}{' '}
        <StatusBadge appearance="subtle" tone={TONES[extension.status]} label={LABELS[extension.status]} />
      </H3>
      <SummaryList>
        <SummaryRow term="Asked by">{describeActor(extension.requestedBy)}</SummaryRow>
        <SummaryRow term="Due time asked for">{at(extension.requestedDueAt)}</SummaryRow>
        <SummaryRow term="Reason given">{extension.reason}</SummaryRow>
        {extension.decidedAt && (
          <SummaryRow term="Decided">
            {at(extension.decidedAt)}
            {extension.decidedBy ? ` by ${describeActor(extension.decidedBy)}` : ''}
          </SummaryRow>
        )}
        {extension.grantedDueAt && (
          <SummaryRow term="Due time granted">
            {at(extension.grantedDueAt)}
            {extension.previousDueAt ? ` (was ${at(extension.previousDueAt)})` : ''}
          </SummaryRow>
        )}
        {extension.legalBasis && <SummaryRow term="Legal basis">{extension.legalBasis}</SummaryRow>}
        {extension.decisionReason && <SummaryRow term="Reason for the decision">{extension.decisionReason}</SummaryRow>}
      </SummaryList>
      {decidable && <ExtensionDecision notice={notice} extension={extension} />}
    </Stack>
  );
}
