/**
 * The one clock every handler reads. On AWS it is the system clock. The local portal may move it forward for
 * demos and tests (`POST /dev/clock`), so a 28-day notice can be walked past its reminders in seconds; nothing in
 * the deployed stack can, because only local/portal.ts calls `shiftLocalClock`.
 */
let offsetMs = 0;

export function now(): Date {
  return new Date(Date.now() + offsetMs);
}

/** Local portal only: moves the clock by `ms` (never backwards past real time) and returns the new time. */
export function shiftLocalClock(ms: number): Date {
  offsetMs = Math.max(0, offsetMs + ms);
  return now();
}

export function localClockOffsetMs(): number {
  return offsetMs;
}
