import { useSyncExternalStore } from 'react';

/**
 * Whether any upload is running in this tab, for the session timeout: while one runs the session is renewed
 * silently instead of warning or ending (an expiring session must never interrupt an upload). Module state
 * rather than React context because upload engines live outside the component tree that shows the dialog.
 */
const active = new Set<string>();
const listeners = new Set<() => void>();

export function setUploadActive(id: string, running: boolean): void {
  const before = active.size > 0;
  if (running) active.add(id);
  else active.delete(id);
  if (before !== active.size > 0) for (const listener of listeners) listener();
}

export function uploadsRunning(): boolean {
  return active.size > 0;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** True while any upload runs. */
export function useUploadActivity(): boolean {
  return useSyncExternalStore(subscribe, uploadsRunning);
}
