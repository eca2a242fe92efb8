import { type Actor, actorFor, type Caller, type Role } from './caller';
import { canonicalJson } from './canonical-json';
import { Conflict, Forbidden, ValidationFailed } from './errors';
import { AWAITING_RESPONSE } from './notice';
import { assertVisible } from './notice-lifecycle';
import type { NoticeStore } from './notice-store';
import { emptyResponseDraft, type ResponseDraft, type SaveResponseDraftRequest } from './response-draft';
import type { ResponseDraftStore } from './response-draft-store';
import type { SubmissionStore } from './submission-store';

export interface ResponseDraftServiceDeps {
  notices: Pick<NoticeStore, 'load'>;
  drafts: ResponseDraftStore;
  submissions: Pick<SubmissionStore, 'getSubmission'>;
  clock: () => Date;
}

/** Only the platform prepares its response. */
const PREPARERS: readonly Role[] = ['platform-responder'];

/**
 * The response a platform is preparing, shared between its users: one prepares, another signs and files.
 *
 * Saving a draft is deliberately not an event in the notice's hash-chained record: the record states what the
 * regulator and the platform did to each other (gave, acknowledged, filed), and a platform's unsigned work in
 * progress is neither; it is privileged and changes with every keystroke of an autosave. What binds the platform is
 * the signed manifest at finalize, which is recorded. So the draft is one item beside the notice, replaced by a
 * conditional write on its version (the same guarantee against lost updates, without growing the record).
 */
export class ResponseDraftService {
  constructor(private readonly deps: ResponseDraftServiceDeps) {}

  /** The draft as stored, or version 0 with no answers; regulators are refused (it is the platform's work). */
  async get(caller: Caller, noticeId: string): Promise<ResponseDraft> {
    // The role before the notice: 403 for a regulator, whatever the id, so the answer says nothing about it.
    this.preparer(caller);
    assertVisible(caller, await this.deps.notices.load(noticeId), noticeId);
    const stored = await this.deps.drafts.getResponseDraft(noticeId);
    return stored ? this.current(stored) : emptyResponseDraft(noticeId);
  }

  /** Replaces the draft from `expectedVersion`; 409 stale-version if someone saved since. */
  async save(caller: Caller, noticeId: string, request: SaveResponseDraftRequest): Promise<ResponseDraft> {
    const actor = this.preparer(caller);
    const notice = assertVisible(caller, await this.deps.notices.load(noticeId), noticeId);
    if (!AWAITING_RESPONSE.includes(notice.status)) {
      throw new Conflict(
        'illegal-transition',
        `Notice ${noticeId} is ${notice.status}; a response can be prepared only while it awaits one.`,
      );
    }
    if (request.submissionId !== undefined) await this.assertUnfiledSubmission(noticeId, request.submissionId);
    const stored = (await this.deps.drafts.getResponseDraft(noticeId)) ?? emptyResponseDraft(noticeId);
    if (stored.version !== request.expectedVersion) throw staleVersion(noticeId, stored.version);

    const savedAt = this.deps.clock().toISOString();
    const next: ResponseDraft = {
      noticeId,
      version: request.expectedVersion + 1,
      answers: request.answers,
      signer: request.signer,
      submissionId: request.submissionId,
      savedAt,
      savedBy: actor,
      readyForSigning: request.readyForSigning ? readiness(stored, request, { at: savedAt, by: actor }) : undefined,
    };
    if (!(await this.deps.drafts.putResponseDraft(next, request.expectedVersion))) {
      // Lost the conditional write to a save that read the same version: the other save stands.
      throw staleVersion(noticeId);
    }
    return next;
  }

  private preparer(caller: Caller): Actor {
    const actor = actorFor(caller, PREPARERS);
    if (!actor) throw new Forbidden('Only platform-responder users may read or save a response being prepared.');
    return actor;
  }

  /** The submission must be this notice's and still accept files or a filing (open, or being verified). */
  private async assertUnfiledSubmission(noticeId: string, submissionId: string): Promise<void> {
    const submission = await this.deps.submissions.getSubmission(noticeId, submissionId);
    if (!submission) {
      throw new ValidationFailed([
        { path: 'submissionId', message: `notice ${noticeId} has no submission ${submissionId}` },
      ]);
    }
    if (submission.status === 'filed') {
      throw new ValidationFailed([
        { path: 'submissionId', message: `submission ${submissionId} is already filed; open a new one` },
      ]);
    }
  }

  /**
   * A draft whose submission has since been filed (the notice was then asked for further information, and the
   * platform prepares its next response) keeps its answers as a starting point, but not the filed submission or
   * the ready mark, which were about the response already filed; the next save starts from there.
   */
  private async current(draft: ResponseDraft): Promise<ResponseDraft> {
    if (draft.submissionId === undefined) return draft;
    const submission = await this.deps.submissions.getSubmission(draft.noticeId, draft.submissionId);
    if (submission && submission.status !== 'filed') return draft;
    const { submissionId: _filed, readyForSigning: _ready, ...rest } = draft;
    return rest;
  }
}

function staleVersion(noticeId: string, current?: number): Conflict {
  return new Conflict(
    'stale-version',
    `The response being prepared for notice ${noticeId} was saved by someone else since you read it` +
      `${current === undefined ? '' : ` (it is now version ${current})`}; reload it and make your change again.`,
  );
}

/**
 * Who marked the draft ready, and when: kept from the stored draft while what would be signed (answers, signer,
 * submission) is unchanged; a save that changes it while keeping it ready is a new mark by whoever saved it.
 */
function readiness(
  stored: ResponseDraft,
  request: SaveResponseDraftRequest,
  mark: NonNullable<ResponseDraft['readyForSigning']>,
): NonNullable<ResponseDraft['readyForSigning']> {
  const content = (d: Pick<ResponseDraft, 'answers' | 'signer' | 'submissionId'>) =>
    canonicalJson({ answers: d.answers, signer: d.signer, submissionId: d.submissionId });
  return stored.readyForSigning && content(stored) === content(request) ? stored.readyForSigning : mark;
}
