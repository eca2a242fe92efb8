/**
 * After a closed tab the browser no longer has the files: the user chooses them again and each is matched to the
 * file it was declared as. Name, size and last-modified time together recognise the same file cheaply (its
 * SHA-256 is then taken from the resume record, not recomputed); a file that matches on name and size only may
 * still be the same bytes (copied, touched), so it must be hashed and compared with the declared SHA-256.
 */
export interface FileIdentity {
  name: string;
  size: number;
  lastModified: number;
}

export interface DeclaredFile {
  index: number;
  name: string;
  size: number;
  /** Known only if this browser recorded it when the upload began. */
  lastModified?: number;
}

export type Match<F> =
  | { index: number; file: F; certain: true }
  /** Same name and size but not provably the same file: hash it and compare with the declared SHA-256. */
  | { index: number; file: F; certain: false };

export interface MatchResult<F> {
  matches: Match<F>[];
  /** Declared files still without a chosen file. */
  unmatched: number[];
  /** Chosen files that are none of the declared ones. */
  strangers: F[];
}

export function matchFiles<F extends FileIdentity>(
  declared: readonly DeclaredFile[],
  chosen: readonly F[],
): MatchResult<F> {
  const matches: Match<F>[] = [];
  const left = [...chosen];
  const unmatched: number[] = [];
  const take = (predicate: (f: F) => boolean) => {
    const at = left.findIndex(predicate);
    return at < 0 ? undefined : left.splice(at, 1)[0];
  };
  // Certain matches first, so a name+size look-alike cannot steal a file that is provably another's.
  const pending: DeclaredFile[] = [];
  for (const d of declared) {
    const file =
      d.lastModified === undefined
        ? undefined
        : take((f) => f.name === d.name && f.size === d.size && f.lastModified === d.lastModified);
    if (file) matches.push({ index: d.index, file, certain: true });
    else pending.push(d);
  }
  for (const d of pending) {
    const file = take((f) => f.name === d.name && f.size === d.size);
    if (file) matches.push({ index: d.index, file, certain: false });
    else unmatched.push(d.index);
  }
  matches.sort((a, b) => a.index - b.index);
  return { matches, unmatched, strangers: left };
}
