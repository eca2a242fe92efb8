import { Button } from '@ag.ds-next/react/button';
import { PageAlert } from '@ag.ds-next/react/page-alert';
import { Stack } from '@ag.ds-next/react/stack';
import { Text } from '@ag.ds-next/react/text';
import { useState } from 'react';

/**
 * A new API client's secret, shown this once: the portal keeps only a hash of it. Focused when it appears so a
 * screen reader reads the warning first; a copy button, and a button to confirm it has been stored.
 */
export function ClientSecret({ clientId, secret, onDone }: { clientId: string; secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | undefined>(undefined);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <PageAlert tone="warning" title="Copy the client secret now: it will not be shown again" focusOnMount tabIndex={-1}>
      <Stack gap={1}>
        <Text as="p">
          Give the client id and secret to the platform over a secure channel. The portal stores only a hash of the
          secret; if it is lost, create a new client and revoke this one.
        </Text>
        <Text as="p">
          Client id: <code>{clientId}</code>
        </Text>
        <Text as="p">
          Client secret:{' '}
          <code css={{ overflowWrap: 'anywhere' }} data-testid="client-secret">
            {secret}
          </code>
        </Text>
        <div>
          <Button variant="secondary" onClick={() => void copy()}>
            Copy secret
          </Button>
        </div>
        <div role="status" aria-live="polite">
          {copied === 'yes' && <Text>Secret copied to the clipboard.</Text>}
          {copied === 'failed' && <Text>The browser did not allow copying: select the secret and copy it.</Text>}
        </div>
        <div>
          <Button onClick={onDone}>I have stored the secret</Button>
        </div>
      </Stack>
    </PageAlert>
  );
}
