import type { HashReply } from './hash-messages';

/**
 * Hashes chosen files in Workers (sha256.worker.ts), at most two at once: hashing is bound by disk and CPU, and
 * the machine has other work (the page, the uploads). Each job can be cancelled; cancelling terminates its Worker,
 * which is the only way to stop a read in progress.
 */
export interface HashJob {
  promise: Promise<string>;
  cancel(): void;
}

export class HashCancelled extends Error {
  constructor() {
    super('Hashing was cancelled');
    this.name = 'HashCancelled';
  }
}

const PARALLEL = 2;

type Waiting = { start: () => void; drop: () => void };

export class FileHasher {
  private running = 0;
  private readonly queue: Waiting[] = [];

  constructor(private readonly makeWorker: () => Worker = defaultWorker) {}

  /** Starts hashing `file` or a slice of it (or queues it); `onProgress` gets the bytes hashed so far. */
  hash(file: Blob, onProgress: (bytes: number) => void = () => {}): HashJob {
    let worker: Worker | undefined;
    let settled = false;
    let rejectJob: (error: Error) => void = () => {};
    let cancelQueued = () => {};
    const promise = new Promise<string>((resolve, reject) => {
      rejectJob = reject;
      const finish = () => {
        settled = true;
        worker?.terminate();
        this.running--;
        this.next();
      };
      const start = () => {
        this.running++;
        worker = this.makeWorker();
        worker.onmessage = (event: MessageEvent<HashReply>) => {
          const reply = event.data;
          if (reply.type === 'progress') onProgress(reply.bytes);
          else if (reply.type === 'done') {
            finish();
            resolve(reply.sha256);
          } else {
            finish();
            reject(new Error(`The file could not be read: ${reply.message}`));
          }
        };
        worker.onerror = (event) => {
          finish();
          reject(new Error(`The file could not be hashed: ${event.message}`));
        };
        worker.postMessage({ id: 1, file });
      };
      const waiting: Waiting = { start, drop: () => {} };
      waiting.drop = () => {
        const at = this.queue.indexOf(waiting);
        if (at >= 0) this.queue.splice(at, 1);
      };
      cancelQueued = waiting.drop;
      this.queue.push(waiting);
      this.next();
    });
    return {
      promise,
      cancel: () => {
        if (settled) return;
        settled = true;
        if (worker) {
          worker.terminate();
          this.running--;
          this.next();
        } else cancelQueued();
        rejectJob(new HashCancelled());
      },
    };
  }

  private next(): void {
    while (this.running < PARALLEL && this.queue.length > 0) this.queue.shift()?.start();
  }
}

/** Vite bundles the Worker as its own asset from this exact pattern (CSP: worker-src 'self'). */
function defaultWorker(): Worker {
  return new Worker(new URL('./sha256.worker.ts', import.meta.url), { type: 'module' });
}
