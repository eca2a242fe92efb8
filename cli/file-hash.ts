import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/**
 * The SHA-256 of a file (or of bytes `[start, end]` of it, `end` inclusive: one part of a multipart upload), read as
 * a stream in 1 MiB chunks: responses go up to 5 GiB, so a file is never held in memory. `onBytes` reports each
 * chunk, for a progress bar.
 */
export async function sha256File(
  path: string,
  options: { onBytes?: (bytes: number) => void; signal?: AbortSignal; start?: number; end?: number } = {},
): Promise<string> {
  const hash = createHash('sha256');
  const stream = createReadStream(path, {
    highWaterMark: 1024 * 1024,
    signal: options.signal,
    start: options.start,
    end: options.end,
  });
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    options.onBytes?.((chunk as Buffer).length);
  }
  return hash.digest('hex');
}
