import type { FieldIssue } from '../../api/api-error';
import type { Submission } from '../../api/types';
import type { ResponseDraft } from './draft-types';

export type TaskStatus = 'not-started' | 'in-progress' | 'completed' | 'cannot-start';
export type TaskId = 'answers' | 'files' | 'review' | 'sign' | 'file';

export const TASK_STATUS_LABELS: Record<TaskStatus, string> = {
  'not-started': 'Not started',
  'in-progress': 'In progress',
  completed: 'Completed',
  'cannot-start': 'Cannot start yet',
};

export interface TaskInputs {
  draft: ResponseDraft;
  /** The notice's question numbers, in order. */
  questions: readonly string[];
  /** answerIssues(draft.answers, questions): the finalize gate on the answers. */
  answerIssues: readonly FieldIssue[];
  /** The draft's submission (GET submission of draft.submissionId), if it has one. */
  submission?: Submission;
  /** A signed response for that submission is waiting in this browser for the file step. */
  signed: boolean;
}

const hasContent = (draft: ResponseDraft) =>
  draft.answers.some((a) => (a.answer ?? '').trim() !== '' || a.cannotAnswer !== undefined);

const hasSigner = (draft: ResponseDraft) => (draft.signer?.name ?? '').trim() !== '';

function answersStatus({ draft, answerIssues }: TaskInputs): TaskStatus {
  if (answerIssues.length === 0) return 'completed';
  return hasContent(draft) ? 'in-progress' : 'not-started';
}

/**
 * Every file of the opened submission is uploaded. A submission opened with no files ("This response has no files")
 * is a response of answers only: there is nothing to upload, so the task is completed as soon as it is opened.
 */
function filesStatus({ draft, submission }: TaskInputs): TaskStatus {
  if (submission?.files.every((f) => f.completedAt !== undefined)) return 'completed';
  return submission || draft.submissionId ? 'in-progress' : 'not-started';
}

function reviewStatus({ draft }: TaskInputs, reviewable: boolean): TaskStatus {
  if (!reviewable) return 'cannot-start';
  if (draft.readyForSigning) return 'completed';
  return hasSigner(draft) ? 'in-progress' : 'not-started';
}

const ALL_DONE: Record<TaskId, TaskStatus> = {
  answers: 'completed',
  files: 'completed',
  review: 'completed',
  sign: 'completed',
  file: 'completed',
};

/**
 * The task list's statuses, GOV.UK style: each task says whether it can be started, is under way or is done, and
 * a later task "cannot start yet" until the ones it depends on are done — review needs the answers and the files,
 * signing needs a signer named on the review page, filing needs the signature.
 */
export function taskStatuses(input: TaskInputs): Record<TaskId, TaskStatus> {
  const { submission } = input;
  if (submission?.status === 'filed' || submission?.receipt) return ALL_DONE;
  const answers = answersStatus(input);
  const files = filesStatus(input);
  const reviewable = answers === 'completed' && files === 'completed';
  const review = reviewStatus(input, reviewable);
  let sign: TaskStatus = 'cannot-start';
  if (reviewable && hasSigner(input.draft)) sign = input.signed ? 'completed' : 'not-started';
  let file: TaskStatus = 'cannot-start';
  if (sign === 'completed') file = submission?.status === 'finalizing' ? 'in-progress' : 'not-started';
  return { answers, files, review, sign, file };
}
