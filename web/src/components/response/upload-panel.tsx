import { Button, ButtonGroup } from '@ag.ds-next/react/button';
import { FileInput } from '@ag.ds-next/react/file-input';
import { H2 } from '@ag.ds-next/react/heading';
import { Modal } from '@ag.ds-next/react/modal';
import { PageAlert } from '@ag.ds-next/react/page-alert';
import { Stack } from '@ag.ds-next/react/stack';
import { Text } from '@ag.ds-next/react/text';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { storedBytes } from '../../../../lambdas/domain/upload-parts';
import { useApi } from '../../api/api-context';
import type { Submission } from '../../api/types';
import { hashPartInWorker } from '../../upload/part-hasher';
import { formatBytes, formatDuration, formatSpeed, percent } from '../../upload/progress';
import type { ResumeState } from '../../upload/resume-store';
import type { UploadTarget } from '../../upload/upload-api';
import { uploadApi } from '../../upload/upload-api';
import { type EngineFile, type EngineSnapshot, UploadEngine } from '../../upload/upload-engine';
import { useSessionWaiter } from '../../upload/use-session-waiter';
import { noticeKeys } from '../notice/notice-queries';
import { resumeStore } from './resume-store-instance';
import { UploadAnnouncer } from './upload-announcer';
import { UploadFileRow } from './upload-file-row';
import { UploadProgressBar } from './upload-progress-bar';
import { useRechosenFiles } from './use-rechosen-files';

/**
 * The upload of an open submission's files: progress per file and overall, pause, resume, cancel. Works the same
 * for a submission opened a moment ago (files in hand, fresh targets) and for one opened earlier — in a closed
 * tab or by a colleague — whose files must be chosen again before what is missing can be sent.
 */
export function UploadPanel({
  noticeId,
  submission,
  files: initialFiles,
  targets,
  autoStart,
  onCancelled,
  onAllStored,
}: {
  noticeId: string;
  submission: Submission;
  files?: Map<number, File>;
  targets?: Map<number, UploadTarget>;
  autoStart?: boolean;
  onCancelled: () => void;
  /** Told whether every file is stored, whenever that changes. */
  onAllStored?: (done: boolean) => void;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const waitForSession = useSessionWaiter();
  const [record, setRecord] = useState<ResumeState | undefined | null>(null);
  const [snapshot, setSnapshot] = useState<EngineSnapshot | undefined>(undefined);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [startError, setStartError] = useState<string | undefined>(undefined);
  const engine = useRef<UploadEngine | undefined>(undefined);
  const autoStarted = useRef(false);

  useEffect(() => {
    let live = true;
    resumeStore()
      .get(noticeId)
      .then((r) => live && setRecord(r?.submissionId === submission.submissionId ? r : undefined))
      .catch(() => live && setRecord(undefined));
    return () => {
      live = false;
    };
  }, [noticeId, submission.submissionId]);

  const storedOnPortal = useMemo(
    () => new Set(submission.files.filter((f) => f.completedAt).map((f) => f.index)),
    [submission.files],
  );
  const isDone = useCallback(
    (index: number) =>
      storedOnPortal.has(index) ||
      Boolean(record?.files.find((f) => f.index === index)?.done) ||
      snapshot?.files.find((f) => f.index === index)?.status === 'done',
    [storedOnPortal, record, snapshot],
  );
  const rechosen = useRechosenFiles(submission, record ?? undefined, initialFiles);
  const missingFiles = submission.files.filter((f) => !isDone(f.index) && !rechosen.files.has(f.index));

  const start = useCallback(async () => {
    setStartError(undefined);
    if (!engine.current) {
      const current = (await resumeStore().get(noticeId)) ?? undefined;
      const state = current?.submissionId === submission.submissionId ? current : undefined;
      const engineFiles: EngineFile[] = submission.files.map((f) => {
        const saved = state?.files.find((s) => s.index === f.index);
        const chosen = rechosen.files.get(f.index);
        return {
          index: f.index,
          file: chosen ?? new Blob([]),
          name: f.name,
          size: f.size,
          contentType: f.contentType,
          upload:
            f.upload.kind === 'multipart'
              ? { kind: 'multipart', partSize: f.upload.partSize, partCount: f.upload.partCount }
              : { kind: 'single' },
          done: Boolean(f.completedAt) || Boolean(saved?.done),
          parts: saved?.parts ?? [],
          initial: targets?.get(f.index),
        };
      });
      // What this browser needs to carry on after a closed tab: written before the first byte is sent.
      await resumeStore().put({
        noticeId,
        submissionId: submission.submissionId,
        updatedAt: Date.now(),
        files: engineFiles.map((f) => {
          const declared = submission.files.find((d) => d.index === f.index);
          const chosen = rechosen.files.get(f.index);
          const saved = state?.files.find((s) => s.index === f.index);
          return {
            index: f.index,
            name: f.name,
            size: f.size,
            lastModified: chosen?.lastModified ?? saved?.lastModified ?? 0,
            sha256: declared?.declaredSha256 ?? '',
            contentType: f.contentType,
            parts: f.parts,
            done: f.done,
          };
        }),
      });
      engine.current = new UploadEngine({
        api: uploadApi(api),
        store: resumeStore(),
        noticeId,
        submissionId: submission.submissionId,
        files: engineFiles,
        waitForSession,
        onChange: setSnapshot,
        hashPart: hashPartInWorker,
      });
    }
    const run = engine.current.start();
    await run;
    const after = engine.current.snapshot();
    if (after.state === 'done') {
      await queryClient.invalidateQueries({ queryKey: noticeKeys.submission(noticeId, submission.submissionId) });
    }
  }, [api, noticeId, queryClient, rechosen.files, submission, targets, waitForSession]);

  const ready = record !== null && missingFiles.length === 0 && rechosen.verifying.size === 0;
  // Choosing the files again after a reload or a closed tab is the person saying "carry on": once the last one
  // needed is matched, the upload resumes by itself instead of waiting for a second click.
  const neededRechoosing = useRef(false);
  if (record !== null && missingFiles.length > 0) neededRechoosing.current = true;
  useEffect(() => {
    if ((autoStart || neededRechoosing.current) && ready && !autoStarted.current) {
      autoStarted.current = true;
      start().catch((error: unknown) => setStartError((error as Error).message));
    }
  }, [autoStart, ready, start]);

  useEffect(() => () => engine.current?.dispose(), []);

  const running = snapshot?.state === 'running';
  useEffect(() => {
    if (!running) return;
    // Closing the tab mid-upload loses only the parts in flight, but the browser should still ask first.
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [running]);

  const cancel = async () => {
    setConfirmCancel(false);
    if (engine.current) await engine.current.cancel();
    else await resumeStore().delete(noticeId);
    onCancelled();
  };

  const allDone = submission.files.every((f) => isDone(f.index));
  useEffect(() => onAllStored?.(allDone), [allDone, onAllStored]);
  const total = submission.files.reduce((sum, f) => sum + f.size, 0);
  // Before the engine runs (after a reload), what this browser recorded as stored counts: whole files and parts.
  const sent = snapshot
    ? snapshot.sentBytes
    : submission.files.reduce((sum, f) => {
        if (isDone(f.index)) return sum + f.size;
        const parts = record?.files.find((r) => r.index === f.index)?.parts ?? [];
        return f.upload.kind === 'multipart' ? sum + storedBytes(f.size, f.upload.partSize, parts) : sum;
      }, 0);
  const overall = percent(sent, total);
  const speed = formatSpeed(snapshot?.bytesPerSecond);
  const left = snapshot?.secondsLeft;
  const resumable = !running && !allDone;
  const hasProgress = Boolean(record) || Boolean(snapshot);

  return (
    <Stack gap={2} data-testid="upload-panel" data-state={allDone ? 'done' : (snapshot?.state ?? 'idle')}>
      <H2>{allDone ? 'Your files are uploaded' : 'Upload progress'}</H2>
      <Stack gap={0.5}>
        <UploadProgressBarOverall
          value={overall}
          sent={sent}
          total={total}
          count={submission.files.length}
          done={allDone}
        />
        <Text as="p" fontSize="sm" data-testid="upload-overall">
          {formatBytes(sent)} of {formatBytes(total)}
          {running && speed ? ` · ${speed}` : ''}
          {running && left !== undefined && left > 0 ? ` · about ${formatDuration(left)} left` : ''}
          {snapshot?.state === 'paused' ? ' · paused' : ''}
        </Text>
      </Stack>
      {snapshot?.waitingFor === 'connection' && (
        <PageAlert tone="warning" title="Connection lost">
          <Text as="p">The uploads carry on by themselves when the connection is back. Nothing uploaded is lost.</Text>
        </PageAlert>
      )}
      {snapshot?.waitingFor === 'sign-in' && (
        <PageAlert tone="warning" title="Waiting for you to sign in again">
          <Text as="p">
            Your session ended. Parts already under way carry on; the rest continue once you are signed in again.
          </Text>
        </PageAlert>
      )}
      {startError && (
        <PageAlert tone="error" title="The upload could not start" role="alert">
          <Text as="p">{startError}</Text>
        </PageAlert>
      )}
      <UploadAnnouncer snapshot={snapshot} allDone={allDone} count={submission.files.length} />

      {!allDone && missingFiles.length > 0 && record !== null && (
        <Stack gap={1}>
          <PageAlert tone="info" title="Choose the files again to carry on">
            <Text as="p">
              {hasProgress
                ? 'This browser cannot read files you chose before the page was closed. Choose the same files again: only the parts not yet uploaded are sent.'
                : 'This submission was opened earlier (perhaps by a colleague). Choose the same files to upload them; each is checked against the SHA-256 it was declared with.'}
            </Text>
          </PageAlert>
          <FileInput
            key={rechosen.inputKey}
            label="Choose the files again"
            name="rechosen-files"
            hint={`Still needed: ${missingFiles.map((f) => f.name).join(', ')}`}
            multiple
            hideOptionalLabel
            onChange={(event) => rechosen.choose(Array.from(event.currentTarget.files ?? []))}
          />
          {rechosen.problems.length > 0 && (
            <PageAlert tone="error" title="Some files are not the ones declared" role="alert">
              <ul>
                {rechosen.problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </PageAlert>
          )}
        </Stack>
      )}

      <Stack as="ul" gap={1} css={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Files">
        {submission.files.map((f) => (
          <UploadFileRow
            key={f.index}
            file={f}
            progress={snapshot?.files.find((p) => p.index === f.index)}
            done={isDone(f.index)}
            chosen={rechosen.files.has(f.index)}
            verifying={rechosen.verifying.get(f.index)}
          />
        ))}
      </Stack>

      {!allDone && (
        <ButtonGroup>
          {running ? (
            <Button variant="secondary" onClick={() => void engine.current?.pause()}>
              Pause upload
            </Button>
          ) : (
            <Button
              disabled={!ready || !resumable}
              onClick={() => start().catch((error: unknown) => setStartError((error as Error).message))}
            >
              {snapshot || hasProgress ? 'Resume upload' : 'Start upload'}
            </Button>
          )}
          <Button variant="tertiary" onClick={() => setConfirmCancel(true)}>
            Cancel upload
          </Button>
        </ButtonGroup>
      )}
      <Modal
        isOpen={confirmCancel}
        title="Cancel the upload?"
        onClose={() => setConfirmCancel(false)}
        actions={
          <ButtonGroup>
            <Button onClick={() => void cancel()}>Yes, cancel the upload</Button>
            <Button variant="tertiary" onClick={() => setConfirmCancel(false)}>
              No, keep it
            </Button>
          </ButtonGroup>
        }
      >
        <Text as="p">
          The upload stops and this browser forgets how far it got. The submission already opened on the portal stays
          unused — it is never filed and you do not need to do anything about it. You can then choose files again and
          upload them as a new submission.
        </Text>
      </Modal>
    </Stack>
  );
}

function UploadProgressBarOverall({
  value,
  sent,
  total,
  count,
  done,
}: {
  value: number;
  sent: number;
  total: number;
  count: number;
  done: boolean;
}) {
  return (
    <UploadProgressBar
      label={`Upload of all ${count} files`}
      value={value}
      valueText={`${value}% — ${formatBytes(sent)} of ${formatBytes(total)}`}
      tone={done ? 'success' : 'action'}
      testId="upload-overall-bar"
    />
  );
}
