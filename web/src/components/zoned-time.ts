/**
 * Wall-clock times in a named IANA zone, for the inputs where an officer types "5:00 pm on 1 May" meaning the
 * notice's zone, not the browser's. Browser-only Intl, no time-zone database of our own.
 */
import { fromZonedInputValue, toZonedInputValue } from './form/zoned-date-time';

/**
 * `2026-05-01T17:00` (a datetime-local value) read in `timeZone` → the ISO instant, or undefined when it is not a
 * wall time. The domain's own wall-clock rule (lambdas/domain/zoned-time.ts), so a time typed here means what the
 * deadline engine takes it to mean, daylight-saving changes included.
 */
export function wallTimeToInstant(wallTime: string, timeZone: string): string | undefined {
  return fromZonedInputValue(wallTime, timeZone);
}

/** An ISO instant → the datetime-local value (`YYYY-MM-DDTHH:mm`) it reads as in `timeZone`. */
export function instantToWallTime(iso: string, timeZone: string): string {
  return toZonedInputValue(iso, timeZone);
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
