import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { HashReply, HashRequest } from './hash-messages';

/**
 * SHA-256 of a chosen file (or of one part of it, for a multipart upload's part URL), off the page's thread and incrementally: the file is read 8 MiB at a time (never
 * whole — a 5 GiB file must not land in memory) and each slice fed to the hash. Progress is posted after every
 * slice. One file at a time per Worker; the page cancels by terminating the Worker.
 */
const CHUNK = 8 * 1024 * 1024;

// The app's tsconfig has the DOM lib, whose `self` is a Window; in a Worker only these two members matter.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<HashRequest>) => void) | null;
  postMessage(message: HashReply): void;
};

scope.onmessage = async (event: MessageEvent<HashRequest>) => {
  const { id, file } = event.data;
  const reply = (message: HashReply) => scope.postMessage(message);
  try {
    const hash = sha256.create();
    for (let at = 0; at < file.size; at += CHUNK) {
      const slice = new Uint8Array(await file.slice(at, Math.min(file.size, at + CHUNK)).arrayBuffer());
      hash.update(slice);
      reply({ id, type: 'progress', bytes: at + slice.length });
    }
    reply({ id, type: 'done', sha256: bytesToHex(hash.digest()) });
  } catch (error) {
    reply({ id, type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};
