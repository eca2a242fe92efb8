import { Button, ButtonGroup } from '@ag.ds-next/react/button';
import { SectionAlert } from '@ag.ds-next/react/section-alert';
import { Stack } from '@ag.ds-next/react/stack';
import { Text } from '@ag.ds-next/react/text';
import { createRoute, useNavigate } from '@tanstack/react-router';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useSessionUser } from '../auth/auth-context';
import { ErrorSummary, fieldId, type SummaryItem } from '../components/form/error-summary';
import { AWAITING_PLATFORM } from '../components/notice-format';
import { respondHref } from '../components/platform/response-links';
import { answerIssues } from '../components/response/answer-check';
import { ANSWERS_FORM_ID, AnswerField } from '../components/response/answer-field';
import { draftAnswersFrom, fieldIssue, formValuesFrom } from '../components/response/answer-form';
import { DraftConflict } from '../components/response/draft-conflict';
import { answersForQuestions, newerAnswers, sameAnswers } from '../components/response/draft-merge';
import { readLocalAnswers } from '../components/response/local-answers-store';
import { type RespondContext, RespondPage } from '../components/response/respond-page';
import { SaveStatus } from '../components/response/save-status';
import { useAnswersAutosave } from '../components/response/use-answers-autosave';
import { rootRoute } from './root';

export const respondAnswersRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/notices/$noticeId/respond/answers',
  component: RespondAnswers,
});

function RespondAnswers() {
  const { noticeId } = respondAnswersRoute.useParams();
  return (
    <RespondPage noticeId={noticeId} title="Answer the questions">
      {(context) =>
        AWAITING_PLATFORM.includes(context.notice.status) ? (
          <AnswersEditor context={context} />
        ) : (
          <Text as="p">This notice is no longer awaiting a response, so its answers cannot be changed.</Text>
        )
      }
    </RespondPage>
  );
}

/**
 * The answers editor. It opens with the newer of this browser's copy and the platform's saved draft, saves as you
 * type (locally at once, to the server after a pause), shows each question's completeness live — the same rules
 * finalize applies — and on "Save and continue" lists what is missing in the error summary, linked to the fields.
 */
function AnswersEditor({ context }: { context: RespondContext }) {
  const { notice, draft } = context;
  const user = useSessionUser();
  const navigate = useNavigate();
  const questions = notice.requirements.questions ?? [];
  const numbers = questions.map((q) => q.number);
  const [initial] = useState(() => {
    const chosen = newerAnswers(readLocalAnswers(notice.id, user.subject), draft);
    const answers = answersForQuestions(chosen.answers, numbers);
    const restored = chosen.source === 'local' && !sameAnswers(answers, answersForQuestions(draft.answers, numbers));
    return { answers, restored };
  });
  const form = useForm({ defaultValues: formValuesFrom(initial.answers), shouldFocusError: false });
  const autosave = useAnswersAutosave(notice.id, user.subject);
  const [attempt, setAttempt] = useState(0);
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const values = form.watch();
  const current = useMemo(() => draftAnswersFrom(values), [values]);
  const issues = answerIssues(current, questions);
  const incomplete = new Set(issues.map((i) => /^answers\.(\d+)/.exec(i.path)?.[1]).filter(Boolean));

  // Every edit: to local storage now, to the server after a pause. Answers restored from this browser are sent
  // straight away, so the platform's shared draft catches up with them.
  const { changed } = autosave;
  const first = useRef(true);
  useEffect(() => {
    if (first.current && initial.restored) changed(initial.answers);
    first.current = false;
    const subscription = form.watch((v) => changed(draftAnswersFrom(v as typeof values)));
    return () => subscription.unsubscribe();
  }, [form, changed, initial]);

  const leave = async (check: boolean) => {
    await autosave.flush();
    if (check) {
      form.clearErrors();
      const placed = issues.map((issue) => fieldIssue(issue, current)).filter((p) => p !== undefined);
      if (placed.length > 0) {
        for (const p of placed) form.setError(p.field, { type: 'completeness', message: p.message });
        setSummary(placed.map((p) => ({ fieldId: fieldId(ANSWERS_FORM_ID, p.field), message: p.message })));
        setAttempt((n) => n + 1);
        return;
      }
    }
    void navigate({ to: respondHref(notice.id) });
  };

  if (questions.length === 0) {
    return <Text as="p">This notice asks no numbered questions. There is nothing to answer here.</Text>;
  }
  const done = questions.length - incomplete.size;
  return (
    <form
      id={ANSWERS_FORM_ID}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void leave(true);
      }}
    >
      <Stack gap={2}>
        <ErrorSummary items={summary} attempt={attempt} id="answers-errors" />
        {initial.restored && (
          <SectionAlert
            tone="success"
            title="We restored answers you typed in this browser that had not been saved yet."
          />
        )}
        {autosave.state.kind === 'conflict' && (
          <DraftConflict
            theirs={autosave.state.theirs}
            mine={autosave.state.mine}
            timeZone={notice.timeZone}
            keepMine={() => void autosave.flush(true)}
            useTheirs={() => {
              if (autosave.state.kind !== 'conflict') return;
              const theirs = autosave.state.theirs;
              autosave.acceptTheirs(theirs);
              form.reset(formValuesFrom(answersForQuestions(theirs.answers, numbers)));
            }}
          />
        )}
        <Text as="p">
          Answer each question, or say why you cannot. Your answers are saved as you type and shared with your
          platform’s team; they are sent to the regulator only when the response is signed and filed.{' '}
          <strong>
            {done} of {questions.length} questions complete.
          </strong>
        </Text>
        <SaveStatus state={autosave.state} />
        {questions.map((question, index) => (
          <AnswerField
            key={question.number}
            form={form}
            index={index}
            number={question.number}
            text={question.text}
            complete={!incomplete.has(String(index))}
          />
        ))}
        <ButtonGroup>
          <Button type="submit">Save and continue</Button>
          <Button type="button" variant="secondary" onClick={() => void leave(false)}>
            Save and come back later
          </Button>
        </ButtonGroup>
      </Stack>
    </form>
  );
}
