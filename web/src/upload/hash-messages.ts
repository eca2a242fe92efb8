/** What the page and the hashing Worker say to each other (sha256.worker.ts, file-hasher.ts). */
export interface HashRequest {
  id: number;
  /** A chosen file, or one part of it (a slice) for a multipart upload. */
  file: Blob;
}

export type HashReply =
  | { id: number; type: 'progress'; bytes: number }
  | { id: number; type: 'done'; sha256: string }
  | { id: number; type: 'error'; message: string };
