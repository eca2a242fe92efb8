import type { Notice } from './notice';
import type { NoticeAsGiven } from './notice-verification';
import { SIGNATURE_TYPES } from './signature-types';

/**
 * The notice as given (docs/evidence.md): what the regulator signs at issue, so that what a notice said, to whom,
 * on what legal basis, when it was given and when it is due can be proved offline with the published keys alone.
 */

/** Signs a notice as given with the regulator's key (compact JWS, header typ nrp-notice+jws). */
export interface NoticeSigner {
  /**
   * Resolves once the key is the active one in the regulator's key log; `issue` reads the moment of giving after
   * it, so given-at and signed-at fall in the key's published window.
   */
  ready?(): Promise<void>;
  sign(notice: NoticeAsGiven): Promise<string>;
}

/** The latest complete checkpoint (checkpoint-reader.ts), named in what is signed when there is one. */
export type LatestCheckpoint = () => Promise<{ seq: number; hash: string } | undefined>;

/**
 * The payload for `draft` given at `givenAt` with the due time computed for it. `draft` is the notice before
 * issue: its version and last hash are those of the last `created` / `draft-revised` event, the content signed.
 */
export function noticeAsGiven(input: {
  draft: Notice;
  givenAt: string;
  due: { dueAt?: string; dueExplanation?: string[] };
  checkpoint?: { seq: number; hash: string };
  signedAt: string;
}): NoticeAsGiven {
  const { draft: n, due } = input;
  return {
    typ: SIGNATURE_TYPES.notice.payload,
    noticeId: n.id,
    platformId: n.platformId,
    type: n.type,
    title: n.title,
    legalBasis: n.legalBasis,
    requirements: n.requirements,
    mannerAndForm: n.mannerAndForm,
    consequences: n.consequences,
    timeZone: n.timeZone,
    jurisdiction: n.jurisdiction,
    ...(n.deadlineRule ? { deadlineRule: n.deadlineRule } : {}),
    ...(n.requestedDueAt ? { requestedDueAt: n.requestedDueAt } : {}),
    contacts: n.contacts,
    ...(n.infringement ? { infringement: n.infringement } : {}),
    givenAt: input.givenAt,
    ...(due.dueAt ? { dueAt: due.dueAt } : {}),
    ...(due.dueExplanation ? { dueExplanation: due.dueExplanation } : {}),
    contentSeq: n.version,
    contentHash: n.lastEventHash,
    ...(input.checkpoint ? { checkpoint: { seq: input.checkpoint.seq, hash: input.checkpoint.hash } } : {}),
    signedAt: input.signedAt,
  };
}
