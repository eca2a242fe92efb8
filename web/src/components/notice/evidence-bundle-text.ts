import { formatBytes } from '../../../../lambdas/domain/byte-size';
import type { EvidenceBundle } from '../../api/types';

/**
 * The words the evidence-bundle section shows, pure so they are unit-tested. Sizes use the one convention of
 * lambdas/domain/byte-size.ts (decimal units), so the page says what the CLI and the file manager say.
 */

/** While building: the progress counts ZIP entries (records as well as files), so it says entries, not files. */
export function bundleProgressText(progress: EvidenceBundle['progress']): string {
  const entries = `${progress.entriesWritten} ${progress.entriesWritten === 1 ? 'entry' : 'entries'}`;
  return `Building the evidence bundle: ${entries} (${formatBytes(progress.bytesWritten)}) written so far.`;
}

/** The bundle's size, as on its download button. */
export const bundleSizeText = (bytes: number): string => formatBytes(bytes);
