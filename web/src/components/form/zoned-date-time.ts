// The domain's wall-clock arithmetic is plain Intl (no Node imports), so a time typed here means what it means there.
import { instantOfWallTime, wallTimeAt } from '../../../../lambdas/domain/zoned-time';

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * An instant as a `datetime-local` input's value ("2026-12-24T17:00") read on clocks in `timeZone`. Legal times
 * are stated in the notice's zone, not the browser's, so every due-time field is typed in that zone.
 */
export function toZonedInputValue(iso: string, timeZone: string): string {
  const w = wallTimeAt(new Date(iso), timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** A `datetime-local` value typed as clocks in `timeZone` read, as an ISO instant; undefined if it is not one. */
export function fromZonedInputValue(value: string, timeZone: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0));
  if (year === undefined || month === undefined || day === undefined || hour === undefined || minute === undefined)
    return undefined;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return undefined;
  return instantOfWallTime({ year, month, day, hour, minute, second: second ?? 0 }, timeZone).toISOString();
}
