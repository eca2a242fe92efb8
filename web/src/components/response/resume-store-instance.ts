import { openResumeStore, type ResumeStore } from '../../upload/resume-store';

let store: ResumeStore | undefined;

/** The page's one resume store (one IndexedDB connection), opened on first use. */
export function resumeStore(): ResumeStore {
  store ??= openResumeStore();
  return store;
}
