import { useCallback, useState } from 'react';

/**
 * One key per user action: the same key on every retry of a submission (after a network error, a double click or
 * a timeout), a new one once it has succeeded. Pass `{ headers: { 'idempotency-key': key } }` with the POST.
 */
export function useIdempotencyKey(): { key: string; renew: () => void } {
  const [key, setKey] = useState(() => crypto.randomUUID());
  const renew = useCallback(() => setKey(crypto.randomUUID()), []);
  return { key, renew };
}
