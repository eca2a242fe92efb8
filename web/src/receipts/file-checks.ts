import { fileMismatch } from '../../../lambdas/domain/receipt-verification';
import type { ReceiptClaims } from '../../../lambdas/domain/submission';

/**
 * Checks the files a reader chose against the files a verified receipt lists: each chosen file must have the
 * name, size and SHA-256 of one the receipt lists (size first, so a wrong file is refused without hashing it);
 * listed files nobody chose are "not checked", never passed. Pure: hashing is passed in (a Worker in the page,
 * WebCrypto in tests).
 */

/** What the page can hash with `crypto.subtle.digest`, which needs the whole file in memory at once. */
export const ONE_SHOT_HASH_LIMIT_BYTES = 256 * 1024 ** 2;

export interface ChosenFile {
  name: string;
  size: number;
}

export type FileCheck =
  | { name: string; status: 'matches'; size: number; sha256: string }
  | { name: string; status: 'differs'; problem: string }
  | { name: string; status: 'not-listed'; problem: string }
  | { name: string; status: 'not-checked'; problem?: string };

export type HashFile<F extends ChosenFile> = (file: F) => Promise<string>;

export async function checkChosenFiles<F extends ChosenFile>(
  listed: ReceiptClaims['files'],
  chosen: readonly F[],
  hash: HashFile<F>,
  formatBytes: (bytes: number) => string,
): Promise<FileCheck[]> {
  const byName = new Map(chosen.map((f) => [f.name, f]));
  const checks: FileCheck[] = [];
  for (const stated of listed) {
    const file = byName.get(stated.name);
    if (!file) {
      checks.push({ name: stated.name, status: 'not-checked' });
      continue;
    }
    const sizeProblem = fileMismatch({ size: file.size }, stated, formatBytes);
    if (sizeProblem) {
      checks.push({ name: stated.name, status: 'differs', problem: sizeProblem });
      continue;
    }
    let sha256: string;
    try {
      sha256 = await hash(file);
    } catch (error) {
      checks.push({ name: stated.name, status: 'not-checked', problem: (error as Error).message });
      continue;
    }
    const problem = fileMismatch({ size: file.size, sha256 }, stated, formatBytes);
    checks.push(
      problem
        ? { name: stated.name, status: 'differs', problem }
        : { name: stated.name, status: 'matches', size: file.size, sha256 },
    );
  }
  const listedNames = new Set(listed.map((f) => f.name));
  for (const file of chosen) {
    if (!listedNames.has(file.name)) {
      checks.push({ name: file.name, status: 'not-listed', problem: 'the receipt lists no file with this name' });
    }
  }
  return checks;
}

/** Lower-case hex, the form receipts state hashes in. */
export function toHex(digest: ArrayBuffer | Uint8Array): string {
  return Array.from(digest instanceof Uint8Array ? digest : new Uint8Array(digest), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
}

/**
 * SHA-256 of a file in one call to WebCrypto — only for files up to ONE_SHOT_HASH_LIMIT_BYTES, because the whole
 * file is read into memory; larger ones are refused with a message saying how to check them instead.
 */
export async function sha256OfBlob(file: Blob): Promise<string> {
  if (file.size > ONE_SHOT_HASH_LIMIT_BYTES) {
    throw new Error(
      'is larger than 256 MiB, too large to hash in this browser; check it with `notice-portal verify-receipt --dir`',
    );
  }
  return toHex(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
}
