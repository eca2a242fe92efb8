import { createHash } from 'node:crypto';
import { type Entry, openPromise, type ZipFile } from 'yauzl';
import type { BundleEntry, BundleReader } from '../lambdas/domain/bundle-verification';

/**
 * An evidence bundle read from a ZIP on disk with random access (yauzl): the central directory gives every entry
 * and its size; each entry is then read from its own offset, and hashed as a stream, so a bundle of gigabytes is
 * checked in constant memory. yauzl checks each entry's size but not its CRC-32: damaged bytes are caught by the
 * verifier's SHA-256 of every entry (entry-hash), and an entry that cannot be inflated at all is an error of that
 * entry, which the verifier reports as a failure of the check that needed it.
 */
export class ZipBundleReader implements BundleReader {
  private constructor(
    private readonly zip: ZipFile,
    private readonly byPath: Map<string, Entry>,
    private readonly order: BundleEntry[],
  ) {}

  static async open(path: string): Promise<ZipBundleReader> {
    // strictFileNames refuses "\" in names; validateEntrySizes makes a lying size header an error, not a truncation.
    const zip = await openPromise(path, {
      lazyEntries: true,
      autoClose: false,
      strictFileNames: true,
      validateEntrySizes: true,
    });
    const byPath = new Map<string, Entry>();
    const order: BundleEntry[] = [];
    try {
      for await (const entry of zip.eachEntry()) {
        if (entry.fileName.endsWith('/')) continue;
        order.push({ path: entry.fileName, size: entry.uncompressedSize });
        // A second entry of the same name is listed (the verifier refuses duplicates) but never read.
        if (!byPath.has(entry.fileName)) byPath.set(entry.fileName, entry);
      }
    } catch (error) {
      zip.close();
      throw error;
    }
    return new ZipBundleReader(zip, byPath, order);
  }

  async entries(): Promise<BundleEntry[]> {
    return [...this.order];
  }

  async read(path: string, maxBytes: number): Promise<Uint8Array> {
    const entry = this.entry(path);
    if (entry.uncompressedSize > maxBytes) throw new Error(`${path} is larger than ${maxBytes} bytes`);
    const chunks: Buffer[] = [];
    for await (const chunk of await this.zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async hash(path: string): Promise<{ size: number; sha256: string }> {
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of await this.zip.openReadStreamPromise(this.entry(path))) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    return { size, sha256: hash.digest('hex') };
  }

  close(): void {
    this.zip.close();
  }

  private entry(path: string): Entry {
    const entry = this.byPath.get(path);
    if (!entry) throw new Error(`the archive has no entry ${path}`);
    return entry;
  }
}
