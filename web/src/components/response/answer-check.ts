import type { FieldIssue } from '../../api/api-error';
import type { DraftAnswer } from './draft-types';

/*
 * The live completeness check: the same gate finalize applies. plan-web2.md puts it in
 * lambdas/domain/answer-completeness.ts (`answerIssues`, branch wt-api); until that is merged this mirrors
 * lambdas/domain/submission.ts `completenessIssues` rule for rule, and then becomes a re-export of it.
 */
export function answerIssues(answers: readonly DraftAnswer[], questions: readonly { number: string }[]): FieldIssue[] {
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
    } else if (a.cannotAnswer && a.cannotAnswer.reason.trim().length < 10) {
      issues.push({ path: `${path}.cannotAnswer.reason`, message: 'must explain why (at least 10 characters)' });
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
