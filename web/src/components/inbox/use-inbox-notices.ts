import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../api/api-context';
import { unwrap } from '../../api/api-error';
import type { Notice, NoticeStatus } from '../../api/types';

/** A platform has tens of notices, not thousands: up to this many pages of 100 are read, and the page says if more. */
const MAX_PAGES = 5;

/**
 * Every notice of the caller's platform (the API scopes GET /notices to it, merged platforms included), optionally
 * of one status, read whole so the inbox can group and order them itself.
 */
export function useInboxNotices(status: NoticeStatus | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: ['notices', 'inbox', status ?? 'all'],
    queryFn: async (): Promise<{ notices: Notice[]; complete: boolean }> => {
      const notices: Notice[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const result = await unwrap(api.GET('/notices', { params: { query: { status, limit: 100, cursor } } }));
        notices.push(...result.items);
        cursor = result.nextCursor;
        if (!cursor) return { notices, complete: true };
      }
      return { notices, complete: false };
    },
  });
}
