import { ListNoticesQuerySchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { noticeLifecycle } from '../runtime/notice-lifecycle-dependencies';

const notices = noticeLifecycle();

/** Due-time bounds are compared as stored keys, so they are normalised to the stored form (UTC, milliseconds). */
const utc = (instant: string | undefined) => (instant ? new Date(instant).toISOString() : undefined);

/**
 * GET /notices — soonest due first (or latest, `order=desc`); filters status, platformId, type, dueBefore,
 * dueAfter, open, extension, applied by the table; paginated by opaque cursor, each page filled to `limit`
 * unless the filters left too few in the items one request may read.
 */
export const handler = apiHandler({ authenticate, query: ListNoticesQuerySchema }, async ({ caller, query }) => {
  const { limit, cursor, dueBefore, dueAfter, open, ...filters } = query;
  const page = await notices.list(
    caller,
    { ...filters, dueBefore: utc(dueBefore), dueAfter: utc(dueAfter), open: open === 'true' || undefined },
    { limit, cursor },
  );
  return json(200, page);
});
