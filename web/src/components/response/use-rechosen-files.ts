import { useCallback, useState } from 'react';
import type { Submission } from '../../api/types';
import { matchFiles } from '../../upload/file-match';
import { formatBytes } from '../../upload/progress';
import type { ResumeState } from '../../upload/resume-store';
import { sharedHasher } from './use-hashed-files';

/**
 * The files of an open submission as the user chooses them (again): each chosen file is matched to the declared
 * one by name, size and last-modified time (recorded in this browser when the upload began); one that matches
 * only by name and size is hashed and accepted only if its SHA-256 is the declared one — the portal would refuse
 * any other bytes at finalize.
 */
export function useRechosenFiles(submission: Submission, record: ResumeState | undefined, initial?: Map<number, File>) {
  const [files, setFiles] = useState<Map<number, File>>(() => new Map(initial));
  const [verifying, setVerifying] = useState<Map<number, { bytes: number; size: number }>>(() => new Map());
  const [problems, setProblems] = useState<string[]>([]);
  const [inputKey, setInputKey] = useState(0);

  const choose = useCallback(
    (chosen: File[]) => {
      setInputKey((k) => k + 1);
      const declared = submission.files
        .filter((f) => !f.completedAt && !files.has(f.index))
        .map((f) => {
          const saved = record?.files.find((r) => r.index === f.index);
          return { index: f.index, name: f.name, size: f.size, lastModified: saved?.lastModified || undefined };
        });
      const result = matchFiles(declared, chosen);
      const found: string[] = result.strangers.map(
        (f) =>
          `${f.name} (${formatBytes(f.size)}) is not one of this submission's files (or not of the declared size).`,
      );
      setProblems(found);
      const certain = result.matches.filter((m) => m.certain);
      if (certain.length > 0) {
        setFiles((current) => new Map([...current, ...certain.map((m) => [m.index, m.file] as const)]));
      }
      for (const match of result.matches.filter((m) => !m.certain)) {
        const declaredFile = submission.files.find((f) => f.index === match.index);
        if (!declaredFile) continue;
        const mark = (bytes: number) =>
          setVerifying((current) => new Map(current).set(match.index, { bytes, size: match.file.size }));
        mark(0);
        sharedHasher()
          .hash(match.file, mark)
          .promise.then(
            (sha256) => {
              if (sha256 === declaredFile.declaredSha256)
                setFiles((current) => new Map(current).set(match.index, match.file));
              else {
                setProblems((current) => [
                  ...current,
                  `${match.file.name} is not the file that was declared: its SHA-256 is different. Choose the right file.`,
                ]);
              }
            },
            (error: unknown) =>
              setProblems((current) => [
                ...current,
                `${match.file.name} could not be read: ${(error as Error).message}`,
              ]),
          )
          .finally(() =>
            setVerifying((current) => {
              const next = new Map(current);
              next.delete(match.index);
              return next;
            }),
          );
      }
    },
    [files, record, submission.files],
  );

  return { files, verifying, problems, inputKey, choose };
}
