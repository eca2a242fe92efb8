import { useEffect, useRef, useState } from 'react';
import { AnnouncePacer, formatBytes, formatDuration, percent } from '../../upload/progress';
import type { EngineSnapshot } from '../../upload/upload-engine';

/**
 * A polite live region for the upload: progress every 10 % or 15 s (AnnouncePacer), and at once when it is
 * paused, waits for a connection or a sign-in, a file fails, or everything is stored. Visually hidden: the bars
 * and text show the same to sighted users.
 */
export function UploadAnnouncer({
  snapshot,
  allDone,
  count,
}: {
  snapshot: EngineSnapshot | undefined;
  allDone: boolean;
  count: number;
}) {
  const [message, setMessage] = useState('');
  const pacer = useRef(new AnnouncePacer());
  const lastEvent = useRef('');
  const failedSeen = useRef(new Set<number>());

  useEffect(() => {
    if (!snapshot) return;
    const event = allDone
      ? 'done'
      : snapshot.waitingFor
        ? `waiting-${snapshot.waitingFor}`
        : snapshot.state === 'running'
          ? 'running'
          : snapshot.state;
    const failed = snapshot.files.filter((f) => f.status === 'failed' && !failedSeen.current.has(f.index));
    for (const f of failed) failedSeen.current.add(f.index);
    if (failed.length > 0) {
      setMessage(failed.map((f) => `The upload of ${f.name} failed: ${f.error ?? 'unknown error'}`).join(' '));
    } else if (event !== lastEvent.current && event !== 'running') {
      setMessage(eventMessage(event, count));
    } else if (event === 'running') {
      const pct = percent(snapshot.sentBytes, snapshot.totalBytes);
      if (pacer.current.shouldAnnounce(pct, Date.now())) {
        const left = snapshot.secondsLeft ? `, about ${formatDuration(snapshot.secondsLeft)} left` : '';
        setMessage(
          `Uploading: ${pct}%, ${formatBytes(snapshot.sentBytes)} of ${formatBytes(snapshot.totalBytes)}${left}.`,
        );
      }
    }
    if (event !== 'running') pacer.current.reset();
    lastEvent.current = event;
  }, [snapshot, allDone, count]);

  return (
    <div
      role="status"
      aria-live="polite"
      data-testid="upload-announcement"
      css={{
        position: 'absolute',
        width: 1,
        height: 1,
        overflow: 'hidden',
        clip: 'rect(0 0 0 0)',
        whiteSpace: 'nowrap',
      }}
    >
      {message}
    </div>
  );
}

function eventMessage(event: string, count: number): string {
  switch (event) {
    case 'done':
      return `All ${count} ${count === 1 ? 'file is' : 'files are'} uploaded.`;
    case 'paused':
      return 'Upload paused. Finished parts are kept.';
    case 'cancelled':
      return 'Upload cancelled.';
    case 'failed':
      return 'Some files could not be uploaded.';
    case 'waiting-connection':
      return 'Connection lost. The upload carries on when you are back online.';
    case 'waiting-sign-in':
      return 'Your session ended. The upload continues once you sign in again.';
    default:
      return '';
  }
}
