import { useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../api/api-context';
import type { PortalApi } from '../../api/client';
import { useIdempotencyKey } from '../../api/idempotency-key';
import { useAnnounce } from '../notice/announcer';

/**
 * One administrative change, with the same Idempotency-Key on every retry of it (sent as a plain header: these
 * operations are idempotent by their own keys — platform id, e-mail, thumbprint — and the OpenAPI document does
 * not declare the header for them); afterwards the named queries
 * refresh and `done(result)` is announced in the page's live region (and `after` sees the result, e.g. to show a
 * secret once).
 */
export function useAdminCommand<V, R>(
  send: (api: PortalApi, values: V, headers: { 'idempotency-key': string }) => Promise<R>,
  refresh: readonly (readonly string[])[],
  done: (result: R) => string,
  after?: (result: R) => void,
): (values: V) => Promise<void> {
  const api = useApi();
  const queryClient = useQueryClient();
  const { key, renew } = useIdempotencyKey();
  const announce = useAnnounce();
  return async (values: V) => {
    const result = await send(api, values, { 'idempotency-key': key });
    renew();
    await Promise.all(refresh.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
    after?.(result);
    announce(done(result));
  };
}

/** A textarea of one item a line (or separated by commas) as a list, blanks dropped. */
export function linesOf(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}
