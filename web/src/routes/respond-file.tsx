import { Button } from '@ag.ds-next/react/button';
import { PageAlert } from '@ag.ds-next/react/page-alert';
import { Stack } from '@ag.ds-next/react/stack';
import { SummaryList } from '@ag.ds-next/react/summary-list';
import { Text } from '@ag.ds-next/react/text';
import { TextLink } from '@ag.ds-next/react/text-link';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createRoute, useNavigate } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { canonicalJson } from '../../../lambdas/domain/canonical-json';
import { useApi } from '../api/api-context';
import { ApiError, type FieldIssue, unwrap } from '../api/api-error';
import type { Submission } from '../api/types';
import { useSessionUser } from '../auth/auth-context';
import { ErrorSummary } from '../components/form/error-summary';
import { noticeKeys } from '../components/notice/notice-queries';
import { SummaryRow } from '../components/notice/summary-row';
import { formatInZone } from '../components/notice-format';
import { receiptHref, respondStepHref } from '../components/platform/response-links';
import { type FinalizeProblem, finalizeProblems, stepName } from '../components/response/finalize-issues';
import { forgetLocalAnswers } from '../components/response/local-answers-store';
import { type RespondContext, RespondPage, useDraftSubmission } from '../components/response/respond-page';
import { forgetIdempotencyKey, storedIdempotencyKey } from '../components/stored-idempotency-key';
import { buildManifest } from '../signing/manifest';
import { clearSignedResponse, readSignedResponse, type SignedResponse } from '../signing/signed-response-store';
import { rootRoute } from './root';

export const respondFileRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/notices/$noticeId/respond/file',
  component: RespondFile,
});

function RespondFile() {
  const { noticeId } = respondFileRoute.useParams();
  return (
    <RespondPage noticeId={noticeId} title="File the response">
      {(context) => <FileStep context={context} />}
    </RespondPage>
  );
}

type Phase =
  | { kind: 'ready' }
  | { kind: 'sending' }
  | { kind: 'verifying' }
  | { kind: 'refused'; problems: FinalizeProblem[]; attempt: number };

/** The answers and files as signed, against what the draft now holds: a signature over older content is not filed. */
function signedContentMatches(signed: SignedResponse, context: RespondContext): boolean {
  if (!context.submission) return false;
  const now = buildManifest({
    notice: context.notice,
    submission: context.submission,
    answers: context.draft.answers,
    signer: signed.manifest.signer,
    signedAt: signed.manifest.signedAt,
  });
  const content = (m: typeof now) => canonicalJson({ files: m.files, answers: m.answers, id: m.submissionId });
  return content(now) === content(signed.manifest);
}

/**
 * Finalize: sends the signed manifest and signature with an Idempotency-Key kept for this submission (a retry
 * after a reload or a lost answer files it once). While the portal hashes the stored files ("verifying") it says
 * so in a live region and polls the submission until it is filed; then the receipt page opens.
 */
function FileStep({ context }: { context: RespondContext }) {
  const { notice, draft } = context;
  const submissionId = draft.submissionId;
  const api = useApi();
  const user = useSessionUser();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [phase, setPhase] = useState<Phase>({ kind: 'ready' });
  const signed = useQuery({
    queryKey: ['signed-response', notice.id, submissionId ?? 'none'],
    queryFn: async () => (submissionId ? ((await readSignedResponse(notice.id, submissionId)) ?? null) : null),
  });
  const polled = useDraftSubmission(notice.id, submissionId, phase.kind === 'verifying');
  const answers = signed.data?.manifest.answers ?? [];

  const filed = async (submission: Submission) => {
    if (!submissionId) return;
    forgetIdempotencyKey(`finalize:${submissionId}`);
    forgetLocalAnswers(notice.id, user.subject);
    await clearSignedResponse(notice.id, submissionId);
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: noticeKeys.all(notice.id) }),
      queryClient.invalidateQueries({ queryKey: noticeKeys.lists }),
      queryClient.invalidateQueries({ queryKey: ['response-draft', notice.id] }),
    ]);
    void navigate({ to: receiptHref(notice.id, submission.submissionId) });
  };

  // While verifying: filed (a receipt) ends it; a problem found in the stored files is shown as a refusal.
  const current = polled.data;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `filed` and `answers` are new each render; only a new poll result (or phase) should act
  useEffect(() => {
    if (phase.kind !== 'verifying' || !current) return;
    if (current.receipt) void filed(current);
    else if (current.status === 'open' && current.lastError) {
      setPhase({ kind: 'refused', problems: finalizeProblems(current.lastError.issues, answers), attempt: Date.now() });
    }
  }, [phase.kind, current]);

  if (!submissionId || signed.isPending) {
    return submissionId ? null : <NotSigned noticeId={notice.id} reason="No files have been added yet." />;
  }
  if (!signed.data) return <NotSigned noticeId={notice.id} reason="There is no signed response in this browser." />;
  const signedResponse = signed.data;
  const stale = !signedContentMatches(signedResponse, context);

  const send = async () => {
    setPhase({ kind: 'sending' });
    try {
      const result = await unwrap(
        api.POST('/notices/{noticeId}/submissions/{submissionId}/finalize', {
          params: { path: { noticeId: notice.id, submissionId } },
          body: { manifest: signedResponse.manifest, signature: signedResponse.signature },
          headers: { 'Idempotency-Key': storedIdempotencyKey(`finalize:${submissionId}`) },
        }),
      );
      if (result.status === 'filed' || result.submission.receipt) await filed(result.submission);
      else setPhase({ kind: 'verifying' });
    } catch (error) {
      const issues: FieldIssue[] =
        error instanceof ApiError && error.issues.length > 0
          ? error.issues
          : [{ path: '', message: error instanceof Error ? error.message : 'The response was not filed.' }];
      setPhase({ kind: 'refused', problems: finalizeProblems(issues, answers), attempt: Date.now() });
    }
  };

  const m = signedResponse.manifest;
  const steps = phase.kind === 'refused' ? [...new Set(phase.problems.map((p) => p.step))] : [];
  return (
    <Stack gap={2}>
      {phase.kind === 'refused' && (
        <Stack gap={1}>
          <ErrorSummary
            items={phase.problems.map((p) => ({ message: p.message }))}
            attempt={phase.attempt}
            id="file-errors"
          />
          <ul css={{ margin: 0, paddingLeft: '1.25rem' }} aria-label="Where to put it right">
            {steps.map((step) => (
              <li key={step}>
                <TextLink href={respondStepHref(notice.id, step)}>{stepName(step)}</TextLink>
              </li>
            ))}
          </ul>
        </Stack>
      )}
      {stale && (
        <PageAlert tone="warning" title="The response changed after it was signed">
          <Text as="p">
            The answers or files are no longer what was signed.{' '}
            <TextLink href={respondStepHref(notice.id, 'sign')}>Sign the response again</TextLink> before filing it.
          </Text>
        </PageAlert>
      )}
      <Text as="p">
        Filing sends the signed response to the regulator. The portal checks the signature and the SHA-256 of every
        stored file against the manifest, then gives you a signed receipt. The time it receives your request is the
        filing time.
      </Text>
      <SummaryList>
        <SummaryRow term="Signed by">
          {[m.signer.name, m.signer.title, m.signer.email].filter(Boolean).join(', ')}
        </SummaryRow>
        <SummaryRow term="Signed at">{formatInZone(m.signedAt, notice.timeZone)}</SummaryRow>
        <SummaryRow term="Answers">{String(m.answers.length)}</SummaryRow>
        <SummaryRow term="Files">{String(m.files.length)}</SummaryRow>
        {notice.dueAt && <SummaryRow term="Due">{formatInZone(notice.dueAt, notice.timeZone)}</SummaryRow>}
      </SummaryList>
      <div role="status" aria-live="polite" aria-atomic="true">
        {phase.kind === 'verifying' && (
          <PageAlert tone="info" title="The portal is verifying your files">
            <Text as="p">
              It is working out the SHA-256 of each stored file and comparing it with the manifest. Your filing time is
              already recorded. This page moves on by itself when the receipt is ready.
            </Text>
          </PageAlert>
        )}
      </div>
      <div>
        <Button
          onClick={() => void send()}
          disabled={stale || phase.kind === 'verifying'}
          loading={phase.kind === 'sending'}
          loadingLabel="Filing"
        >
          File the response
        </Button>
      </div>
    </Stack>
  );
}

function NotSigned({ noticeId, reason }: { noticeId: string; reason: string }) {
  return (
    <PageAlert tone="warning" title="The response is not signed yet">
      <Text as="p">
        {reason} <TextLink href={respondStepHref(noticeId, 'sign')}>Sign the response</TextLink> first; then come back
        here to file it.
      </Text>
    </PageAlert>
  );
}
