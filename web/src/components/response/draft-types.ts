import type { DraftAnswer, ResponseDraft, Schemas } from '../../api/types';

/** The response draft's shapes, from the generated schema (getResponseDraft / saveResponseDraft). */
export type { DraftAnswer, ResponseDraft };
export type DraftSigner = Schemas['DraftSigner'];
export type SaveDraftBody = Schemas['SaveResponseDraftRequest'];

/** What a caller may change in one save; everything not named is kept as the latest draft has it. */
export interface DraftPatch {
  answers?: DraftAnswer[];
  signer?: DraftSigner;
  /** `null` lets go of the draft's submission (its upload was cancelled); absent keeps it. */
  submissionId?: string | null;
  readyForSigning?: boolean;
}
