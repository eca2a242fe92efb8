import type { StatusBadgeTone } from '@ag.ds-next/react/status-badge';

/**
 * notice-format.ts names tones by meaning (info, warning…); AgDS deprecated those names for ones with an emphasis
 * (and warns in the console for each badge), so badges take them through this map.
 */
const BADGE_TONES: Record<'neutral' | 'info' | 'success' | 'warning' | 'error', StatusBadgeTone> = {
  neutral: 'unknownLow',
  info: 'infoLow',
  success: 'successLow',
  warning: 'warningMedium',
  error: 'errorMedium',
};

export function badgeTone(tone: keyof typeof BADGE_TONES): StatusBadgeTone {
  return BADGE_TONES[tone];
}
