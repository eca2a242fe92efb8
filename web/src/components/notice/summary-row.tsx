import { SummaryListItem, SummaryListItemDescription, SummaryListItemTerm } from '@ag.ds-next/react/summary-list';
import type { ReactNode } from 'react';

/** One term and its description; kept to one line at each use, and multi-line text keeps its line breaks. */
export function SummaryRow({ term, children }: { term: string; children: ReactNode }) {
  return (
    <SummaryListItem>
      <SummaryListItemTerm>{term}</SummaryListItemTerm>
      <SummaryListItemDescription>
        <span css={{ whiteSpace: 'pre-line', overflowWrap: 'anywhere' }}>{children}</span>
      </SummaryListItemDescription>
    </SummaryListItem>
  );
}
