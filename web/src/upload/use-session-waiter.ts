import { useCallback, useEffect, useRef } from 'react';
import { useAuth } from '../auth/auth-context';

/**
 * For the upload engine: a promise that resolves once the session is usable again after the API refused it
 * (401). The session state marks itself ended on a 401 and clears that when a renewed or new session is adopted,
 * so the waiter resolves on that change. Stable across renders, since the engine keeps the function it was given.
 */
export function useSessionWaiter(): (signal: AbortSignal) => Promise<void> {
  const { ended, user } = useAuth();
  const waiters = useRef(new Set<() => void>());
  const usable = !ended && Boolean(user?.idToken);
  const usableRef = useRef(usable);
  usableRef.current = usable;

  useEffect(() => {
    if (!usable) return;
    for (const wake of waiters.current) wake();
    waiters.current.clear();
  }, [usable]);

  return useCallback(
    (signal: AbortSignal) =>
      new Promise<void>((resolve, reject) => {
        // Refused although the session looks fine (it was renewed as the request went out): try again shortly.
        if (usableRef.current) {
          setTimeout(resolve, 2000);
          return;
        }
        const wake = () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          waiters.current.delete(wake);
          reject(new DOMException('Stopped', 'AbortError'));
        };
        waiters.current.add(wake);
        signal.addEventListener('abort', onAbort, { once: true });
      }),
    [],
  );
}
