import { Button, ButtonGroup } from '@ag.ds-next/react/button';
import { Details } from '@ag.ds-next/react/details';
import { H1, H2 } from '@ag.ds-next/react/heading';
import { PageAlert } from '@ag.ds-next/react/page-alert';
import { SectionAlert } from '@ag.ds-next/react/section-alert';
import { Stack } from '@ag.ds-next/react/stack';
import { SummaryList } from '@ag.ds-next/react/summary-list';
import { Text } from '@ag.ds-next/react/text';
import { TextLink } from '@ag.ds-next/react/text-link';
import { useQuery } from '@tanstack/react-query';
import { useRouter } from '@tanstack/react-router';
import { type ReactNode, useEffect, useState } from 'react';
import { answerIssues } from '../../../../lambdas/domain/answer-completeness';
import type { Manifest } from '../../../../lambdas/domain/submission';
import { useApi } from '../../api/api-context';
import { unwrap } from '../../api/api-error';
import { portalNow } from '../../api/portal-clock';
import type { Notice, SigningKey, Submission } from '../../api/types';
import { useSessionUser } from '../../auth/auth-context';
import { signManifest, verifyDetachedSignature } from '../../signing/jws';
import type { KeyOwner } from '../../signing/key-store';
import { buildManifest, type ManifestInputs, manifestBytes } from '../../signing/manifest';
import {
  clearManifestToSign,
  readManifestToSign,
  saveManifestToSign,
  saveSignedResponse,
} from '../../signing/signed-response-store';
import type { BrowserSigningKey } from '../../signing/signing-key';
import { useSigningKeys } from '../admin/admin-queries';
import { ErrorSummary, type SummaryItem } from '../form/error-summary';
import { noticeKeys, useNotice } from '../notice/notice-queries';
import { SummaryRow } from '../notice/summary-row';
import { useNow } from '../notice/use-now';
import { ErrorState, LoadingState } from '../page-states';
import { SignExternal } from './sign-external';
import { ALG_LABELS, registrationOf, SIGNING_KEY_FIELD_ID, SignKeyPanel } from './sign-key-panel';
import { useBrowserKeys } from './use-browser-keys';
import { type ResponseDraft, useResponseDraft } from './use-response-draft';

const respondPath = (noticeId: string, task?: string) => `/notices/${noticeId}/respond${task ? `/${task}` : ''}`;

/**
 * "Sign the response": the platform user signs the manifest of the prepared response — with a key kept in this
 * browser, or with the CLI for the manifest downloaded here — and the signed response is handed to the file step
 * (sessionStorage and IndexedDB), which files it. Nothing is sent to the portal here.
 */
export function SignStep({ noticeId }: { noticeId: string }) {
  const user = useSessionUser();
  if (!user.platformId) {
    return (
      <Stack gap={1}>
        <H1>Sign the response</H1>
        <Text as="p">Only the users of the platform the notice was issued to sign its response.</Text>
      </Stack>
    );
  }
  return <SignStepFor noticeId={noticeId} owner={{ subject: user.subject, platformId: user.platformId }} />;
}

function useDraftSubmission(noticeId: string, submissionId: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: noticeKeys.submission(noticeId, submissionId ?? ''),
    enabled: submissionId !== undefined,
    queryFn: () =>
      unwrap(
        api.GET('/notices/{noticeId}/submissions/{submissionId}', {
          params: { path: { noticeId, submissionId: submissionId as string } },
        }),
      ),
  });
}

/** What must be done before signing, each with where to do it; empty when the response can be signed. */
function prerequisites(notice: Notice, draft: ResponseDraft, submission: Submission | undefined) {
  const todo: { text: string; task: string; label: string }[] = [];
  const issues = answerIssues(draft.answers, notice.requirements.questions ?? []);
  if (issues.length > 0) {
    todo.push({
      text: `${issues.length} problem(s) with the answers.`,
      task: 'answers',
      label: 'Answer the questions',
    });
  }
  if (!submission) {
    // A response of answers only has a submission too (one with no files), so "none yet" means nothing was chosen.
    todo.push({
      text: 'No files have been added yet, and the response is not marked as having none.',
      task: 'files',
      label: 'Add and upload files',
    });
  } else if (submission.files.some((f) => f.completedAt === undefined)) {
    todo.push({ text: 'Some files are not uploaded yet.', task: 'files', label: 'Add and upload files' });
  }
  if (!(draft.signer?.name ?? '').trim()) {
    todo.push({ text: 'No one is named as the signer.', task: 'review', label: 'Check your response' });
  }
  return todo;
}

function SignStepFor({ noticeId, owner }: { noticeId: string; owner: KeyOwner }) {
  const notice = useNotice(noticeId);
  const draft = useResponseDraft(noticeId);
  const submissionId = draft.data?.submissionId;
  const submission = useDraftSubmission(noticeId, submissionId);
  const loading = notice.isPending || draft.isPending || (submissionId !== undefined && submission.isPending);
  const failed = notice.error ?? draft.error ?? submission.error;
  let content: ReactNode = null;
  if (loading) content = <LoadingState label="Loading the response" />;
  else if (failed) content = <ErrorState title="The response could not be loaded" error={failed} />;
  else if (notice.data && draft.data) {
    const todo = prerequisites(notice.data, draft.data, submission.data);
    if (submission.data && submission.data.status !== 'open') {
      content = (
        <PageAlert tone="info" title="This response is already being filed">
          <Text as="p">
            <TextLink href={respondPath(noticeId, 'file')}>Go to File the response</TextLink>
          </Text>
        </PageAlert>
      );
    } else if (todo.length > 0 || !submission.data) {
      content = <NotReady noticeId={noticeId} todo={todo} />;
    } else {
      const inputs = {
        notice: notice.data,
        submission: submission.data,
        answers: draft.data.answers,
        signer: draft.data.signer ?? { name: '' },
      };
      content = <SignReady noticeId={noticeId} owner={owner} inputs={inputs} />;
    }
  }
  return (
    <Stack gap={2}>
      <Stack gap={0.5}>
        <TextLink href={respondPath(noticeId)}>Back to your response</TextLink>
        <H1>Sign the response</H1>
        <Text as="p">
          Signing states that the response is complete and correct. The signature covers every answer, each file's name,
          size and SHA-256, the signer and the time of signing; any later change to them makes it invalid.
        </Text>
      </Stack>
      {content}
    </Stack>
  );
}

function NotReady({ noticeId, todo }: { noticeId: string; todo: ReturnType<typeof prerequisites> }) {
  return (
    <PageAlert tone="warning" title="The response cannot be signed yet">
      <ul>
        {todo.map((t) => (
          <li key={t.text}>
            {t.text} <TextLink href={respondPath(noticeId, t.task)}>{t.label}</TextLink>
          </li>
        ))}
      </ul>
    </PageAlert>
  );
}

/** Why the chosen key cannot sign now, as error-summary lines (none when it can). */
function keyProblems(selected: BrowserSigningKey | undefined, registered: readonly SigningKey[] | undefined) {
  if (!selected) return [{ fieldId: SIGNING_KEY_FIELD_ID, message: 'Choose a signing key, or make or import one' }];
  const registration = registrationOf(selected, registered, portalNow());
  if (registration.usable) return [];
  return [{ fieldId: SIGNING_KEY_FIELD_ID, message: `Key ${selected.kid} cannot sign yet: ${registration.text}` }];
}

type SignInputs = Omit<ManifestInputs, 'signedAt'>;

function SignReady({ noticeId, owner, inputs }: { noticeId: string; owner: KeyOwner; inputs: SignInputs }) {
  const router = useRouter();
  const keys = useBrowserKeys(owner);
  const registered = useSigningKeys(owner.platformId);
  const now = useNow(30_000);
  const submissionId = inputs.submission.submissionId;
  const [chosenKid, setChosenKid] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState<{ text: string; at: number } | undefined>(undefined);
  const [problems, setProblems] = useState<SummaryItem[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [signing, setSigning] = useState(false);
  const [fixed, setFixed] = useState<Manifest | undefined>(undefined);
  // Anything done with the keys since a refused "Sign" (a key made, imported or chosen) makes that refusal stale.
  const announce = (text: string) => {
    setProblems([]);
    setMessage({ text, at: Date.now() });
  };

  useEffect(() => {
    let current = true;
    void readManifestToSign(noticeId, submissionId).then((m) => current && setFixed(m));
    return () => {
      current = false;
    };
  }, [noticeId, submissionId]);

  const selected = keys.data?.find((k) => k.kid === chosenKid) ?? keys.data?.[0];
  // The preview's signedAt is now; the signed manifest's is the instant of signing, on the portal's clock.
  const preview = buildManifest({ ...inputs, signedAt: now.toISOString() });
  const currentMatchesFixed =
    fixed !== undefined &&
    manifestBytes(buildManifest({ ...inputs, signedAt: fixed.signedAt })) === manifestBytes(fixed);

  const fail = (items: SummaryItem[]) => {
    setProblems(items);
    setAttempt((n) => n + 1);
  };
  const handOver = async (manifest: Manifest, signature: string, how: string) => {
    await saveSignedResponse(noticeId, manifest.submissionId, { manifest, signature });
    announce(how);
    router.history.push(respondPath(noticeId, 'file'));
  };
  const sign = async () => {
    const items = keyProblems(selected, registered.data?.items);
    if (items.length > 0 || !selected) return fail(items);
    setProblems([]);
    setSigning(true);
    try {
      const manifest = buildManifest({ ...inputs, signedAt: portalNow().toISOString() });
      const signature = await signManifest(manifest, selected);
      const check = await verifyDetachedSignature(manifest, signature, selected.publicJwk);
      if (!check.ok) throw new Error(check.problem);
      await clearManifestToSign(noticeId, submissionId);
      await handOver(manifest, signature, `Response signed with key ${selected.kid} at ${manifest.signedAt}.`);
    } catch (error) {
      fail([{ message: `The response was not signed: ${(error as Error).message}` }]);
    } finally {
      setSigning(false);
    }
  };
  const downloadManifest = async () => {
    const manifest = buildManifest({ ...inputs, signedAt: portalNow().toISOString() });
    await saveManifestToSign(noticeId, submissionId, manifest);
    setFixed(manifest);
    announce(
      `Manifest downloaded with signedAt ${manifest.signedAt}. Sign it with the CLI, then attach the signature.`,
    );
    return manifest;
  };

  return (
    <>
      <ErrorSummary items={problems} attempt={attempt} />
      {/* Key ids are 43 characters without a break: let them wrap rather than widen a phone-width page. */}
      <div
        role="status"
        aria-live="polite"
        aria-atomic="true"
        data-testid="sign-result"
        style={{ overflowWrap: 'anywhere' }}
      >
        {message && <SectionAlert key={message.at} tone="success" title={message.text} />}
      </div>
      <SignKeyPanel owner={owner} selected={selected} onSelect={setChosenKid} announce={announce} now={now} />
      <Stack gap={1.5} as="section" aria-labelledby="manifest-heading">
        <H2 id="manifest-heading">What you are signing</H2>
        <SummaryList>
          <SummaryRow term="Signer">
            {[preview.signer.name, preview.signer.title, preview.signer.email].filter(Boolean).join(', ')}
          </SummaryRow>
          <SummaryRow term="Answers">{`${preview.answers.length} ${preview.answers.length === 1 ? 'question' : 'questions'}`}</SummaryRow>
          <SummaryRow term="Files">
            {preview.files.map((f) => `${f.name} (${f.size} bytes, SHA-256 ${f.sha256})`).join('\n') || 'None'}
          </SummaryRow>
          <SummaryRow term="Submission">{preview.submissionId}</SummaryRow>
        </SummaryList>
        <TextLink href={respondPath(noticeId, 'review')}>Change the signer or check the response</TextLink>
        <Details label="Show the manifest that will be signed">
          <Stack gap={0.5}>
            <Text as="p" fontSize="sm">
              The canonical JSON (RFC 8785) that is signed. Its signedAt becomes the portal's time when you sign.
            </Text>
            <pre
              data-testid="manifest-json"
              css={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', margin: 0, fontSize: '0.875rem' }}
            >
              {manifestBytes(preview)}
            </pre>
          </Stack>
        </Details>
        <ButtonGroup>
          <Button onClick={() => void sign()} loading={signing} loadingLabel="Signing the response">
            Sign the response
          </Button>
        </ButtonGroup>
        {selected && (
          <Text as="p" fontSize="sm" color="muted">
            Signs with {ALG_LABELS[selected.alg]} key {selected.kid}.
          </Text>
        )}
      </Stack>
      <SignExternal
        fixed={fixed}
        currentMatchesFixed={currentMatchesFixed}
        onDownload={downloadManifest}
        onAttach={(manifest, signature) =>
          handOver(manifest, signature, `Signature made with the CLI attached for signedAt ${manifest.signedAt}.`)
        }
        registered={registered.data?.items}
        disabled={signing}
      />
    </>
  );
}
