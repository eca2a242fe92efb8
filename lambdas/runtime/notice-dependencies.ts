import { publicHolidayCalendar } from '../adapters/public-holidays';
import type { Jurisdiction } from '../domain/notice';
import type { NoticeService } from '../domain/notice-service';
import { buildNoticeService } from './notice-lifecycle-dependencies';
import { once } from './once';

/**
 * Every notice use case, with the public-holiday calendars that drafting and issuing need. Handlers that do
 * neither take `noticeLifecycle` (notice-lifecycle-dependencies.ts) instead, so their bundles do not carry the
 * holiday data.
 */
export const noticeService = once(
  (): NoticeService =>
    buildNoticeService(
      memoize(
        publicHolidayCalendar,
        (j: Jurisdiction) => `${j.country}-${j.state ?? ''}-${j.holidayTypes ?? 'default'}`,
      ),
    ),
);

/** Each jurisdiction's holiday calendar is built once per process, not once per due-time computation. */
function memoize<A, R>(fn: (arg: A) => R, key: (arg: A) => string): (arg: A) => R {
  const cache = new Map<string, R>();
  return (arg) => {
    const k = key(arg);
    let value = cache.get(k);
    if (value === undefined) {
      value = fn(arg);
      cache.set(k, value);
    }
    return value;
  };
}
