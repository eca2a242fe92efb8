import { Button, ButtonGroup, ButtonLink } from '@ag.ds-next/react/button';
import { PageAlert } from '@ag.ds-next/react/page-alert';
import { Stack } from '@ag.ds-next/react/stack';
import { Text } from '@ag.ds-next/react/text';
import { TextLink } from '@ag.ds-next/react/text-link';
import { type ReactNode, useState } from 'react';
import { useSubmission } from '../notice/notice-queries';
import { ErrorState, LoadingState } from '../page-states';
import { ChooseFiles, type OpenedUpload } from './choose-files';
import { UploadPanel } from './upload-panel';
import { useResponseDraft, useSaveResponseDraft } from './use-response-draft';

/**
 * The response's files: choose them (new submission), or carry on with the submission the shared draft names —
 * opened earlier in this browser or by a colleague — showing what is already stored. Links back to the task list,
 * and on to "Check your response" once every file is stored. A submission that declares no files is a response of
 * answers only: it says so, and offers to add files instead (a new submission; the empty one is never filed).
 */
export function FilesStep({ noticeId }: { noticeId: string }) {
  const draft = useResponseDraft(noticeId);
  const { save } = useSaveResponseDraft(noticeId);
  const [opened, setOpened] = useState<OpenedUpload | undefined>(undefined);
  // The abandoned submission is hidden at once; the draft lets go of it too (below), so a reload, or a colleague,
  // does not find it again as "the response's files".
  const [abandoned, setAbandoned] = useState<string | undefined>(undefined);
  const [allStored, setAllStored] = useState(false);
  const [cancelledNote, setCancelledNote] = useState(false);

  if (draft.isPending) return <LoadingState label="Loading your response" />;
  if (draft.isError) {
    return (
      <ErrorState title="Your response could not be loaded" error={draft.error} retry={() => void draft.refetch()} />
    );
  }
  const draftSubmission = draft.data.submissionId !== abandoned ? draft.data.submissionId : undefined;
  const letGo = (submissionId: string, note: boolean) => {
    setAbandoned(submissionId);
    setOpened(undefined);
    setAllStored(false);
    setCancelledNote(note);
    // Best effort: if this save fails (or another user saved first) the page still hides the submission, and the
    // next submission opened here replaces it in the draft anyway.
    void save({ submissionId: null }).catch(() => undefined);
  };
  const cancelled = (submissionId: string) => letGo(submissionId, true);
  // Back to choosing files instead of the answers-only submission.
  const addFilesInstead = (submissionId: string) => letGo(submissionId, false);

  let body: ReactNode;
  if (opened && opened.submission.files.length === 0) {
    body = <NoFiles noticeId={noticeId} onAddFiles={() => addFilesInstead(opened.submission.submissionId)} />;
  } else if (opened) {
    body = (
      <UploadPanel
        key={opened.submission.submissionId}
        noticeId={noticeId}
        submission={opened.submission}
        files={opened.files}
        targets={opened.targets}
        autoStart
        onCancelled={() => cancelled(opened.submission.submissionId)}
        onAllStored={setAllStored}
      />
    );
  } else if (draftSubmission) {
    body = (
      <ExistingSubmission
        noticeId={noticeId}
        submissionId={draftSubmission}
        onCancelled={() => cancelled(draftSubmission)}
        onAddFiles={() => addFilesInstead(draftSubmission)}
        onAllStored={setAllStored}
      />
    );
  } else {
    body = (
      <ChooseFiles
        noticeId={noticeId}
        onOpened={(o) => {
          setCancelledNote(false);
          setOpened(o);
        }}
      />
    );
  }

  return (
    <Stack gap={3}>
      {cancelledNote && !opened && (
        <PageAlert tone="info" title="Upload cancelled">
          <Text as="p">
            The submission opened for those files stays unused on the portal and is never filed. Choose the files to
            upload as a new submission.
          </Text>
        </PageAlert>
      )}
      {body}
      <Stack gap={1}>
        {allStored && (
          <div>
            <ButtonLink href={`/notices/${noticeId}/respond/review`}>Continue to check your response</ButtonLink>
          </div>
        )}
        <Text as="p">
          <TextLink href={`/notices/${noticeId}/respond`}>Back to the task list</TextLink>
        </Text>
      </Stack>
    </Stack>
  );
}

function ExistingSubmission({
  noticeId,
  submissionId,
  onCancelled,
  onAddFiles,
  onAllStored,
}: {
  noticeId: string;
  submissionId: string;
  onCancelled: () => void;
  onAddFiles: () => void;
  onAllStored: (done: boolean) => void;
}) {
  const submission = useSubmission(noticeId, submissionId);
  if (submission.isPending) return <LoadingState label="Loading the files of your response" />;
  if (submission.isError) {
    return (
      <ErrorState
        title="The files of your response could not be loaded"
        error={submission.error}
        retry={() => void submission.refetch()}
      />
    );
  }
  if (submission.data.status !== 'open') {
    return (
      <PageAlert tone="info" title="These files are no longer changed here">
        <Text as="p">
          The submission is {submission.data.status === 'filed' ? 'filed' : 'being filed'}; its files are as they were
          signed.
        </Text>
      </PageAlert>
    );
  }
  if (submission.data.files.length === 0) return <NoFiles noticeId={noticeId} onAddFiles={onAddFiles} />;
  return (
    <UploadPanel
      key={submissionId}
      noticeId={noticeId}
      submission={submission.data}
      onCancelled={onCancelled}
      onAllStored={onAllStored}
    />
  );
}

/** The response has no files (answers only): nothing to upload, so the task is done; files can still be added. */
function NoFiles({ noticeId, onAddFiles }: { noticeId: string; onAddFiles: () => void }) {
  return (
    <Stack gap={2} data-testid="no-files">
      <PageAlert tone="success" title="This response has no files">
        <Text as="p">It will be signed and filed with its answers alone; the receipt will list no files.</Text>
      </PageAlert>
      <ButtonGroup>
        <ButtonLink href={`/notices/${noticeId}/respond/review`}>Continue to check your response</ButtonLink>
        <Button variant="secondary" onClick={onAddFiles}>
          Add files instead
        </Button>
      </ButtonGroup>
    </Stack>
  );
}
