/**
 * Wall-clock times in a named IANA zone, for the inputs where an officer types "5:00 pm on 1 May" meaning the
 * notice's zone, not the browser's. Browser-only Intl, no time-zone database of our own.
 */

/** The zone's offset from UTC at `instant`, in milliseconds (AEST: +10 h). */
function offsetAt(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/**
 * `2026-05-01T17:00` (a datetime-local value) read in `timeZone` → the ISO instant, or undefined when it is not a
 * wall time. A time skipped by a daylight-saving change resolves to the instant the clocks reached after it.
 */
export function wallTimeToInstant(wallTime: string, timeZone: string): string | undefined {
  const match = WALL_TIME.exec(wallTime);
  if (!match) return undefined;
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi);
  if (Number.isNaN(asUtc)) return undefined;
  // Two passes: the offset at the first guess may differ from the offset at the answer across a DST change.
  let instant = asUtc - offsetAt(asUtc, timeZone);
  instant = asUtc - offsetAt(instant, timeZone);
  return new Date(instant).toISOString();
}

/** An ISO instant → the datetime-local value (`YYYY-MM-DDTHH:mm`) it reads as in `timeZone`. */
export function instantToWallTime(iso: string, timeZone: string): string {
  const instant = Date.parse(iso);
  const local = new Date(instant + offsetAt(instant, timeZone));
  return local.toISOString().slice(0, 16);
}

/** The start of a calendar day (`YYYY-MM-DD`) in `timeZone`, as an ISO instant. */
export function startOfDayInstant(date: string, timeZone: string): string | undefined {
  return wallTimeToInstant(`${date}T00:00`, timeZone);
}

/** Every IANA zone the browser knows, or a short list where `Intl.supportedValuesOf` is missing. */
export function timeZoneNames(): string[] {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  const zones = supported ? supported('timeZone') : [];
  // UTC is not always in the list, and the portal's default zone must always be offered.
  return [...new Set(['Australia/Sydney', 'UTC', ...zones])].sort();
}
