import { Stack } from '@ag.ds-next/react/stack';
import { StatusBadge } from '@ag.ds-next/react/status-badge';
import { Text } from '@ag.ds-next/react/text';
import type { Submission } from '../../api/types';
import { formatBytes, percent } from '../../upload/progress';
import type { FileProgress } from '../../upload/upload-engine';
import { UploadProgressBar } from './upload-progress-bar';

type DeclaredFile = Submission['files'][number];

/** One file of the submission: name, size, SHA-256, its state and its own progress bar. */
export function UploadFileRow({
  file,
  progress,
  done,
  chosen,
  verifying,
}: {
  file: DeclaredFile;
  progress?: FileProgress;
  done: boolean;
  chosen: boolean;
  verifying?: { bytes: number; size: number };
}) {
  const sent = done ? file.size : (progress?.sentBytes ?? 0);
  const value = done ? 100 : percent(sent, file.size);
  const status = done ? 'done' : (progress?.status ?? (chosen ? 'queued' : 'needs-file'));
  const badge = BADGES[status] ?? { label: 'Waiting', tone: 'notStartedLow' };
  const parts = progress?.parts;
  return (
    <li data-testid="upload-file" data-file-name={file.name} data-status={status} data-parts-stored={parts?.stored}>
      <Stack gap={0.5} css={{ paddingBottom: '0.75rem', borderBottom: '1px solid', borderColor: 'inherit' }}>
        <Stack gap={0.5} css={{ flexDirection: 'row', flexWrap: 'wrap', alignItems: 'center' }}>
          <Text fontWeight="bold" css={{ overflowWrap: 'anywhere' }}>
            {file.name}
          </Text>
          <StatusBadge appearance="subtle" tone={badge.tone} label={badge.label} />
        </Stack>
        <Text fontSize="sm">
          {formatBytes(file.size)}
          {file.upload.kind === 'multipart' ? ` · ${file.upload.partCount} parts` : ''}
        </Text>
        <Text fontSize="xs" css={{ fontFamily: 'monospace', overflowWrap: 'anywhere' }}>
          SHA-256 {file.declaredSha256}
        </Text>
        {verifying && (
          <Text fontSize="sm" role="status">
            Checking the chosen file: {percent(verifying.bytes, verifying.size)}%
          </Text>
        )}
        <UploadProgressBar
          label={`Upload of ${file.name}`}
          value={value}
          valueText={`${value}% — ${formatBytes(sent)} of ${formatBytes(file.size)}`}
          tone={done ? 'success' : status === 'failed' ? 'error' : 'action'}
        />
        {parts && parts.alreadyStored > 0 && !done && (
          <Text fontSize="sm">
            Resumed: {parts.alreadyStored} of {parts.count} parts were already uploaded.
          </Text>
        )}
        {progress?.error && (
          <Text fontSize="sm" color="error">
            {progress.error}
          </Text>
        )}
      </Stack>
    </li>
  );
}

const BADGES: Record<
  string,
  { label: string; tone: 'successLow' | 'inProgressLow' | 'notStartedLow' | 'pausedLow' | 'errorMedium' | 'warningLow' }
> = {
  done: { label: 'Uploaded', tone: 'successLow' },
  uploading: { label: 'Uploading', tone: 'inProgressLow' },
  queued: { label: 'Waiting', tone: 'notStartedLow' },
  paused: { label: 'Paused', tone: 'pausedLow' },
  failed: { label: 'Failed', tone: 'errorMedium' },
  cancelled: { label: 'Cancelled', tone: 'notStartedLow' },
  'needs-file': { label: 'Choose this file again', tone: 'warningLow' },
};
