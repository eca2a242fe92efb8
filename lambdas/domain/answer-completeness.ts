import type { FieldIssue } from './errors';
import type { Question } from './notice';

/**
 * The completeness gate on a response's answers: every numbered question answered, or "cannot answer" with a
 * reason; no question answered twice, none the notice does not ask. Finalize refuses a manifest that fails it
 * (`completenessIssues` in submission.ts), and the web app runs the same function on the draft as the user types,
 * so the live check can never disagree with the portal. Kept free of runtime imports (no `node:*`, no jose, not
 * even zod) so that the browser bundle can import it directly.
 */

/** An answer as a draft or a manifest holds it; a draft's may still be partial (both members, or neither). */
export interface AnswerLike {
  question: string;
  answer?: string;
  cannotAnswer?: { reason: string };
}

/** The shortest reason accepted for "cannot answer": long enough to say why, not just "n/a". */
export const MIN_CANNOT_ANSWER_REASON = 10;

/**
 * The issues with `answers` against the notice's `questions`, with paths `answers.<i>`, `answers.<i>.answer`,
 * `answers.<i>.cannotAnswer.reason`, `answers.<i>.question`, or `answers` for a question with no answer at all.
 * Empty when the answers can be filed.
 */
export function answerIssues(
  answers: readonly AnswerLike[],
  questions: readonly Pick<Question, 'number'>[],
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const asked = new Set(questions.map((q) => q.number));
  const seen = new Set<string>();
  answers.forEach((a, i) => {
    const path = `answers.${i}`;
    if (!asked.has(a.question))
      issues.push({ path: `${path}.question`, message: `the notice has no question ${a.question}` });
    if (seen.has(a.question))
      issues.push({ path: `${path}.question`, message: `question ${a.question} is answered twice` });
    seen.add(a.question);
    if ((a.answer === undefined) === (a.cannotAnswer === undefined)) {
      issues.push({ path, message: 'give either an answer or cannotAnswer with a reason, not both or neither' });
    } else if (a.answer !== undefined && a.answer.trim() === '') {
      issues.push({ path: `${path}.answer`, message: 'must not be blank' });
    } else if (a.cannotAnswer && a.cannotAnswer.reason.trim().length < MIN_CANNOT_ANSWER_REASON) {
      issues.push({
        path: `${path}.cannotAnswer.reason`,
        message: `must explain why (at least ${MIN_CANNOT_ANSWER_REASON} characters)`,
      });
    }
  });
  for (const q of questions) {
    if (!seen.has(q.number)) {
      issues.push({
        path: 'answers',
        message: `question ${q.number} is unanswered; answer it or say why it cannot be answered`,
      });
    }
  }
  return issues;
}
