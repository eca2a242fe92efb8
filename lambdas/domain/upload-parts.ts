/**
 * Which parts of a multipart upload are still to send, for both uploaders (the CLI and the web app), so they
 * resume alike. The portal's list of stored parts is the truth: a part recorded locally but not stored (the upload
 * was aborted and restarted, or the record outran the store) is sent again, and a stored part of the wrong size
 * (cut short) is replaced. Without the portal's list the local record is all there is. Pure: no node: imports.
 */
export interface CompletedPart {
  partNumber: number;
  etag: string;
  /** The part's SHA-256 (hex), which the completion names for an upload that checks parts. */
  sha256?: string;
}

export interface StoredPart extends CompletedPart {
  size: number;
}

/** Bytes `[start, end)` of part `partNumber` (1-based), as `Blob.slice` takes them. */
export function partRange(
  fileSize: number,
  partSize: number,
  partNumber: number,
): { start: number; end: number; length: number } {
  const start = (partNumber - 1) * partSize;
  const end = Math.min(fileSize, start + partSize);
  return { start, end, length: Math.max(0, end - start) };
}

export interface PartPlan {
  /** Parts already stored, with the ETags (and SHA-256s, where known) the completion needs, in order. */
  stored: CompletedPart[];
  /** Parts still to upload, in order. */
  missing: number[];
}

export function planParts(input: {
  fileSize: number;
  partSize: number;
  partCount: number;
  recorded: readonly CompletedPart[];
  stored?: readonly StoredPart[];
}): PartPlan {
  const have = usableParts(input);
  const stored: CompletedPart[] = [];
  const missing: number[] = [];
  for (let n = 1; n <= input.partCount; n++) {
    const part = have.get(n);
    if (part) stored.push(part);
    else missing.push(n);
  }
  return { stored, missing };
}

/** Part number → the parts that can go into the completion: the portal's (right size), else the record. */
function usableParts(input: Parameters<typeof planParts>[0]): Map<number, CompletedPart> {
  const inRange = (n: number) => Number.isInteger(n) && n >= 1 && n <= input.partCount;
  const rightSize = (p: StoredPart) => p.size === partRange(input.fileSize, input.partSize, p.partNumber).length;
  const source: readonly CompletedPart[] = input.stored ? input.stored.filter(rightSize) : input.recorded;
  return new Map(
    source
      .filter((p) => inRange(p.partNumber) && p.etag)
      .map((p) => [
        p.partNumber,
        { partNumber: p.partNumber, etag: p.etag, ...(p.sha256 ? { sha256: p.sha256 } : {}) },
      ]),
  );
}

/** Bytes already stored for the parts in `stored`. */
export function storedBytes(fileSize: number, partSize: number, stored: readonly CompletedPart[]): number {
  return stored.reduce((sum, part) => sum + partRange(fileSize, partSize, part.partNumber).length, 0);
}

/** Adds or replaces one finished part, keeping the list in part order (the order the completion needs). */
export function withPart(parts: readonly CompletedPart[], part: CompletedPart): CompletedPart[] {
  return [...parts.filter((p) => p.partNumber !== part.partNumber), part].sort((a, b) => a.partNumber - b.partNumber);
}
