import { ResponseDraftService } from '../domain/response-draft-service';
import { now } from './clock';
import { once } from './once';
import { noticeStore, responseDraftStore, submissionStore } from './stores';

/**
 * The response being prepared: the table alone. Like `noticeLifecycle`, no holiday calendars (nothing here
 * computes a due time), and neither the bucket nor the receipt key, so these functions' bundles and permissions
 * carry none of them.
 */
export const responseDraftService = once(
  (): ResponseDraftService =>
    new ResponseDraftService({
      notices: noticeStore(),
      drafts: responseDraftStore(),
      submissions: submissionStore(),
      clock: now,
    }),
);
