import { FileHasher } from '../upload/file-hasher';
import { sha256OfBlob } from './file-checks';

let hasher: FileHasher | undefined;

/**
 * The SHA-256 of a chosen file, as receipts state it: incrementally in the uploads' hashing Worker, so a file of
 * any size is read a slice at a time rather than loaded into memory. Where Workers are not available, one-shot
 * WebCrypto (files up to 256 MiB; larger ones are refused with a message pointing at the CLI).
 */
export function hashChosenFile(file: File): Promise<string> {
  if (typeof Worker === 'undefined') return sha256OfBlob(file);
  hasher ??= new FileHasher();
  return hasher.hash(file).promise;
}
