import { Box } from '@ag.ds-next/react/box';
import type { ReactNode } from 'react';

const CONFIRMATION_GREEN = '#00703c';

/** GOV.UK's confirmation panel: the page's h1 and the reference number, on the success colour. */
export function ConfirmationPanel({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Box
      padding={2}
      rounded
      css={{
        // AgDS's success colour (#0b996c) gives white text 3.6:1, under AA's 4.5:1 (axe: color-contrast);
        // GOV.UK's confirmation-panel green gives 5.9:1.
        backgroundColor: CONFIRMATION_GREEN,
        color: '#ffffff',
        textAlign: 'center',
        a: { color: '#ffffff' },
      }}
    >
      <h1 css={{ margin: 0, fontSize: '2rem', lineHeight: 1.25 }}>{title}</h1>
      <div css={{ marginTop: '1rem', fontSize: '1.25rem' }}>{children}</div>
    </Box>
  );
}
