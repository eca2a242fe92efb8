/** The platform's response pages (paths fixed in plan-web2.md so links and browser tests agree). */
const base = (noticeId: string) => `/notices/${encodeURIComponent(noticeId)}`;

export const respondHref = (noticeId: string) => `${base(noticeId)}/respond`;
export type RespondStep = 'answers' | 'files' | 'review' | 'sign' | 'file';
export const respondStepHref = (noticeId: string, step: RespondStep) => `${respondHref(noticeId)}/${step}`;
export const receiptHref = (noticeId: string, submissionId: string) =>
  `${base(noticeId)}/receipt/${encodeURIComponent(submissionId)}`;
