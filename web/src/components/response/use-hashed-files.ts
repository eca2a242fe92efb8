import { useCallback, useEffect, useRef, useState } from 'react';
import { FileHasher, HashCancelled, type HashJob } from '../../upload/file-hasher';

/** A chosen file and how far its SHA-256 got (hashed in a Worker as soon as it is chosen). */
export interface HashedFile {
  id: string;
  file: File;
  hashedBytes: number;
  sha256?: string;
  error?: string;
}

let hasher: FileHasher | undefined;
/** One pool for the page: at most two files hashed at once, whoever asks. */
export function sharedHasher(): FileHasher {
  hasher ??= new FileHasher();
  return hasher;
}

/**
 * The files chosen for a new submission: add more at any time before uploading, remove any (which cancels its
 * hashing). Every file is hashed incrementally off the page's thread, with progress.
 */
export function useHashedFiles() {
  const [items, setItems] = useState<HashedFile[]>([]);
  const jobs = useRef(new Map<string, HashJob>());

  const update = useCallback((id: string, change: Partial<HashedFile>) => {
    setItems((current) => current.map((item) => (item.id === id ? { ...item, ...change } : item)));
  }, []);

  const add = useCallback(
    (files: readonly File[]) => {
      const added = files.map((file) => ({ id: crypto.randomUUID(), file, hashedBytes: 0 }));
      setItems((current) => [...current, ...added]);
      for (const item of added) {
        const job = sharedHasher().hash(item.file, (bytes) => update(item.id, { hashedBytes: bytes }));
        jobs.current.set(item.id, job);
        job.promise.then(
          (sha256) => update(item.id, { sha256, hashedBytes: item.file.size }),
          (error: unknown) => {
            if (!(error instanceof HashCancelled)) update(item.id, { error: (error as Error).message });
          },
        );
      }
    },
    [update],
  );

  const remove = useCallback((id: string) => {
    jobs.current.get(id)?.cancel();
    jobs.current.delete(id);
    setItems((current) => current.filter((item) => item.id !== id));
  }, []);

  const clear = useCallback(() => {
    for (const job of jobs.current.values()) job.cancel();
    jobs.current.clear();
    setItems([]);
  }, []);

  // Leaving the page stops the hashing of files no one will upload from here.
  useEffect(() => {
    const running = jobs.current;
    return () => {
      for (const job of running.values()) job.cancel();
    };
  }, []);

  return { items, add, remove, clear };
}
