import { dispatchByRoute } from '../http/route-dispatch';
import { handler as countNotices } from './count-notices';
import { handler as listNotices } from './list-notices';

/** The one function for reading notice lists (routes.ts): GET /notices and GET /notices/counts. */
export const handler = dispatchByRoute({
  'GET /notices': listNotices,
  'GET /notices/counts': countNotices,
});
