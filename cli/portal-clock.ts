/**
 * The time the CLI signs with. A manifest's `signedAt` must be no earlier than the submission was opened and its
 * key valid at that instant, both by the portal's clock. Normally this machine's clock is close enough (the portal
 * tolerates five minutes), and then it is used as it is. A development portal whose clock was moved forward
 * (`POST /dev/clock`), or a badly set machine clock, is further off than that; then the CLI signs with the
 * portal's time, as observed from the `Date` header of the portal's responses, and says so once.
 */
export const CLOCK_SKEW_TOLERANCE_MS = 60_000;

export interface SigningClock {
  now(): Date;
}

export function signingClock(
  skewMs: () => number | undefined,
  note: (text: string) => void,
  toleranceMs = CLOCK_SKEW_TOLERANCE_MS,
): SigningClock {
  let told = false;
  return {
    now() {
      const skew = skewMs();
      if (skew === undefined || Math.abs(skew) <= toleranceMs) return new Date();
      if (!told) {
        told = true;
        note(
          `The portal's clock is ${describeSkew(skew)} this machine's (a development portal with a moved clock?); signing with the portal's time.`,
        );
      }
      return new Date(Date.now() + skew);
    },
  };
}

function describeSkew(skewMs: number): string {
  const minutes = Math.round(Math.abs(skewMs) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const parts = [days ? `${days} d` : '', hours ? `${hours} h` : '', minutes % 60 ? `${minutes % 60} min` : ''];
  return `${parts.filter(Boolean).join(' ') || '1 min'} ${skewMs > 0 ? 'ahead of' : 'behind'}`;
}
