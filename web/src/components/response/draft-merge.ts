import type { DraftAnswer, DraftPatch, ResponseDraft, SaveDraftBody } from './draft-types';

/**
 * The body of a save: the latest draft with the patch applied. `readyForSigning` is kept unless the patch says
 * otherwise, but any change to the answers or the signer withdraws it — what the colleague would sign has changed.
 */
export function saveBody(latest: ResponseDraft, patch: DraftPatch): SaveDraftBody {
  const changesContent = patch.answers !== undefined || patch.signer !== undefined;
  const ready = patch.readyForSigning ?? (changesContent ? false : latest.readyForSigning !== undefined);
  return {
    expectedVersion: latest.version,
    answers: patch.answers ?? latest.answers,
    signer: patch.signer ?? latest.signer,
    submissionId: patch.submissionId === null ? undefined : (patch.submissionId ?? latest.submissionId),
    readyForSigning: ready || undefined,
  };
}

/** Two answer lists say the same thing (so a save that would change nothing need not be sent). */
export function sameAnswers(a: readonly DraftAnswer[], b: readonly DraftAnswer[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, i) => {
    const y = b[i];
    return (
      y !== undefined &&
      x.question === y.question &&
      (x.answer ?? '') === (y.answer ?? '') &&
      (x.cannotAnswer?.reason ?? null) === (y.cannotAnswer?.reason ?? null)
    );
  });
}

/** The answers kept in this browser (local storage) between saves, so nothing typed is lost. */
export interface LocalAnswers {
  answers: DraftAnswer[];
  /** When they were last edited, on the portal's clock (portalNow), so it compares with the server's `savedAt`. */
  editedAt: string;
  /** The server draft version these edits started from. */
  baseVersion: number;
  /** True once the server has confirmed a save of exactly these answers. */
  saved: boolean;
}

export type DraftSource = 'local' | 'server';

/**
 * On reopening the editor, which answers win: the newer of this browser's copy and the server's draft. A copy the
 * server already confirmed never beats the server (the server's is then the same or a colleague's later save); an
 * unsaved local copy wins unless the server's draft was saved after it was last edited.
 */
export function newerAnswers(
  local: LocalAnswers | undefined,
  server: ResponseDraft,
): { source: DraftSource; answers: DraftAnswer[] } {
  if (!local) return { source: 'server', answers: server.answers };
  if (server.version === 0 || server.savedAt === undefined) return { source: 'local', answers: local.answers };
  if (local.saved && server.version >= local.baseVersion) return { source: 'server', answers: server.answers };
  const localMs = Date.parse(local.editedAt);
  const serverMs = Date.parse(server.savedAt);
  return localMs > serverMs
    ? { source: 'local', answers: local.answers }
    : { source: 'server', answers: server.answers };
}

/**
 * One entry per question of the notice, in the notice's order: what the draft says for it, or an empty answer.
 * Entries for questions the notice no longer asks are dropped.
 */
export function answersForQuestions(answers: readonly DraftAnswer[], questions: readonly string[]): DraftAnswer[] {
  const byQuestion = new Map(answers.map((a) => [a.question, a]));
  return questions.map((question) => byQuestion.get(question) ?? { question });
}
