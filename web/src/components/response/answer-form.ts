import type { FieldIssue } from '../../api/api-error';
import type { DraftAnswer } from './draft-types';

/** The editor's values for one question: the answer typed, or "I cannot answer" and why. */
export interface AnswerFormValue {
  question: string;
  text: string;
  cannot: boolean;
  reason: string;
}

export interface AnswerFormValues {
  answers: AnswerFormValue[];
}

export function formValuesFrom(answers: readonly DraftAnswer[]): AnswerFormValues {
  return {
    answers: answers.map((a) => ({
      question: a.question,
      text: a.answer ?? '',
      cannot: a.cannotAnswer !== undefined,
      reason: a.cannotAnswer?.reason ?? '',
    })),
  };
}

/**
 * The draft's answers from the editor. A ticked "cannot answer" sends only its reason (the manifest holds one or
 * the other); an empty answer is sent as no answer, which the draft allows and the completeness check names.
 */
export function draftAnswersFrom(values: AnswerFormValues): DraftAnswer[] {
  return values.answers.map(({ question, text, cannot, reason }) => {
    if (cannot) return { question, cannotAnswer: { reason } };
    return text.trim() === '' ? { question } : { question, answer: text };
  });
}

/** The editor field an issue is about, and the message to show next to it, in words for the person answering. */
export function fieldIssue(
  issue: FieldIssue,
  answers: readonly DraftAnswer[],
): { field: `answers.${number}.${'text' | 'reason'}`; message: string } | undefined {
  const match = /^answers\.(\d+)(?:\.(.+))?$/.exec(issue.path);
  if (!match) return undefined;
  const index = Number(match[1]);
  const answer = answers[index];
  if (!answer) return undefined;
  const label = `Question ${answer.question}`;
  if (match[2] === 'cannotAnswer.reason' || (answer.cannotAnswer && match[2] === undefined)) {
    return {
      field: `answers.${index}.reason`,
      message: `${label}: explain why you cannot answer (at least 10 characters)`,
    };
  }
  if (match[2] === 'question') return { field: `answers.${index}.text`, message: `${label}: ${issue.message}` };
  return {
    field: `answers.${index}.text`,
    message: `${label}: enter your answer, or choose "I cannot answer this question" and say why`,
  };
}
