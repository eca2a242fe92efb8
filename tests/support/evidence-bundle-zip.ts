import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { ZipFile } from 'yazl';
import type { BundleSourceEntry } from './evidence-bundle-generator';

/**
 * Writes a bundle's entries to a ZIP on disk, streaming: large files are read from disk as yazl writes them, so
 * memory stays flat whatever their size (the benchmark's 1 GiB). Files are stored, documents deflated: the
 * evidence is in the bytes, and deflating gigabytes of already-compressed uploads only costs time.
 */
export async function writeBundleZip(entries: readonly BundleSourceEntry[], outPath: string): Promise<void> {
  const zip = new ZipFile();
  const out = createWriteStream(outPath);
  zip.outputStream.pipe(out);
  const mtime = new Date('2026-01-01T00:00:00Z');
  for (const entry of entries) {
    if (entry.file) zip.addFile(entry.file.path, entry.path, { compress: false, mtime });
    else zip.addBuffer(Buffer.from(entry.bytes ?? new Uint8Array()), entry.path, { compress: true, mtime });
  }
  zip.end();
  await once(out, 'close');
}
