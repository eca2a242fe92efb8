import type { Actor } from '../../api/types';

/*
 * The response draft's shapes as plan-web2.md states the API (branch wt-api) returns them. Once the generated
 * schema has `ResponseDraft` and `DraftAnswer`, these become aliases of web/src/api/types.ts.
 */

/** One question's draft: partial text is allowed (it is a draft); finalize's gate decides what is complete. */
export interface DraftAnswer {
  question: string;
  answer?: string;
  cannotAnswer?: { reason: string };
}

export interface DraftSigner {
  name: string;
  title?: string;
  email?: string;
}

export interface ResponseDraft {
  noticeId: string;
  /** 0 = nothing saved yet; each save makes it expectedVersion + 1. */
  version: number;
  answers: DraftAnswer[];
  signer?: DraftSigner;
  submissionId?: string;
  savedAt?: string;
  savedBy?: Actor;
  readyForSigning?: { at: string; by: Actor };
}

/** What a caller may change in one save; everything not named is kept as the latest draft has it. */
export interface DraftPatch {
  answers?: DraftAnswer[];
  signer?: DraftSigner;
  submissionId?: string;
  readyForSigning?: boolean;
}

/** The POST body: the whole draft each time (the API replaces it), and the version it was based on. */
export interface SaveDraftBody {
  expectedVersion: number;
  answers: DraftAnswer[];
  signer?: DraftSigner;
  submissionId?: string;
  readyForSigning?: boolean;
}
