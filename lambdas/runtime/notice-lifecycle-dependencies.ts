import { noticeConfig } from '../config/notices';
import { latestCheckpointRef } from '../domain/checkpoint-reader';
import { newNoticeId, noticeIdForIdempotencyKey } from '../domain/ids';
import type { Jurisdiction } from '../domain/notice';
import { NoticeService, type NoticeServiceDeps } from '../domain/notice-service';
import { noticeEventCommitted } from '../observability/business-metrics';
import { now } from './clock';
import { once } from './once';
import { noticeSigner } from './regulator-key-dependencies';
import { checkpointReader, directoryStore, noticeStore, signingKeyStore } from './stores';

/**
 * The notice use cases that never look up a public holiday: everything but drafting (which checks the draft's
 * jurisdiction against the holiday data) and issuing (which computes the due time). Only those two go through
 * `noticeService` (notice-dependencies.ts), so only their bundles carry the holiday calendars (the pre-computed
 * table of adapters/public-holiday-table.generated.ts, ~70 KiB); the type keeps a handler of this module from
 * calling either.
 */
export type NoticeLifecycle = Omit<NoticeService, 'createDraft' | 'issue'>;

/** The notice service over the notices table, with this process's settings and the given holiday calendars. */
export function buildNoticeService(holidaysFor: NoticeServiceDeps['holidaysFor']): NoticeService {
  const settings = noticeConfig();
  const directory = directoryStore();
  return new NoticeService({
    store: noticeStore(),
    catalogue: settings.catalogue,
    defaultTimeZone: settings.defaultTimeZone,
    defaultJurisdiction: settings.deadlineJurisdiction,
    maxDueDays: settings.maxDueDays,
    holidaysFor,
    platforms: (id) => directory.getPlatform(id),
    // Built lazily: only the issuing function signs, and only it is given the regulator key's settings.
    noticeSigner: { ready: () => noticeSigner().ready(), sign: (payload) => noticeSigner().sign(payload) },
    // Signed notices name the latest complete checkpoint, as receipts do.
    latestCheckpoint: () => latestCheckpointRef(checkpointReader()),
    acknowledgementKeys: signingKeyStore(),
    clock: now,
    newNoticeId: () => newNoticeId(now()),
    noticeIdForIdempotencyKey,
    onCommitted: noticeEventCommitted,
  });
}

export const noticeLifecycle = once((): NoticeLifecycle => buildNoticeService(noHolidayCalendars));

/**
 * Never called through {@link NoticeLifecycle}: it is here so that a future use case that does need holidays fails
 * loudly, naming the fix, instead of computing a due time without them.
 */
function noHolidayCalendars(jurisdiction: Jurisdiction): never {
  throw new Error(
    `No public-holiday calendars in this function (asked for ${jurisdiction.country}${jurisdiction.state ? `-${jurisdiction.state}` : ''}): ` +
      'use noticeService from runtime/notice-dependencies.ts for use cases that compute due times',
  );
}
