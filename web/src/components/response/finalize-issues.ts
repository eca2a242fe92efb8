import type { FieldIssue } from '../../api/api-error';
import type { RespondStep } from '../platform/response-links';

/** One refusal of finalize, in words, with the step of the task list where it is put right. */
export interface FinalizeProblem {
  message: string;
  step: RespondStep;
}

const STEP_NAMES: Record<RespondStep, string> = {
  answers: 'Answer the questions',
  files: 'Add and upload files',
  review: 'Check your response',
  sign: 'Sign the response',
  file: 'File the response',
};
export const stepName = (step: RespondStep) => STEP_NAMES[step];

/**
 * The API's field issues on finalize (`manifest.answers.0.answer`, `manifest.files.1.sha256`, `signature`, …)
 * as problems a person can act on: which question or file, what is wrong, and which task fixes it.
 */
export function finalizeProblems(
  issues: readonly FieldIssue[],
  answers: readonly { question: string }[],
): FinalizeProblem[] {
  return issues.map((issue) => {
    const answer = /^manifest\.answers\.(\d+)/.exec(issue.path);
    if (answer) {
      const q = answers[Number(answer[1])]?.question;
      return { message: `${q ? `Question ${q}` : 'An answer'}: ${issue.message}`, step: 'answers' };
    }
    if (issue.path === 'manifest.answers') return { message: `Answers: ${issue.message}`, step: 'answers' };
    const file = /^(?:manifest\.)?files\.(\d+)/.exec(issue.path);
    if (file) return { message: `File ${Number(file[1]) + 1}: ${issue.message}`, step: 'files' };
    if (issue.path.startsWith('manifest.signer')) return { message: `Signer: ${issue.message}`, step: 'review' };
    if (issue.path === 'signature' || issue.path.startsWith('manifest.signedAt')) {
      return { message: `Signature: ${issue.message}`, step: 'sign' };
    }
    return { message: `${issue.path || 'The response'}: ${issue.message}`, step: 'review' };
  });
}
