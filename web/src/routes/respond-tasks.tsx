import { Callout } from '@ag.ds-next/react/callout';
import { H2 } from '@ag.ds-next/react/heading';
import { Stack } from '@ag.ds-next/react/stack';
import { TaskList, type TaskListItemStatus } from '@ag.ds-next/react/task-list';
import { Text } from '@ag.ds-next/react/text';
import { TextLink } from '@ag.ds-next/react/text-link';
import { useQuery } from '@tanstack/react-query';
import { createRoute } from '@tanstack/react-router';
import { describeActor } from '../components/notice/event-description';
import { useNow } from '../components/notice/use-now';
import { AWAITING_PLATFORM, dueInWords, formatInZone } from '../components/notice-format';
import { receiptHref, respondStepHref } from '../components/platform/response-links';
import { answerIssues } from '../components/response/answer-check';
import { type RespondContext, RespondPage } from '../components/response/respond-page';
import { type TaskId, type TaskStatus, taskStatuses } from '../components/response/task-statuses';
import { readSignedResponse } from '../signing/signed-response-store';
import { rootRoute } from './root';

export const respondTasksRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/notices/$noticeId/respond',
  component: RespondTasks,
});

const AGDS_STATUS: Record<TaskStatus, TaskListItemStatus> = {
  'not-started': 'todo',
  'in-progress': 'doing',
  completed: 'done',
  'cannot-start': 'blocked',
};

const TASKS: { id: TaskId; label: string; step: Parameters<typeof respondStepHref>[1]; message: string }[] = [
  {
    id: 'answers',
    label: 'Answer the questions',
    step: 'answers',
    message: 'Answer each numbered question, or say why you cannot.',
  },
  {
    id: 'files',
    label: 'Add and upload files',
    step: 'files',
    message: 'Add the documents the notice asks for; each is hashed and uploaded.',
  },
  {
    id: 'review',
    label: 'Check your response',
    step: 'review',
    message: 'See exactly what will be signed and name who signs it.',
  },
  {
    id: 'sign',
    label: 'Sign the response',
    step: 'sign',
    message: 'Sign in this browser with your platform’s registered key.',
  },
  { id: 'file', label: 'File the response', step: 'file', message: 'Send it to the regulator and get your receipt.' },
];

/** The GOV.UK task list for one response: five tasks in order, each with its status. */
function RespondTasks() {
  const { noticeId } = respondTasksRoute.useParams();
  return (
    <RespondPage noticeId={noticeId} title="Respond to this notice" back="notice">
      {(context) => <Tasks context={context} />}
    </RespondPage>
  );
}

function Tasks({ context }: { context: RespondContext }) {
  const { notice, draft, submission, questions } = context;
  const now = useNow(60_000);
  const submissionId = draft.submissionId;
  // The sign step leaves the signed response in this browser (sessionStorage, and IndexedDB for a closed tab).
  const signedResponse = useQuery({
    queryKey: ['signed-response', notice.id, submissionId ?? 'none'],
    queryFn: async () => (submissionId ? ((await readSignedResponse(notice.id, submissionId)) ?? null) : null),
  });
  const signed = Boolean(signedResponse.data);
  const statuses = taskStatuses({
    draft,
    questions,
    answerIssues: answerIssues(draft.answers, notice.requirements.questions ?? []),
    submission,
    signed,
  });
  const done = Object.values(statuses).filter((s) => s === 'completed').length;
  const left = notice.dueAt ? dueInWords(notice.dueAt, now) : undefined;
  if (submission?.receipt) {
    return (
      <Callout title="This response has been filed">
        <Text as="p">
          Receipt {submission.receipt.number}, filed {formatInZone(submission.receipt.filedAt, notice.timeZone)}.{' '}
          <TextLink href={receiptHref(notice.id, submission.submissionId)}>View the receipt</TextLink>
        </Text>
      </Callout>
    );
  }
  return (
    <Stack gap={2}>
      {notice.dueAt && (
        <Text as="p">
          Due <strong>{formatInZone(notice.dueAt, notice.timeZone)}</strong>
          {left && AWAITING_PLATFORM.includes(notice.status) ? ` — ${left.text.toLowerCase()}` : ''}.
        </Text>
      )}
      {draft.readyForSigning && (
        <Callout title={`Prepared by ${describeActor(draft.readyForSigning.by)}, ready for signing`}>
          <Text as="p">
            Marked ready {formatInZone(draft.readyForSigning.at, notice.timeZone)}
            {draft.signer?.name ? `, to be signed by ${draft.signer.name}` : ''}. Anyone at your platform with a
            registered signing key can sign and file it.
          </Text>
        </Callout>
      )}
      <Stack gap={1}>
        <H2>Your response</H2>
        <Text as="p">
          {done} of {TASKS.length} tasks completed.
          {draft.savedAt
            ? ` Last saved ${formatInZone(draft.savedAt, notice.timeZone)}${draft.savedBy ? ` by ${describeActor(draft.savedBy)}` : ''}.`
            : ' Nothing saved yet.'}{' '}
          Your work is saved as you go and shared with the rest of your platform’s team.
        </Text>
        <TaskList
          ordered
          items={TASKS.map((task) => ({
            label: task.label,
            href: respondStepHref(notice.id, task.step),
            status: AGDS_STATUS[statuses[task.id]],
            message: statuses[task.id] === 'cannot-start' ? cannotStartBecause(task.id) : task.message,
          }))}
        />
      </Stack>
    </Stack>
  );
}

function cannotStartBecause(task: TaskId): string {
  switch (task) {
    case 'review':
      return 'Answer every question and finish uploading your files first.';
    case 'sign':
      return 'Complete the check and name who signs the response first.';
    case 'file':
      return 'Sign the response first.';
    default:
      return '';
  }
}
