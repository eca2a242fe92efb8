import { type CompletedPart, withPart } from '../../../lambdas/domain/upload-parts';

/**
 * What this browser remembers of an upload so it can carry on after a lost connection or a closed tab: which
 * submission the files are going to and, per file, how to recognise it again (name, size, last modified), its
 * SHA-256 (so a 5 GiB file is not hashed twice) and the parts storage has acknowledged with an ETag. Upload URLs
 * are not kept: they expire, and fresh ones are asked for on resume. One record per notice, in IndexedDB (the
 * files themselves cannot be kept: a browser only reads a file the user chose again).
 */
export interface ResumeFile {
  index: number;
  name: string;
  size: number;
  lastModified: number;
  sha256: string;
  contentType?: string;
  parts: CompletedPart[];
  done: boolean;
}

export interface ResumeState {
  noticeId: string;
  submissionId: string;
  files: ResumeFile[];
  /** Epoch ms of the last change. */
  updatedAt: number;
}

export interface ResumeStore {
  get(noticeId: string): Promise<ResumeState | undefined>;
  put(state: ResumeState): Promise<void>;
  /** Records one finished part of a file (read-modify-write in one transaction, so parallel parts never race). */
  recordPart(noticeId: string, index: number, part: CompletedPart): Promise<void>;
  markDone(noticeId: string, index: number): Promise<void>;
  delete(noticeId: string): Promise<void>;
}

const STORE = 'uploads';

/** The store over IndexedDB database `name` (a test passes its own name for a clean database). */
export function openResumeStore(name = 'notice-portal-uploads'): ResumeStore {
  let db: Promise<IDBDatabase> | undefined;
  const database = () => {
    db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'noticeId' });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    return db;
  };

  const run = async <T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T> | undefined) => {
    const tx = (await database()).transaction(STORE, mode);
    const request = work(tx.objectStore(STORE));
    return new Promise<T | undefined>((resolve, reject) => {
      tx.oncomplete = () => resolve(request?.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  };

  /** Changes one file of a record inside a single readwrite transaction. */
  const updateFile = async (noticeId: string, index: number, change: (file: ResumeFile) => ResumeFile) => {
    const tx = (await database()).transaction(STORE, 'readwrite');
    const store = tx.objectStore(STORE);
    const read = store.get(noticeId);
    read.onsuccess = () => {
      const state = read.result as ResumeState | undefined;
      if (!state) return;
      const files = state.files.map((f) => (f.index === index ? change(f) : f));
      store.put({ ...state, files, updatedAt: Date.now() } satisfies ResumeState);
    };
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  };

  return {
    get: async (noticeId) => (await run<ResumeState>('readonly', (s) => s.get(noticeId))) ?? undefined,
    put: async (state) => {
      await run('readwrite', (s) => s.put(state));
    },
    recordPart: (noticeId, index, part) =>
      updateFile(noticeId, index, (f) => ({ ...f, parts: withPart(f.parts, part) })),
    markDone: (noticeId, index) => updateFile(noticeId, index, (f) => ({ ...f, done: true })),
    delete: async (noticeId) => {
      await run('readwrite', (s) => s.delete(noticeId));
    },
  };
}
