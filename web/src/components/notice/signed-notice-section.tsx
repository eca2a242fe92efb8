import { Button } from '@ag.ds-next/react/button';
import { H2 } from '@ag.ds-next/react/heading';
import { Stack } from '@ag.ds-next/react/stack';
import { SummaryList } from '@ag.ds-next/react/summary-list';
import { Text } from '@ag.ds-next/react/text';
import type { Notice } from '../../api/types';
import { jwsKeyId } from '../../signing/acknowledgement';
import { downloadText } from '../download-file';
import { formatInZone } from '../notice-format';
import { SummaryRow } from './summary-row';

/**
 * The notice as given, signed by the regulator at issue: who signed (the key id, checkable against the published
 * keys), the signed file to keep, and the platform's countersignature when it acknowledged with one. Absent for
 * drafts and for notices issued before notices were signed.
 */
export function SignedNoticeSection({ notice }: { notice: Notice }) {
  const jws = notice.signedNotice;
  if (!jws) return null;
  const kid = jwsKeyId(jws);
  const countersigned = notice.acknowledgementSignature;
  return (
    <Stack gap={1} as="section" aria-labelledby="signed-notice-heading">
      <H2 id="signed-notice-heading">Signed by the regulator</H2>
      <Text as="p">
        The regulator signed this notice as given when it was issued: its content, the platform, the legal basis, when
        it was given and when it is due. Anyone can check the signature offline with{' '}
        <code>npx notice-portal verify-notice</code> and the regulator's published keys.
      </Text>
      <SummaryList>
        <SummaryRow term="Key id">{kid ?? 'not stated'}</SummaryRow>
        {notice.givenAt && <SummaryRow term="Given">{formatInZone(notice.givenAt, notice.timeZone)}</SummaryRow>}
        {countersigned && (
          <SummaryRow term="Acknowledged">
            {`${notice.acknowledgedAt ? formatInZone(notice.acknowledgedAt, notice.timeZone) : ''}, countersigned by the platform with key ${countersigned.kid}`}
          </SummaryRow>
        )}
      </SummaryList>
      <div>
        <Button variant="secondary" onClick={() => downloadText(`notice-${notice.id}.jws`, jws, 'application/jose')}>
          Download signed notice (.jws)
        </Button>
      </div>
    </Stack>
  );
}
