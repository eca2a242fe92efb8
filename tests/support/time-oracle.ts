/**
 * An oracle for zoned time that shares no code with lambdas/domain/zoned-time.ts: it asks Intl for the offset
 * by name ("GMT+11:00") and for the local date and time in a different locale, so a property test that compares
 * the two is not the code checking itself.
 */

import { defined } from './defined';

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
const partFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at `instant`, in minutes (Sydney in summer: 660). */
export function offsetMinutes(instant: number, timeZone: string): number {
  let formatter = offsetFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormatters.set(timeZone, formatter);
  }
  const name = formatter.formatToParts(new Date(instant)).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const match = /^GMT(?:([+-])(\d{1,2}):?(\d{2})?)?$/.exec(name);
  if (!match) throw new Error(`Unexpected offset name "${name}" for ${timeZone}`);
  if (!match[1]) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return match[1] === '-' ? -minutes : minutes;
}

export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** What clocks in `timeZone` read at `instant`, to the second. */
export function localTime(instant: number, timeZone: string): LocalTime {
  let formatter = partFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    partFormatters.set(timeZone, formatter);
  }
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: defined(parts.year, 'the year'),
    month: defined(parts.month, 'the month'),
    day: defined(parts.day, 'the day'),
    hour: defined(parts.hour, 'the hour'),
    minute: defined(parts.minute, 'the minute'),
    second: defined(parts.second, 'the second'),
  };
}

/** The calendar date `days` after a local date (proleptic Gregorian, no zone involved). */
export function plusDays(date: { year: number; month: number; day: number }, days: number) {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/**
 * Every instant in [from, to) at which the zone's offset changes, to the millisecond: a weekly scan, then a
 * binary search inside each week where the offset differs at its two ends.
 */
export function offsetTransitions(timeZone: string, from: number, to: number): number[] {
  const week = 7 * 24 * 3_600_000;
  const found: number[] = [];
  for (let start = from; start < to; start += week) {
    const end = Math.min(start + week, to);
    if (offsetMinutes(start, timeZone) === offsetMinutes(end, timeZone)) continue;
    let lo = start;
    let hi = end;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetMinutes(mid, timeZone) === offsetMinutes(start, timeZone)) lo = mid;
      else hi = mid;
    }
    found.push(hi);
  }
  return found;
}
