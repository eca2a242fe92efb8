/**
 * Wall-clock arithmetic in IANA time zones with nothing but Intl, so the domain stays dependency-free and runs the
 * same on a laptop and in Lambda (both ship full ICU).
 */

let canonicalZones: ReadonlySet<string> | undefined;

/**
 * Whether Intl knows the zone. The canonical IANA names are looked up first: constructing a DateTimeFormat loads
 * ICU's locale and zone data (~25 ms of CPU the first time), and this runs when a function starts (its default
 * zone is validated with its configuration), where nothing else needs that data yet. Aliases ("Australia/ACT",
 * "Etc/UTC") and anything else fall through to the constructor, so the answer is exactly the constructor's.
 */
export function isValidTimeZone(timeZone: string): boolean {
  canonicalZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (canonicalZones.has(timeZone)) return true;
  try {
    new Intl.DateTimeFormat('en-AU', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-AU', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock reading in `timeZone` at `instant`. */
export function wallTimeAt(instant: Date, timeZone: string): WallTime {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(instant)
      .filter((p) => p.type !== 'literal')
      .map((p) => [p.type, Number(p.value)]),
  );
  const { year, month, day, hour, minute, second } = parts;
  if (
    year === undefined ||
    month === undefined ||
    day === undefined ||
    hour === undefined ||
    minute === undefined ||
    second === undefined
  ) {
    throw new Error(`invariant: the ${timeZone} formatter gives all six wall-clock fields`);
  }
  return { year, month, day, hour, minute, second };
}

/** Offset of `timeZone` from UTC at `instant`, in milliseconds (e.g. +10:00 → 36 000 000). */
export function utcOffsetMs(instant: Date, timeZone: string): number {
  const w = wallTimeAt(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The instant at which clocks in `timeZone` read `wall`. The offsets a day either side are the only candidates
 * (zones change offset at most once a day); a candidate is right when the zone really has that offset then.
 * A wall time that occurs twice (clocks go back) resolves to the earlier instant; one that does not exist
 * (clocks go forward) is moved forward by the gap.
 */
export function instantOfWallTime(wall: WallTime, timeZone: string, millisecond = 0): Date {
  const naive = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, millisecond);
  const before = utcOffsetMs(new Date(naive - 86_400_000), timeZone);
  const after = utcOffsetMs(new Date(naive + 86_400_000), timeZone);
  const matches = [...new Set([before, after])]
    .map((offset) => naive - offset)
    .filter((instant) => utcOffsetMs(new Date(instant), timeZone) === naive - instant);
  if (matches.length > 0) return new Date(Math.min(...matches));
  return new Date(naive - before);
}

/** Adds calendar days to a date (no time), returning the new year/month/day. */
export function addCalendarDays(wall: WallTime, days: number): WallTime {
  const d = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + days));
  return { ...wall, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** "Tue 24 Nov 2026, 17:00 AEDT" – how the portal shows an instant to people in the notice's time zone. */
export function describeInstant(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-AU', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).format(instant);
}
