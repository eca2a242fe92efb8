import { ListNoticesQuerySchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { noticeLifecycle } from '../runtime/notice-lifecycle-dependencies';

const notices = noticeLifecycle();

/** GET /notices — soonest due first; filters status, platformId, dueBefore; paginated by opaque cursor. */
export const handler = apiHandler({ authenticate, query: ListNoticesQuerySchema }, async ({ caller, query }) => {
  const { limit, cursor, dueBefore, ...filters } = query;
  const page = await notices.list(
    caller,
    { ...filters, dueBefore: dueBefore ? new Date(dueBefore).toISOString() : undefined },
    { limit, cursor },
  );
  return json(200, page);
});
