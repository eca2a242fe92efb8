import type { SigningKey } from '../../api/types';

export type KeyStatus = 'revoked' | 'expired' | 'not-yet-valid' | 'active';

/** A key's standing now, by the API's rule: usable when validFrom ≤ t < validUntil and not revoked with effect by t. */
export function keyStatus(key: SigningKey, now: Date): KeyStatus {
  const t = now.getTime();
  if (key.revocationEffectiveAt && Date.parse(key.revocationEffectiveAt) <= t) return 'revoked';
  if (key.validUntil && Date.parse(key.validUntil) <= t) return 'expired';
  if (Date.parse(key.validFrom) > t) return 'not-yet-valid';
  return 'active';
}

export const KEY_STATUS_LABELS: Record<KeyStatus, string> = {
  active: 'Active',
  'not-yet-valid': 'Not yet valid',
  expired: 'Expired',
  revoked: 'Revoked',
};
