import { portalNow } from '../../api/portal-clock';
import type { Notice } from '../../api/types';
import { useSessionUser } from '../../auth/auth-context';
import { useSigningKeys } from '../admin/admin-queries';
import { registrationOf } from '../response/sign-key-panel';
import { useBrowserKeys } from '../response/use-browser-keys';
import { AcknowledgeButton } from './acknowledge-button';

/**
 * "Acknowledge receipt" on the notice page: countersigned with the user's browser signing key when one is
 * registered for their platform and usable now, and the notice is signed; a plain acknowledgement otherwise (no
 * key, an unregistered one, or keys still loading — acknowledging never waits for a key).
 */
export function SignedAcknowledgeButton({ notice }: { notice: Notice }) {
  const user = useSessionUser();
  const platformId = user.platformId ?? notice.platformId;
  const owner = { subject: user.subject, platformId };
  const keys = useBrowserKeys(owner);
  const registered = useSigningKeys(platformId);
  const now = portalNow();
  const usable = notice.signedNotice
    ? keys.data?.find((key) => registrationOf(key, registered.data?.items, now).usable)
    : undefined;
  return <AcknowledgeButton notice={notice} signWith={usable} />;
}
