import { useEffect, useState } from 'react';

/** The current time, re-read every `intervalMs` so countdowns and "overdue" stay true while the page is open. */
export function useNow(intervalMs = 1000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
