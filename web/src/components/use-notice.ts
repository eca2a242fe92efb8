import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context';
import { unwrap } from '../api/api-error';

/** One notice (`GET /notices/{id}`), keyed `['notice', id]` so an issue or other change can update it in place. */
export function useNotice(noticeId: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['notice', noticeId],
    queryFn: () => unwrap(api.GET('/notices/{noticeId}', { params: { path: { noticeId } } })),
  });
}
