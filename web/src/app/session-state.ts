/**
 * The session as the API client sees it, outside React: the current ID token for each request, and whether the
 * API has refused it (401) — which the timeout warning turns into "your session has ended, sign in again"
 * instead of an error on the page. Subscribable so React can re-render on change.
 */
export class SessionState {
  idToken: string | undefined;
  ended = false;
  private readonly listeners = new Set<() => void>();

  setToken(token: string | undefined): void {
    this.idToken = token;
    this.ended = false;
    this.notify();
  }

  markEnded(): void {
    if (this.ended) return;
    this.ended = true;
    this.notify();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = (): boolean => this.ended;

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
