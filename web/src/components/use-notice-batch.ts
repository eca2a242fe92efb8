import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import { useApi } from '../api/api-context';
import { describeError, unwrap } from '../api/api-error';
import { loadBatch, type NoticeBatch, updateItem } from './notice-batch-store';
import { type NoticeFormValues, toCreateDraftRequest } from './notice-form-values';
import type { NoticeType } from './reference-data';

/**
 * Runs a batch one notice at a time: saves the drafts not yet saved, then issues the drafts not yet issued. Each
 * request carries that notice's own stored key, so running again after a failure repeats nothing that succeeded.
 */
export function useNoticeBatch(batchId: string, types: NoticeType[] | undefined) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [batch, setBatch] = useState<NoticeBatch | undefined>(() => loadBatch(batchId));
  const [running, setRunning] = useState<'drafts' | 'issue' | undefined>(undefined);
  const current = useRef(batch);
  const set = useCallback((next: NoticeBatch) => {
    current.current = next;
    setBatch(next);
  }, []);

  const saveDrafts = useCallback(async () => {
    const start = current.current;
    if (!start) return;
    const values = JSON.parse(start.valuesJson) as NoticeFormValues;
    const type = types?.find((t) => t.id === values.type);
    setRunning('drafts');
    for (const [index, item] of start.items.entries()) {
      if (item.noticeId) continue;
      try {
        const draft = await unwrap(
          api.POST('/notices', {
            body: toCreateDraftRequest(values, item.platformId, type),
            headers: { 'idempotency-key': item.createKey },
          }),
        );
        set(updateItem(current.current as NoticeBatch, index, { noticeId: draft.id, error: undefined }));
      } catch (error) {
        set(updateItem(current.current as NoticeBatch, index, { error: `Draft not saved: ${describeError(error)}` }));
      }
    }
    setRunning(undefined);
    void queryClient.invalidateQueries({ queryKey: ['notices'] });
  }, [api, types, queryClient, set]);

  const issueAll = useCallback(async () => {
    const start = current.current;
    if (!start) return;
    setRunning('issue');
    for (const [index, item] of start.items.entries()) {
      if (!item.noticeId || item.issued) continue;
      try {
        await unwrap(
          api.POST('/notices/{noticeId}/issue', {
            params: { path: { noticeId: item.noticeId } },
            headers: { 'idempotency-key': item.issueKey },
          }),
        );
        set(updateItem(current.current as NoticeBatch, index, { issued: true, error: undefined }));
      } catch (error) {
        set(updateItem(current.current as NoticeBatch, index, { error: `Not issued: ${describeError(error)}` }));
      }
    }
    setRunning(undefined);
    void queryClient.invalidateQueries({ queryKey: ['notices'] });
    void queryClient.invalidateQueries({ queryKey: ['notice'] });
  }, [api, queryClient, set]);

  return { batch, running, saveDrafts, issueAll };
}
