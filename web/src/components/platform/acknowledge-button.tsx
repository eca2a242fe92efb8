import { VisuallyHidden } from '@ag.ds-next/react/a11y';
import { Button } from '@ag.ds-next/react/button';
import { Stack } from '@ag.ds-next/react/stack';
import { Text } from '@ag.ds-next/react/text';
import { useState } from 'react';
import { describeError, unwrap } from '../../api/api-error';
import { portalNow } from '../../api/portal-clock';
import type { Notice } from '../../api/types';
import { signAcknowledgement } from '../../signing/acknowledgement';
import type { BrowserSigningKey } from '../../signing/signing-key';
import { useNoticeCommand } from '../notice/use-notice-command';
import { formatInZone } from '../notice-format';

/**
 * Acknowledges receipt of a notice in one press (it records only that the platform has seen it, so it needs no
 * confirmation). In a list, `context` names the notice in the button's accessible name, so each button says which
 * notice it acknowledges. With `signWith` (a key of this browser registered for the platform) and a signed notice,
 * the acknowledgement carries a countersignature over the signed notice, made at the press. The outcome is
 * announced in the page's live region; a failure is shown beside it.
 */
export function AcknowledgeButton({
  notice,
  context,
  signWith,
}: {
  notice: Notice;
  context?: 'list';
  signWith?: BrowserSigningKey;
}) {
  const [error, setError] = useState<unknown>();
  const [sending, setSending] = useState(false);
  const acknowledge = useNoticeCommand(
    notice.id,
    (api, signature: string | undefined, header) =>
      unwrap(
        api.POST('/notices/{noticeId}/acknowledge', {
          params: { path: { noticeId: notice.id }, header },
          body: signature ? { signature } : {},
        }),
      ),
    (n) =>
      `Receipt of "${n.title}" acknowledged ${formatInZone(n.acknowledgedAt ?? new Date().toISOString(), n.timeZone)}${
        n.acknowledgementSignature ? `, countersigned with key ${n.acknowledgementSignature.kid}` : ''
      }.`,
  );
  const press = async () => {
    setSending(true);
    setError(undefined);
    try {
      const signed = notice.signedNotice;
      const signature =
        signWith && signed
          ? await signAcknowledgement(
              { id: notice.id, platformId: notice.platformId, signedNotice: signed },
              signWith,
              portalNow().toISOString(),
            )
          : undefined;
      await acknowledge(signature);
    } catch (e) {
      setError(e);
    } finally {
      setSending(false);
    }
  };
  return (
    <Stack gap={0.5} alignItems="flex-start">
      <Button
        variant={context === 'list' ? 'secondary' : 'primary'}
        size={context === 'list' ? 'sm' : 'md'}
        loading={sending}
        loadingLabel="Acknowledging"
        onClick={() => void press()}
      >
        {context === 'list' ? (
          <>
            Acknowledge<VisuallyHidden> receipt of {notice.title}</VisuallyHidden>
          </>
        ) : (
          'Acknowledge receipt'
        )}
      </Button>
      {signWith && notice.signedNotice && (
        <Text color="muted" fontSize="sm">
          Your acknowledgement will be countersigned with your signing key {signWith.kid}.
        </Text>
      )}
      {error !== undefined && (
        <Text role="alert" color="error" fontSize="sm">
          Not acknowledged: {describeError(error)}
        </Text>
      )}
    </Stack>
  );
}
