import { useApi } from '../../api/api-context';
import type { PortalApi } from '../../api/client';
import { useIdempotencyKey } from '../../api/idempotency-key';
import type { Notice } from '../../api/types';
import { useAnnounce } from './announcer';
import { useNoticeChanged } from './notice-queries';

/**
 * Runs one command on a notice with the same Idempotency-Key on every retry of it (a double click, a timeout, a
 * retry after an error all record the change once), then refreshes the notice and its history and announces
 * `done(notice)` in the page's live region. The key is renewed once the change is recorded.
 */
export function useNoticeCommand<V>(
  noticeId: string,
  send: (api: PortalApi, values: V, header: { 'Idempotency-Key': string }) => Promise<Notice>,
  done: (notice: Notice) => string,
): (values: V) => Promise<void> {
  const api = useApi();
  const { key, renew } = useIdempotencyKey();
  const changed = useNoticeChanged(noticeId);
  const announce = useAnnounce();
  return async (values: V) => {
    const notice = await send(api, values, { 'Idempotency-Key': key });
    renew();
    await changed(notice);
    announce(done(notice));
  };
}
