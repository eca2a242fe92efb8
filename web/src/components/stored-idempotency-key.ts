/**
 * An Idempotency-Key that outlives the page: kept in sessionStorage under `scope` (e.g. `issue:ntc_…`), so a
 * retry after a reload or after signing in again sends the same key, and the API returns the first result
 * instead of acting twice. `forget` once the action has succeeded.
 */
export function storedIdempotencyKey(scope: string): string {
  const name = `idempotency:${scope}`;
  const existing = window.sessionStorage.getItem(name);
  if (existing) return existing;
  const key = crypto.randomUUID();
  window.sessionStorage.setItem(name, key);
  return key;
}

export function forgetIdempotencyKey(scope: string): void {
  window.sessionStorage.removeItem(`idempotency:${scope}`);
}
