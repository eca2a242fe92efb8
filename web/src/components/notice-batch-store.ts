/**
 * The same notice to several platforms: one draft and one issue per platform, each with its own Idempotency-Keys,
 * kept in sessionStorage so that a retry — after a failure, a reload or signing in again — sends the same keys and
 * the API answers with the first result instead of creating or issuing twice. Each notice stands alone: it is
 * issued, or it is left a draft and the result page says so.
 */
export interface BatchItem {
  platformId: string;
  createKey: string;
  issueKey: string;
  noticeId?: string;
  issued?: boolean;
  /** The API's words for the last failure of this platform's draft or issue. */
  error?: string;
}

export interface NoticeBatch {
  id: string;
  /** The form's values the drafts were made from, so a resubmission of the same values reuses the same keys. */
  valuesJson: string;
  items: BatchItem[];
}

const PREFIX = 'notice-batch:';
const PENDING = 'notice-batch-pending';

export function loadBatch(id: string): NoticeBatch | undefined {
  const saved = window.sessionStorage.getItem(PREFIX + id);
  if (!saved) return undefined;
  try {
    return JSON.parse(saved) as NoticeBatch;
  } catch {
    return undefined;
  }
}

export function saveBatch(batch: NoticeBatch): void {
  window.sessionStorage.setItem(PREFIX + batch.id, JSON.stringify(batch));
}

/**
 * The batch for these form values: the one the last submission started if the values are unchanged (so its keys
 * are reused), otherwise a new one with fresh keys.
 */
export function batchForSubmission(valuesJson: string, platformIds: readonly string[]): NoticeBatch {
  const pendingId = window.sessionStorage.getItem(PENDING);
  const pending = pendingId ? loadBatch(pendingId) : undefined;
  if (pending && pending.valuesJson === valuesJson) return pending;
  const batch: NoticeBatch = {
    id: crypto.randomUUID(),
    valuesJson,
    items: platformIds.map((platformId) => ({
      platformId,
      createKey: crypto.randomUUID(),
      issueKey: crypto.randomUUID(),
    })),
  };
  saveBatch(batch);
  window.sessionStorage.setItem(PENDING, batch.id);
  return batch;
}

/** The form has been handed over (its drafts exist): the next submission is a new batch. */
export function finishSubmission(): void {
  window.sessionStorage.removeItem(PENDING);
}

export function updateItem(batch: NoticeBatch, index: number, patch: Partial<BatchItem>): NoticeBatch {
  const next = { ...batch, items: batch.items.map((item, i) => (i === index ? { ...item, ...patch } : item)) };
  saveBatch(next);
  return next;
}
