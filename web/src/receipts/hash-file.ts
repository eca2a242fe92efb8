import { sha256OfBlob } from './file-checks';

/**
 * The SHA-256 of a chosen file, as receipts state it. One-shot WebCrypto for now (files up to 256 MiB; larger
 * ones are refused with a message pointing at the CLI); the place to plug in the uploads' incremental hashing
 * Worker (web/src/upload/) so files of any size can be checked.
 */
export function hashChosenFile(file: File): Promise<string> {
  return sha256OfBlob(file);
}
