import { Button, ButtonGroup } from '@ag.ds-next/react/button';
import { H2 } from '@ag.ds-next/react/heading';
import { PageAlert } from '@ag.ds-next/react/page-alert';
import { Stack } from '@ag.ds-next/react/stack';
import { Text } from '@ag.ds-next/react/text';
import { useState } from 'react';
import { useApi } from '../../api/api-context';
import { ApiError, describeError } from '../../api/api-error';
import { useIdempotencyKey } from '../../api/idempotency-key';
import type { Submission } from '../../api/types';
import { formatBytes, percent } from '../../upload/progress';
import { type UploadTarget, uploadApi } from '../../upload/upload-api';
import { AddFilesInput } from './add-files-input';
import { UploadProgressBar } from './upload-progress-bar';
import { useHashedFiles } from './use-hashed-files';
import { useSaveResponseDraft } from './use-response-draft';

export interface OpenedUpload {
  submission: Submission;
  files: Map<number, File>;
  targets: Map<number, UploadTarget>;
}

/**
 * Choosing the files of a new submission: add as many as needed (and more later), remove any, and see each
 * one's size and SHA-256 as it is worked out. "Upload N files" declares them to the portal (which opens the
 * submission and answers with an upload target per file), records the submission in the shared draft, and hands
 * over to the upload. "This response has no files" opens a submission that declares none (many notices only ask
 * questions): there is nothing to upload, and the response is signed and filed with its answers alone. It is a
 * deliberate choice, offered only while no file is chosen, so a response is never left without files by accident.
 */
export function ChooseFiles({ noticeId, onOpened }: { noticeId: string; onOpened: (opened: OpenedUpload) => void }) {
  const api = useApi();
  const { save } = useSaveResponseDraft(noticeId);
  const { items, add, remove } = useHashedFiles();
  const { key, renew } = useIdempotencyKey();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(undefined);
  const hashing = items.filter((i) => !i.sha256 && !i.error).length;
  const unreadable = items.filter((i) => i.error);
  const names = new Map<string, number>();
  for (const i of items) names.set(i.file.name, (names.get(i.file.name) ?? 0) + 1);
  const duplicates = [...names].filter(([, n]) => n > 1).map(([name]) => name);
  const canUpload = items.length > 0 && hashing === 0 && unreadable.length === 0 && duplicates.length === 0 && !busy;

  const open = async (withFiles: boolean) => {
    setBusy(true);
    setFailure(undefined);
    try {
      const declared = withFiles ? items : [];
      const opened = await uploadApi(api).openSubmission(
        noticeId,
        declared.map((i) => ({
          name: i.file.name,
          size: i.file.size,
          sha256: i.sha256 as string,
          ...(i.file.type ? { contentType: i.file.type } : {}),
        })),
        key,
      );
      await save({ submissionId: opened.submission.submissionId });
      renew();
      const byName = new Map(items.map((i) => [i.file.name, i.file]));
      const files = new Map<number, File>();
      for (const f of opened.submission.files) {
        const file = byName.get(f.name);
        if (file) files.set(f.index, file);
      }
      onOpened({ submission: opened.submission, files, targets: new Map(opened.uploads.map((u) => [u.index, u])) });
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap={2}>
      <AddFilesInput
        label="Add files"
        name="files"
        hint="Choose one or more files. You can add more before uploading. Each file's SHA-256 is worked out on this device."
        chosen={items.length}
        disabled={busy}
        onAdd={add}
      />
      {items.length > 0 && (
        <Stack gap={1}>
          <H2>
            {items.length} {items.length === 1 ? 'file' : 'files'} chosen
          </H2>
          <Stack as="ul" gap={1} css={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {items.map((item) => (
              <li key={item.id} data-testid="chosen-file" data-file-name={item.file.name}>
                <Stack gap={0.5}>
                  <Text fontWeight="bold" css={{ overflowWrap: 'anywhere' }}>
                    {item.file.name}
                  </Text>
                  <Text fontSize="sm">{formatBytes(item.file.size)}</Text>
                  {item.sha256 ? (
                    <Text
                      fontSize="xs"
                      css={{ fontFamily: 'monospace', overflowWrap: 'anywhere' }}
                      data-testid="sha256"
                    >
                      SHA-256 {item.sha256}
                    </Text>
                  ) : item.error ? (
                    <Text fontSize="sm" color="error">
                      {item.error}
                    </Text>
                  ) : (
                    <UploadProgressBar
                      label={`Working out the SHA-256 of ${item.file.name}`}
                      value={percent(item.hashedBytes, item.file.size)}
                      valueText={`${percent(item.hashedBytes, item.file.size)}% of the file read`}
                    />
                  )}
                  <div>
                    <Button variant="text" onClick={() => remove(item.id)} disabled={busy}>
                      Remove<span css={visuallyHidden}> {item.file.name}</span>
                    </Button>
                  </div>
                </Stack>
              </li>
            ))}
          </Stack>
        </Stack>
      )}
      {hashing > 0 && (
        <Text as="p" role="status" aria-live="polite">
          Working out the SHA-256 of {hashing} {hashing === 1 ? 'file' : 'files'}…
        </Text>
      )}
      {duplicates.length > 0 && (
        <PageAlert tone="error" title="Two files have the same name" role="alert">
          <Text as="p">Remove one of each: {duplicates.join(', ')}. The receipt lists files by name.</Text>
        </PageAlert>
      )}
      {failure !== undefined && (
        <PageAlert
          tone="error"
          title={
            items.length > 0 ? 'The files could not be declared to the portal' : 'The response could not be opened'
          }
          role="alert"
        >
          <Text as="p">{describeError(failure)}</Text>
          {failure instanceof ApiError && failure.issues.length > 0 && (
            <ul>
              {failure.issues.map((issue) => (
                <li key={`${issue.path}:${issue.message}`}>
                  {issueLabel(
                    issue.path,
                    items.map((i) => i.file.name),
                  )}
                  : {issue.message}
                </li>
              ))}
            </ul>
          )}
        </PageAlert>
      )}
      {items.length === 0 && (
        <Text as="p">
          If the notice only asks questions and your response has no files, choose "This response has no files": it is
          signed and filed with its answers alone.
        </Text>
      )}
      <ButtonGroup>
        <Button onClick={() => void open(true)} disabled={!canUpload} loading={busy && items.length > 0}>
          {items.length === 1 ? 'Upload 1 file' : `Upload ${items.length} files`}
        </Button>
        {items.length === 0 && (
          <Button variant="secondary" onClick={() => void open(false)} disabled={busy} loading={busy}>
            This response has no files
          </Button>
        )}
      </ButtonGroup>
    </Stack>
  );
}

/** `files.2.size` → the file's name, so a refusal says which file it is about. */
function issueLabel(path: string, names: string[]): string {
  const match = /^files\.(\d+)/.exec(path);
  const name = match ? names[Number(match[1])] : undefined;
  return name ?? path;
}

const visuallyHidden = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
} as const;
