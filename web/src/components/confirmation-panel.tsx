import { Box } from '@ag.ds-next/react/box';
import { boxPalette } from '@ag.ds-next/react/core';
import type { ReactNode } from 'react';

/** GOV.UK's confirmation panel: the page's h1 and the reference number, on the success colour. */
export function ConfirmationPanel({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Box
      padding={2}
      rounded
      css={{
        backgroundColor: boxPalette.systemSuccess,
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
