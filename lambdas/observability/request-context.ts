import { AsyncLocalStorage } from 'node:async_hooks';
import type { Caller } from '../domain/caller';

/** Who is calling, as written on a log line: never a token, a name or an e-mail address. */
export interface LoggedCaller {
  kind: 'anonymous' | 'user' | 'api-client';
  id: string;
  platform?: string;
}

/** What every log line written while an API request is being answered carries (see log-formatter.ts). */
export interface RequestLogKeys {
  /** API Gateway's request id: the one the client sees in an error body. */
  requestId: string;
  /** The route key, e.g. `GET /notices/{noticeId}`. */
  route?: string;
  caller: LoggedCaller;
}

/**
 * Per request, not per process: the local portal answers many requests at once in one process, where a logger's
 * appended keys would be shared between them. On AWS a function answers one request at a time; this works the same.
 */
const storage = new AsyncLocalStorage<RequestLogKeys>();

export const ANONYMOUS_CALLER: LoggedCaller = { kind: 'anonymous', id: 'anonymous' };

/** Runs `work` with `keys` on every log line it writes, including lines from the modules it calls. */
export function withRequestLogKeys<T>(keys: RequestLogKeys, work: () => Promise<T>): Promise<T> {
  return storage.run(keys, work);
}

/** The keys of the request being answered, if any. */
export function currentRequestLogKeys(): RequestLogKeys | undefined {
  return storage.getStore();
}

/** Records the authenticated caller on the current request's lines from here on. */
export function setLoggedCaller(caller: Caller): void {
  const keys = storage.getStore();
  if (keys) keys.caller = loggedCaller(caller);
}

export function loggedCaller(caller: Caller): LoggedCaller {
  if (caller.subject === 'anonymous' && caller.roles.length === 0) return ANONYMOUS_CALLER;
  return {
    kind: caller.via ?? 'user',
    id: caller.subject,
    ...(caller.platformId ? { platform: caller.platformId } : {}),
  };
}
