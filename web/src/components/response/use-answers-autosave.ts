import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from '../../api/api-error';
import { portalNow } from '../../api/portal-clock';
import type { DraftAnswer, ResponseDraft } from './draft-types';
import { writeLocalAnswers } from './local-answers-store';
import { responseDraftKey, StaleDraftError, useSaveResponseDraft } from './use-response-draft';

export type SaveState =
  | { kind: 'idle' }
  | { kind: 'pending' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: string }
  | { kind: 'failed'; message: string }
  | { kind: 'conflict'; theirs: ResponseDraft; mine: DraftAnswer[] };

/** Long enough not to save on every key, short enough that little is at risk (the local copy covers the rest). */
export const AUTOSAVE_DELAY_MS = 1500;

/**
 * Autosave of the answers: every change goes to this browser's local storage at once (it survives a reload, a
 * sign-out and an expired session), and to the platform's shared server draft after a pause in typing. A save
 * that finds a colleague's newer draft stops autosaving and reports the conflict; the page offers the choice.
 */
export function useAnswersAutosave(noticeId: string, subject: string) {
  const queryClient = useQueryClient();
  const { save } = useSaveResponseDraft(noticeId);
  const [state, setState] = useState<SaveState>({ kind: 'idle' });
  const pending = useRef<DraftAnswer[] | undefined>(undefined);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const conflicted = useRef(false);

  const flush = useCallback(
    async (overwrite = false): Promise<boolean> => {
      clearTimeout(timer.current);
      const answers = pending.current;
      if (!answers) return !conflicted.current;
      if (conflicted.current && !overwrite) return false;
      pending.current = undefined;
      setState({ kind: 'saving' });
      try {
        const saved = await save({ answers }, { overwrite });
        conflicted.current = false;
        setState(afterSave(noticeId, subject, answers, saved, pending.current !== undefined));
        return true;
      } catch (error) {
        pending.current = pending.current ?? answers;
        if (error instanceof StaleDraftError) {
          conflicted.current = true;
          setState({ kind: 'conflict', theirs: error.latest, mine: pending.current });
        } else {
          setState({ kind: 'failed', message: describeError(error) });
        }
        return false;
      }
    },
    [noticeId, save, subject],
  );

  /** Called with the answers after every edit. */
  const changed = useCallback(
    (answers: DraftAnswer[]) => {
      writeLocalAnswers(noticeId, subject, {
        answers,
        editedAt: portalNow().toISOString(),
        baseVersion: queryClient.getQueryData<ResponseDraft>(responseDraftKey(noticeId))?.version ?? 0,
        saved: false,
      });
      pending.current = answers;
      if (conflicted.current) {
        setState((s) => (s.kind === 'conflict' ? { ...s, mine: answers } : s));
        return;
      }
      setState({ kind: 'pending' });
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void flush(), AUTOSAVE_DELAY_MS);
    },
    [flush, noticeId, subject, queryClient],
  );

  /** The colleague's draft is taken instead: nothing of ours is pending any more. */
  const acceptTheirs = useCallback(
    (theirs: ResponseDraft) => {
      pending.current = undefined;
      conflicted.current = false;
      writeLocalAnswers(noticeId, subject, {
        answers: theirs.answers,
        editedAt: theirs.savedAt ?? portalNow().toISOString(),
        baseVersion: theirs.version,
        saved: true,
      });
      setState({ kind: 'saved', at: theirs.savedAt ?? portalNow().toISOString() });
    },
    [noticeId, subject],
  );

  // Leaving the page saves what is pending (the local copy already holds it if this does not finish).
  useEffect(
    () => () => {
      if (pending.current && !conflicted.current) void flush();
    },
    [flush],
  );

  return { state, changed, flush, acceptTheirs };
}

/**
 * Only what the server now holds is marked saved locally; anything typed while the save was under way is still
 * pending (and its own save follows).
 */
function afterSave(
  noticeId: string,
  subject: string,
  answers: DraftAnswer[],
  saved: ResponseDraft,
  morePending: boolean,
): SaveState {
  if (morePending) return { kind: 'pending' };
  const at = saved.savedAt ?? portalNow().toISOString();
  writeLocalAnswers(noticeId, subject, { answers, editedAt: at, baseVersion: saved.version, saved: true });
  return { kind: 'saved', at };
}
