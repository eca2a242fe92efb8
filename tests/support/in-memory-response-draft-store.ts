import type { ResponseDraft } from '../../lambdas/domain/response-draft';
import type { ResponseDraftStore } from '../../lambdas/domain/response-draft-store';

/**
 * A ResponseDraftStore in memory with the condition `DynamoDbResponseDraftStore` writes with: a put succeeds only
 * while the stored draft is at `expectedVersion` (0: none stored). The check and the write happen with no await in
 * between, the in-memory equivalent of one conditional Put; values are copied in and out.
 */
export class InMemoryResponseDraftStore implements ResponseDraftStore {
  private readonly drafts = new Map<string, ResponseDraft>();

  async getResponseDraft(noticeId: string): Promise<ResponseDraft | undefined> {
    const draft = this.drafts.get(noticeId);
    return draft && structuredClone(draft);
  }

  async putResponseDraft(draft: ResponseDraft, expectedVersion: number): Promise<boolean> {
    if ((this.drafts.get(draft.noticeId)?.version ?? 0) !== expectedVersion) return false;
    this.drafts.set(draft.noticeId, structuredClone(draft));
    return true;
  }
}
