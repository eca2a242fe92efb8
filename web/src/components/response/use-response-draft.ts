import { type QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useApi } from '../../api/api-context';
import { ApiError } from '../../api/api-error';
import type { PortalApi } from '../../api/client';
import { fetchDraft, postDraft } from './draft-api';
import { sameAnswers, saveBody } from './draft-merge';
import type { DraftPatch, ResponseDraft } from './draft-types';

export type { DraftAnswer, DraftPatch, DraftSigner, ResponseDraft } from './draft-types';

export const responseDraftKey = (noticeId: string) => ['response-draft', noticeId] as const;

/** The platform's shared draft of its response to this notice (version 0 when nothing is saved yet). */
export function useResponseDraft(noticeId: string, options: { enabled?: boolean } = {}) {
  const api = useApi();
  return useQuery({
    queryKey: responseDraftKey(noticeId),
    queryFn: () => fetchDraft(api, noticeId),
    enabled: options.enabled ?? true,
  });
}

/**
 * Another user of the platform saved the answers first. `latest` is their draft; the caller shows both and lets
 * the user choose (keep theirs, or overwrite it with `save({answers}, { overwrite: true })`).
 */
export class StaleDraftError extends Error {
  constructor(readonly latest: ResponseDraft) {
    super('Someone else at your platform saved these answers after you opened them.');
    this.name = 'StaleDraftError';
  }
}

const isStale = (error: unknown) => error instanceof ApiError && error.status === 409 && error.code === 'stale-version';

/** Saves one after another per notice, so two saves from one page never race each other for the same version. */
const queues = new Map<string, Promise<unknown>>();

/**
 * `save(patch)`: merges the patch into the latest draft and sends it with that draft's version. When someone else
 * saved first (409 stale-version) it fetches their draft and, if the patch does not touch the answers (a signer,
 * a submission id, "ready for signing"), applies it on top and retries; a patch of answers throws
 * StaleDraftError instead, because silently overwriting a colleague's answers would lose their work. With
 * `{ overwrite: true }` the answers are saved over the latest draft deliberately.
 */
export function useSaveResponseDraft(noticeId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  const save = useCallback(
    (patch: DraftPatch, options: { overwrite?: boolean } = {}): Promise<ResponseDraft> => {
      const previous = queues.get(noticeId) ?? Promise.resolve();
      const next = previous
        .catch(() => undefined)
        .then(() => saveWithRetry(api, queryClient, noticeId, patch, options.overwrite ?? false));
      queues.set(noticeId, next);
      return next;
    },
    [api, noticeId, queryClient],
  );
  return { save };
}

/** A stale version is retried twice at most: a third collision in a row means people are editing at once. */
const MAX_RETRIES = 2;

async function saveWithRetry(
  api: PortalApi,
  queryClient: QueryClient,
  noticeId: string,
  patch: DraftPatch,
  overwrite: boolean,
): Promise<ResponseDraft> {
  const key = responseDraftKey(noticeId);
  const fresh = () => queryClient.fetchQuery({ queryKey: key, queryFn: () => fetchDraft(api, noticeId), staleTime: 0 });
  let base = (!overwrite && queryClient.getQueryData<ResponseDraft>(key)) || (await fresh());
  for (let tries = 0; ; tries += 1) {
    try {
      const saved = await postDraft(api, noticeId, saveBody(base, patch));
      queryClient.setQueryData(key, saved);
      return saved;
    } catch (error) {
      if (!isStale(error) || tries >= MAX_RETRIES) throw error;
      base = await fetchDraft(api, noticeId);
      queryClient.setQueryData(key, base);
      // The draft already holding exactly these answers is our own earlier save that went through (a retry after a
      // lost answer): not a conflict. Anything else is someone else's work, which is never overwritten silently.
      if (patch.answers !== undefined && !overwrite && !sameAnswers(base.answers, patch.answers)) {
        throw new StaleDraftError(base);
      }
    }
  }
}
