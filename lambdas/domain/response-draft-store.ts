import type { ResponseDraft } from './response-draft';

/** Storage of the response being prepared for a notice: one per notice, replaced whole on each save. */
export interface ResponseDraftStore {
  getResponseDraft(noticeId: string): Promise<ResponseDraft | undefined>;
  /**
   * Writes `draft` if the stored one is still at `expectedVersion` (0: none stored yet); false if someone else
   * saved first. The check and the write are one conditional write, so of two racing saves exactly one wins.
   */
  putResponseDraft(draft: ResponseDraft, expectedVersion: number): Promise<boolean>;
}
