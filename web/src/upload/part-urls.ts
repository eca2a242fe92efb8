import type { UploadTarget } from './upload-api';

/**
 * Upload URLs for the parts of one file. URLs expire, so they are fetched in batches as the upload reaches them,
 * replaced when close to expiry or refused, and one refresh serves every part waiting for it (the CLI's PartUrls,
 * cli/uploader.ts, for the browser).
 */
const EXPIRY_MARGIN_MS = 60_000;
/**
 * Part URLs asked for at once (the API hands out at most MAX_PART_URLS). Each part is hashed before its URL is asked
 * for (the URL binds its SHA-256), so a batch runs only a few parts ahead of the uploads.
 */
const BATCH = 8;

/** A part's URL and the headers to send with it (signed into the URL: the part's SHA-256). */
export interface PresignedPart {
  url: string;
  headers: Record<string, string>;
}

export class PartUrls {
  private readonly urls = new Map<number, PresignedPart & { expiresAt: number }>();
  private refreshing?: Promise<void>;

  constructor(
    private readonly fetchBatch: (parts: number[]) => Promise<UploadTarget>,
    initial?: UploadTarget,
    private readonly now: () => number = Date.now,
  ) {
    if (initial?.method === 'multipart') this.remember(initial);
  }

  async get(partNumber: number, upcoming: () => readonly number[], stale: boolean): Promise<PresignedPart> {
    if (!stale) {
      const ready = this.usable(partNumber);
      if (ready) return ready;
    }
    if (this.refreshing) {
      await this.refreshing;
      const fresh = this.usable(partNumber);
      if (fresh && !stale) return fresh;
    }
    const batch = [partNumber, ...upcoming().filter((n) => n !== partNumber && !this.usable(n))].slice(0, BATCH);
    this.refreshing = this.fetchBatch(batch)
      .then((target) => {
        if (target.method !== 'multipart')
          throw new Error('The portal no longer treats this file as a multipart upload.');
        this.remember(target);
      })
      .finally(() => {
        this.refreshing = undefined;
      });
    await this.refreshing;
    const entry = this.urls.get(partNumber);
    if (!entry) throw new Error(`The portal gave no upload URL for part ${partNumber}.`);
    return { url: entry.url, headers: entry.headers };
  }

  private usable(partNumber: number): PresignedPart | undefined {
    const entry = this.urls.get(partNumber);
    return entry && entry.expiresAt - this.now() > EXPIRY_MARGIN_MS
      ? { url: entry.url, headers: entry.headers }
      : undefined;
  }

  private remember(target: Extract<UploadTarget, { method: 'multipart' }>): void {
    const expiresAt = Date.parse(target.expiresAt);
    for (const part of target.parts) {
      this.urls.set(part.partNumber, { url: part.url, headers: part.headers ?? {}, expiresAt });
    }
  }
}

/** A single-PUT target still usable for a whole upload, not about to expire. */
export function freshEnough(target: { expiresAt: string }, now: number = Date.now()): boolean {
  return Date.parse(target.expiresAt) - now > EXPIRY_MARGIN_MS;
}
