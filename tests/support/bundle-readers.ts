import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BundleEntry, BundleReader } from '../../lambdas/domain/bundle-verification';
import type { BundleSourceEntry } from './evidence-bundle-generator';

/** A bundle held as entries (in memory, or files on disk for large ones): the verifier's tests read this. */
export function entriesBundleReader(entries: readonly BundleSourceEntry[]): BundleReader {
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const get = (path: string) => {
    const entry = byPath.get(path);
    if (!entry) throw new Error(`no entry ${path}`);
    return entry;
  };
  const sizeOf = (e: BundleSourceEntry) => e.file?.size ?? e.bytes?.length ?? 0;
  return {
    async entries(): Promise<BundleEntry[]> {
      return entries.map((e) => ({ path: e.path, size: sizeOf(e) }));
    },
    async read(path, maxBytes) {
      const entry = get(path);
      if (sizeOf(entry) > maxBytes) throw new Error(`${path} is larger than ${maxBytes} bytes`);
      return entry.bytes ?? (await readFile(entry.file?.path as string));
    },
    async hash(path) {
      const entry = get(path);
      if (entry.bytes)
        return { size: entry.bytes.length, sha256: createHash('sha256').update(entry.bytes).digest('hex') };
      return hashFile(entry.file?.path as string);
    },
  };
}

export async function hashFile(path: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
}

/**
 * A bundle unpacked into a folder (the worked example in docs/evidence-example/bundle): the entries are the ones
 * its manifest.json lists, in that order, then manifest.json itself.
 */
export async function folderBundleReader(folder: string): Promise<BundleReader> {
  const manifest = JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8')) as { entries: { path: string }[] };
  const entries: BundleSourceEntry[] = [];
  for (const path of [...manifest.entries.map((e) => e.path), 'manifest.json']) {
    entries.push({ path, bytes: await readFile(join(folder, path)) });
  }
  return entriesBundleReader(entries);
}

/** Replaces (or, with `bytes` undefined, removes) an entry and rebuilds manifest.json, as a tamperer would. */
export function replaceEntry(
  entries: readonly BundleSourceEntry[],
  path: string,
  bytes: Uint8Array | undefined,
): BundleSourceEntry[] {
  if (bytes === undefined) return entries.filter((e) => e.path !== path);
  const found = entries.some((e) => e.path === path);
  return found ? entries.map((e) => (e.path === path ? { path, bytes } : e)) : [...entries, { path, bytes }];
}
