import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../api/api-context';
import { unwrap } from '../api/api-error';
import { forgetIdempotencyKey, storedIdempotencyKey } from './stored-idempotency-key';

/**
 * Issues a draft (`POST /notices/{id}/issue`). The key is kept for the notice until it succeeds, so pressing
 * "Issue" again after a failure — even after a reload — cannot give the notice twice.
 */
export function useIssueNotice() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ noticeId, key }: { noticeId: string; key?: string }) =>
      unwrap(
        api.POST('/notices/{noticeId}/issue', {
          params: { path: { noticeId } },
          headers: { 'idempotency-key': key ?? storedIdempotencyKey(`issue:${noticeId}`) },
        }),
      ),
    onSuccess: (notice) => {
      forgetIdempotencyKey(`issue:${notice.id}`);
      queryClient.setQueryData(['notice', notice.id], notice);
      void queryClient.invalidateQueries({ queryKey: ['notices'] });
    },
  });
}
