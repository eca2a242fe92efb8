import { publicHolidayCalendar } from '../adapters/public-holidays';
import { noticeConfig } from '../config/notices';
import { newNoticeId, noticeIdForIdempotencyKey } from '../domain/ids';
import type { Jurisdiction } from '../domain/notice';
import { NoticeService } from '../domain/notice-service';
import { now } from './clock';
import { once } from './once';
import { directoryStore, noticeStore } from './stores';

/** The notice use cases, over the notices table, with the catalogue and due-time settings of this process. */
export const noticeService = once((): NoticeService => {
  const settings = noticeConfig();
  const directory = directoryStore();
  return new NoticeService({
    store: noticeStore(),
    catalogue: settings.catalogue,
    defaultTimeZone: settings.defaultTimeZone,
    defaultJurisdiction: settings.deadlineJurisdiction,
    maxDueDays: settings.maxDueDays,
    holidaysFor: memoize(
      publicHolidayCalendar,
      (j: Jurisdiction) => `${j.country}-${j.state ?? ''}-${j.holidayTypes ?? 'default'}`,
    ),
    platforms: (id) => directory.getPlatform(id),
    clock: now,
    newNoticeId: () => newNoticeId(now()),
    noticeIdForIdempotencyKey,
  });
});

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
