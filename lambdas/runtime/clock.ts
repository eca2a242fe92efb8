/**
 * The one clock every handler reads. On AWS it is the system clock. The local portal may move it forward for
 * demos and tests (`POST /dev/clock`), so a 28-day notice can be walked past its reminders in seconds; nothing in
 * the deployed stack can, because only local/dev-clock.ts calls `setLocalClockOffset`.
 */
let offsetMs = 0;

export function now(): Date {
  return new Date(Date.now() + offsetMs);
}

/**
 * Local portal only: sets how far the clock runs ahead of real time (never behind it). local/dev-clock.ts keeps
 * the offset in the data folder, so that a restart never moves the portal's time back.
 */
export function setLocalClockOffset(ms: number): Date {
  offsetMs = Math.max(0, ms);
  return now();
}

export function localClockOffsetMs(): number {
  return offsetMs;
}
