import { ButtonLink } from '@ag.ds-next/react/button';
import { Callout } from '@ag.ds-next/react/callout';
import { Details } from '@ag.ds-next/react/details';
import { H2 } from '@ag.ds-next/react/heading';
import { PageAlert } from '@ag.ds-next/react/page-alert';
import { Stack } from '@ag.ds-next/react/stack';
import { SummaryList } from '@ag.ds-next/react/summary-list';
import { Text } from '@ag.ds-next/react/text';
import { TextLink } from '@ag.ds-next/react/text-link';
import { createRoute } from '@tanstack/react-router';
import { formatBytesExact as formatBytes } from '../../../lambdas/domain/byte-size';
import { portalNow } from '../api/portal-clock';
import { Announcements, AnnouncerProvider, useAnnounce } from '../components/notice/announcer';
import { describeActor } from '../components/notice/event-description';
import { SummaryRow } from '../components/notice/summary-row';
import { formatInZone } from '../components/notice-format';
import { respondStepHref } from '../components/platform/response-links';
import { answerIssues } from '../components/response/answer-check';
import { type RespondContext, RespondPage } from '../components/response/respond-page';
import { CONTINUE_TO_SIGNING_ID, SignerForm } from '../components/response/signer-form';
import { buildManifest, manifestBytes } from '../signing/manifest';
import { rootRoute } from './root';

export const respondReviewRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/notices/$noticeId/respond/review',
  component: RespondReview,
});

/** GOV.UK "check answers": exactly what will be signed — every answer, every file, the signer, the manifest. */
function RespondReview() {
  const { noticeId } = respondReviewRoute.useParams();
  return (
    <AnnouncerProvider>
      <RespondPage noticeId={noticeId} title="Check your response">
        {(context) => <Review context={context} />}
      </RespondPage>
    </AnnouncerProvider>
  );
}

function Review({ context }: { context: RespondContext }) {
  const { notice, draft, submission } = context;
  const announce = useAnnounce();
  const questions = notice.requirements.questions ?? [];
  const issues = answerIssues(draft.answers, questions);
  const filesPending = !submission || submission.files.some((f) => f.completedAt === undefined);
  const complete = issues.length === 0 && !filesPending;
  const byQuestion = new Map(draft.answers.map((a) => [a.question, a]));
  const manifest = submission
    ? buildManifest({
        notice,
        submission,
        answers: draft.answers,
        signer: draft.signer ?? { name: '' },
        signedAt: portalNow().toISOString(),
      })
    : undefined;
  return (
    <Stack gap={3}>
      <Announcements />
      {!complete && (
        <PageAlert tone="warning" title="Your response is not ready to sign yet">
          <ul css={{ margin: 0, paddingLeft: '1.25rem' }}>
            {issues.length > 0 && (
              <li>
                {issues.length === 1 ? 'One answer is' : `${issues.length} answers are`} not complete.{' '}
                <TextLink href={respondStepHref(notice.id, 'answers')}>Finish the answers</TextLink>
              </li>
            )}
            {filesPending && (
              <li>
                {submission ? 'Some files have not finished uploading.' : 'No files have been added yet.'}{' '}
                <TextLink href={respondStepHref(notice.id, 'files')}>Add and upload files</TextLink>
              </li>
            )}
          </ul>
        </PageAlert>
      )}
      {draft.readyForSigning && (
        <Callout title={`Prepared by ${describeActor(draft.readyForSigning.by)}, ready for signing`}>
          <Text as="p">
            Marked ready {formatInZone(draft.readyForSigning.at, notice.timeZone)}. Changing the answers or the signer
            withdraws the mark.
          </Text>
        </Callout>
      )}
      <Stack gap={1} as="section" aria-labelledby="answers-heading">
        <H2 id="answers-heading">Answers</H2>
        <SummaryList>
          {questions.map((q) => {
            const a = byQuestion.get(q.number);
            return (
              <SummaryRow key={q.number} term={`Question ${q.number}: ${q.text}`}>
                {a?.cannotAnswer
                  ? `Cannot answer. Reason: ${a.cannotAnswer.reason}`
                  : a?.answer?.trim()
                    ? a.answer
                    : 'Not answered yet'}
              </SummaryRow>
            );
          })}
        </SummaryList>
        <Text as="p">
          <TextLink href={respondStepHref(notice.id, 'answers')}>Change your answers</TextLink>
        </Text>
      </Stack>
      <Stack gap={1} as="section" aria-labelledby="files-heading">
        <H2 id="files-heading">Files</H2>
        {!submission || submission.files.length === 0 ? (
          <Text as="p">No files.</Text>
        ) : (
          <ul aria-label="Files to be signed" css={{ listStyle: 'none', margin: 0, padding: 0 }}>
            {[...submission.files]
              .sort((a, b) => a.index - b.index)
              .map((file) => (
                <li key={file.index} css={{ marginBottom: '1rem' }}>
                  <SummaryList>
                    <SummaryRow term="File">{file.name}</SummaryRow>
                    <SummaryRow term="Size">{formatBytes(file.size)}</SummaryRow>
                    <SummaryRow term="SHA-256">
                      <code css={{ wordBreak: 'break-all' }}>{file.declaredSha256}</code>
                      {file.completedAt ? '' : ' (upload not finished)'}
                    </SummaryRow>
                  </SummaryList>
                </li>
              ))}
          </ul>
        )}
        <Text as="p">
          <TextLink href={respondStepHref(notice.id, 'files')}>Change the files</TextLink>
        </Text>
      </Stack>
      <SignerForm
        noticeId={notice.id}
        draft={draft}
        complete={complete}
        timeZone={notice.timeZone}
        onSaved={announce}
      />
      {manifest && (
        <Details label="The manifest that will be signed">
          <Stack gap={1}>
            <Text as="p" fontSize="sm">
              This is the exact text your signature covers (canonical JSON, RFC 8785). Its signedAt is set to the moment
              you sign; everything else is as shown.
            </Text>
            <pre css={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: '0.875rem', margin: 0 }}>
              {manifestBytes(manifest)}
            </pre>
          </Stack>
        </Details>
      )}
      {complete && draft.signer?.name && <ContinueToSigning noticeId={notice.id} ready={!!draft.readyForSigning} />}
    </Stack>
  );
}

/** Primary once the response is marked ready; until then marking it is the main action and signing straight away the other. */
function ContinueToSigning({ noticeId, ready }: { noticeId: string; ready: boolean }) {
  return (
    <div>
      <ButtonLink
        id={CONTINUE_TO_SIGNING_ID}
        href={respondStepHref(noticeId, 'sign')}
        variant={ready ? 'primary' : 'secondary'}
      >
        Continue to signing
      </ButtonLink>
    </div>
  );
}
