import { H2, H3 } from '@ag.ds-next/react/heading';
import { Stack } from '@ag.ds-next/react/stack';
import { StatusBadge } from '@ag.ds-next/react/status-badge';
import { SummaryList } from '@ag.ds-next/react/summary-list';
import type { Platform, SigningKey } from '../../api/types';
import { describeActor } from '../notice/event-description';
import { SummaryRow } from '../notice/summary-row';
import { useNow } from '../notice/use-now';
import { formatInZone, userTimeZone } from '../notice-format';
import { EmptyState, ErrorState, LoadingState } from '../page-states';
import { useSigningKeys } from './admin-queries';
import { KEY_STATUS_LABELS, keyStatus } from './key-status';
import { RegisterKey } from './register-key';
import { RevokeKey } from './revoke-key';

const TONES = {
  active: 'successLow',
  'not-yet-valid': 'infoLow',
  expired: 'unknownLow',
  revoked: 'errorMedium',
} as const;

/** The platform's signing keys, current and past, with register and revoke. */
export function SigningKeysSection({ platform }: { platform: Platform }) {
  const keys = useSigningKeys(platform.platformId);
  const now = useNow(60_000);
  return (
    <Stack gap={1} as="section" aria-labelledby="keys-heading">
      <H2 id="keys-heading">Signing keys</H2>
      {platform.status === 'active' && (
        <div>
          <RegisterKey platformId={platform.platformId} />
        </div>
      )}
      {keys.isPending ? (
        <LoadingState label="Loading the signing keys" />
      ) : keys.isError ? (
        <ErrorState title="The signing keys could not be loaded" error={keys.error} retry={() => void keys.refetch()} />
      ) : keys.data.items.length === 0 ? (
        <EmptyState>No signing keys yet. Register the platform's public key so it can sign its responses.</EmptyState>
      ) : (
        keys.data.items.map((key) => <KeyItem key={key.kid} signingKey={key} now={now} />)
      )}
    </Stack>
  );
}

function KeyItem({ signingKey, now }: { signingKey: SigningKey; now: Date }) {
  const zone = userTimeZone();
  const at = (iso: string) => formatInZone(iso, zone);
  const status = keyStatus(signingKey, now);
  return (
    <Stack gap={0.75} as="article" aria-label={`Signing key ${signingKey.kid}`} data-kid={signingKey.kid}>
      <H3>
        {signingKey.label ?? 'Signing key'}{' '}
        <StatusBadge appearance="subtle" tone={TONES[status]} label={KEY_STATUS_LABELS[status]} />
      </H3>
      <SummaryList>
        <SummaryRow term="Thumbprint (kid)">{signingKey.kid}</SummaryRow>
        <SummaryRow term="Algorithm">{`${signingKey.alg} (${signingKey.jwk.crv})`}</SummaryRow>
        <SummaryRow term="Valid">
          {`From ${at(signingKey.validFrom)}${signingKey.validUntil ? ` until ${at(signingKey.validUntil)}` : ', no end'}`}
        </SummaryRow>
        <SummaryRow term="Registered">{`${at(signingKey.registeredAt)} by ${describeActor(signingKey.registeredBy)}`}</SummaryRow>
        {signingKey.revokedAt && (
          <SummaryRow term="Revoked">
            {`Effective ${at(signingKey.revocationEffectiveAt ?? signingKey.revokedAt)}${
              signingKey.revokedBy ? `, by ${describeActor(signingKey.revokedBy)}` : ''
            }${signingKey.revocationReason ? `\nReason: ${signingKey.revocationReason}` : ''}`}
          </SummaryRow>
        )}
      </SummaryList>
      {!signingKey.revokedAt && (
        <div>
          <RevokeKey signingKey={signingKey} />
        </div>
      )}
    </Stack>
  );
}
