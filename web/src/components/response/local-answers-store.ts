import type { LocalAnswers } from './draft-merge';

/*
 * The answers typed in this browser, in localStorage (not sessionStorage): they must survive a reload, a sign-out
 * and an expired session, which is when a legal team most needs them. Keyed by notice and user, so two people who
 * share a computer never see each other's unsaved text. Removed once the response is filed.
 */
const key = (noticeId: string, subject: string) => `response-answers:${noticeId}:${subject}`;

export function readLocalAnswers(noticeId: string, subject: string): LocalAnswers | undefined {
  const raw = window.localStorage.getItem(key(noticeId, subject));
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as LocalAnswers;
    return Array.isArray(value.answers) && typeof value.editedAt === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

export function writeLocalAnswers(noticeId: string, subject: string, value: LocalAnswers): void {
  try {
    window.localStorage.setItem(key(noticeId, subject), JSON.stringify(value));
  } catch {
    // A full or disabled store: the server draft still saves; the status line reports any failure of that.
  }
}

export function forgetLocalAnswers(noticeId: string, subject: string): void {
  window.localStorage.removeItem(key(noticeId, subject));
}
