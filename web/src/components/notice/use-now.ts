import { useEffect, useState } from 'react';
import { portalNow } from '../../api/portal-clock';

/** The current time on the portal's clock (see portal-clock.ts), re-read every `intervalMs` so countdowns and "overdue" stay true while the page is open. */
export function useNow(intervalMs = 1000): Date {
  const [now, setNow] = useState(() => portalNow());
  useEffect(() => {
    const timer = setInterval(() => setNow(portalNow()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
