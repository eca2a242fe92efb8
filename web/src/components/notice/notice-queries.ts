import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../api/api-context';
import { unwrap } from '../../api/api-error';
import type { Notice } from '../../api/types';

/**
 * Query keys for one notice. Everything about a notice sits under `['notice', id]`, so one invalidation after a
 * change refreshes the notice, its history and its submissions together; `['notices']` is the list views'.
 */
export const noticeKeys = {
  all: (id: string) => ['notice', id] as const,
  notice: (id: string) => ['notice', id, 'record'] as const,
  history: (id: string) => ['notice', id, 'history'] as const,
  submission: (id: string, submissionId: string) => ['notice', id, 'submission', submissionId] as const,
  lists: ['notices'] as const,
};

/** The largest page the history endpoint gives (lambdas/api/contract.ts HistoryQuerySchema). */
const HISTORY_PAGE = 100;

export function useNotice(noticeId: string) {
  const api = useApi();
  return useQuery({
    queryKey: noticeKeys.notice(noticeId),
    queryFn: () => unwrap(api.GET('/notices/{noticeId}', { params: { path: { noticeId } } })),
  });
}

/** The notice's events, oldest first, a page at a time (the API's cursors). */
export function useNoticeHistory(noticeId: string) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: noticeKeys.history(noticeId),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/notices/{noticeId}/history', {
          params: { path: { noticeId }, query: { limit: HISTORY_PAGE, cursor: pageParam } },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor,
  });
}

export function useSubmission(noticeId: string, submissionId: string) {
  const api = useApi();
  return useQuery({
    queryKey: noticeKeys.submission(noticeId, submissionId),
    queryFn: () =>
      unwrap(
        api.GET('/notices/{noticeId}/submissions/{submissionId}', {
          params: { path: { noticeId, submissionId } },
        }),
      ),
  });
}

export function useNoticeTypes() {
  const api = useApi();
  return useQuery({
    queryKey: ['notice-types'],
    queryFn: () => unwrap(api.GET('/notice-types')),
    staleTime: 10 * 60_000,
  });
}

/** After a change: the answer is the notice as it now is; its history, submissions and the list views refresh. */
export function useNoticeChanged(noticeId: string) {
  const queryClient = useQueryClient();
  return async (notice: Notice) => {
    queryClient.setQueryData(noticeKeys.notice(noticeId), notice);
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: noticeKeys.all(noticeId) }),
      queryClient.invalidateQueries({ queryKey: noticeKeys.lists }),
    ]);
  };
}
