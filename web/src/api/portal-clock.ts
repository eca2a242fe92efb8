/**
 * The portal's time, as its API states it in each response's `Date` header. Due times, "overdue" and countdowns
 * are the portal's judgement, so the pages read this clock, not the browser's: a computer whose clock is wrong
 * must not show a notice as on time when the portal will record it late. Locally it also follows the development
 * clock (`POST /dev/clock`), which the local portal's `Date` header reports.
 */
let offsetMs = 0;

/** Differences below this are the header's one-second resolution and network delay, not a wrong clock. */
const IGNORED_SKEW_MS = 5_000;

/** Called with each API response's `Date` header. */
export function observeServerDate(header: string | null): void {
  if (!header) return;
  const server = Date.parse(header);
  if (Number.isNaN(server)) return;
  const skew = server - Date.now();
  offsetMs = Math.abs(skew) < IGNORED_SKEW_MS ? 0 : skew;
}

/** Now, on the portal's clock. */
export function portalNow(): Date {
  return new Date(Date.now() + offsetMs);
}
