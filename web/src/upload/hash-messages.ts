/** What the page and the hashing Worker say to each other (sha256.worker.ts, file-hasher.ts). */
export interface HashRequest {
  id: number;
  file: File;
}

export type HashReply =
  | { id: number; type: 'progress'; bytes: number }
  | { id: number; type: 'done'; sha256: string }
  | { id: number; type: 'error'; message: string };
