import { FileHasher } from './file-hasher';

/** One Worker pool for the parts of every upload (at most two Workers at once, see FileHasher). */
let hasher: FileHasher | undefined;

/**
 * The SHA-256 (hex) of one part of a multipart upload, hashed in a Worker like whole files are; stopping the upload
 * (`signal`) stops the hashing too.
 */
export function hashPartInWorker(part: Blob, signal: AbortSignal): Promise<string> {
  hasher ??= new FileHasher();
  const job = hasher.hash(part);
  const cancel = () => job.cancel();
  signal.addEventListener('abort', cancel, { once: true });
  return job.promise.finally(() => signal.removeEventListener('abort', cancel));
}
