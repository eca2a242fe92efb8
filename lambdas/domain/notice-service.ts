import { actorFor, actsFor, type Caller, isPlatformUser, isRegulator, REGULATOR_ROLES } from './caller';
import { canonicalJson } from './canonical-json';
import { computeDeadline, explicitDeadline, type HolidayCalendar } from './deadline-engine';
import { Conflict, type FieldIssue, Forbidden, NotFound, ValidationFailed } from './errors';
import {
  AWAITING_RESPONSE,
  amountInCents,
  type CreateDraftRequest,
  type DueTerms,
  type DueTimePreviewRequest,
  dueTermsOf,
  type Jurisdiction,
  NOTICE_STATUSES,
  type Notice,
  type NoticeContent,
  type NoticeStatus,
  prepareDraft,
} from './notice';
import { verifyAcknowledgement } from './notice-acknowledgement';
import { type LatestCheckpoint, type NoticeSigner, noticeAsGiven } from './notice-as-given';
import { type Catalogue, findCatalogueEntry } from './notice-catalogue';
import { type EventDecision, type EventKind, GENESIS_HASH, type NoticeEvent, sealEvent } from './notice-event';
import { applyEvent, assertTransition, assertVisible, authorize, type Command } from './notice-lifecycle';
import type { ListQuery, NoticeStore, Page, PageRequest } from './notice-store';
import type { Platform } from './platforms';
import type { SigningKeyLookup } from './signing-key-lookup';

export interface NoticeServiceDeps {
  store: NoticeStore;
  catalogue: Catalogue;
  defaultTimeZone: string;
  defaultJurisdiction: Jurisdiction;
  /** Public holidays of a jurisdiction, for business days and roll-forward. */
  holidaysFor: (jurisdiction: Jurisdiction) => HolidayCalendar;
  /** The onboarded platform with this id (notices go only to onboarded platforms; their contacts are the default). */
  platforms?: (platformId: string) => Promise<Platform | undefined>;
  /**
   * The latest an explicitly chosen due time may be: this many days after the notice is given (a draft's
   * `dueAt`), or after the moment it is set (an extension, further information). @default 730
   */
  maxDueDays?: number;
  /**
   * Signs the notice as given at issue (the regulator's key). Without it notices are issued unsigned (unit tests
   * of other use cases); every deployed and local function that issues has one.
   */
  noticeSigner?: NoticeSigner;
  /** The latest complete checkpoint, named in the signed notice when there is one. */
  latestCheckpoint?: LatestCheckpoint;
  /** The platforms' registered signing keys, for a countersigned acknowledgement. */
  acknowledgementKeys?: SigningKeyLookup;
  clock: () => Date;
  newNoticeId: () => string;
  noticeIdForIdempotencyKey: (subject: string, key: string) => string;
  /**
   * Told of each event a command of this service committed (after the conditional write succeeded); never of a
   * replay answered from an earlier event.
   */
  onCommitted?: (event: NoticeEvent) => void;
}

/** Two years: far beyond any notice's clock, and short of a typing slip such as 2207 for 2027. */
export const DEFAULT_MAX_DUE_DAYS = 730;
const DAY_MS = 86_400_000;

const EVENT_OF: Partial<Record<Command, EventKind>> = {
  'revise-draft': 'draft-revised',
  issue: 'issued',
  acknowledge: 'acknowledged',
  withdraw: 'withdrawn',
  'request-extension': 'extension-requested',
  'grant-extension': 'extension-granted',
  'refuse-extension': 'extension-refused',
  'record-payment': 'payment-recorded',
  'record-non-payment': 'non-payment-recorded',
  'correct-payment': 'payment-corrected',
  'void-payment': 'payment-corrected',
  'start-review': 'review-started',
  'request-further-information': 'further-information-requested',
  accept: 'accepted',
  close: 'closed',
};

/** The dashboard's numbers (NoticeService.counts). */
export interface NoticeCounts {
  countedAt: string;
  byStatus: Record<NoticeStatus, number>;
  /** Issued, acknowledged or further-information-requested, with the due time passed. */
  overdue: number;
  /** The same statuses, due from now until seven days from now. */
  dueInNext7Days: number;
  /** Extension requests awaiting a decision. */
  extensionRequests: number;
}

/** What the due-time preview answers: the same `dueAt` and `dueExplanation` a notice carries once issued. */
export interface DueTimePreview {
  givenAt: string;
  dueAt?: string;
  dueExplanation?: string[];
}

export interface ExtensionRequest {
  requestedDueAt: string;
  reason: string;
}

export interface ExtensionDecision {
  /** The new due time; defaults to the one the platform asked for. */
  dueAt?: string;
  reason?: string;
  legalBasis?: string;
}

export interface PaymentRecord {
  paidAt: string;
  amount: { currency: string; amount: string };
  reference: string;
}

/** Either `void: true`, or the fields to correct; always with the reason. */
export interface PaymentCorrectionRequest {
  reason: string;
  void?: boolean;
  paidAt?: string;
  amount?: { currency: string; amount: string };
  reference?: string;
}

/**
 * The notice use cases. Each change is decided here (who may, from which status, what is recorded) and committed
 * by the store as one conditional write of the next event.
 */
export class NoticeService {
  constructor(private readonly deps: NoticeServiceDeps) {}

  async createDraft(
    caller: Caller,
    input: CreateDraftRequest,
    idempotencyKey?: string,
  ): Promise<{ notice: Notice; created: boolean }> {
    const actor = actorFor(caller, REGULATOR_ROLES);
    if (!actor) throw new Forbidden('Only regulator users may create notices.');
    const content = await this.draftContent(input);

    const id = idempotencyKey
      ? this.deps.noticeIdForIdempotencyKey(caller.subject, idempotencyKey)
      : this.deps.newNoticeId();
    const event = sealEvent(id, 1, GENESIS_HASH, {
      kind: 'created',
      at: this.deps.clock().toISOString(),
      actor,
      data: content,
      idempotencyKey,
    });
    const notice = applyEvent(undefined, event);
    try {
      await this.deps.store.append(event, notice);
      return { notice, created: true };
    } catch (error) {
      if (!(error instanceof Conflict) || !idempotencyKey) throw error;
      // A retry of a create that already succeeded: same caller, same key, same content → the same notice.
      const first = await this.deps.store.getEvent(id, 1);
      if (first && canonicalJson(first.data) === canonicalJson(content)) {
        const existing = await this.deps.store.load(id);
        if (existing) return { notice: existing, created: false };
      }
      throw new Conflict(
        'idempotency-key-reused',
        'This Idempotency-Key was already used for a different notice; use a new key for a new request.',
      );
    }
  }

  /**
   * Replaces a draft's content (the same fields as creating one, checked the same way), recorded as a
   * `draft-revised` event with the whole new content. Only while it is a draft, and only from the version the
   * caller last saw: a revision made from an older version is refused (409 `stale-version`) rather than silently
   * undoing someone else's change.
   */
  async reviseDraft(
    caller: Caller,
    id: string,
    input: CreateDraftRequest,
    expectedVersion: number,
    idempotencyKey?: string,
  ): Promise<Notice> {
    // The role first, as in every change: a platform user learns nothing about the draft or its content checks.
    authorize(caller, 'revise-draft');
    assertVisible(caller, await this.deps.store.load(id), id);
    const content = await this.draftContent(input);
    return this.change(caller, id, 'revise-draft', idempotencyKey, (notice) => {
      if (notice.version !== expectedVersion) {
        throw new Conflict(
          'stale-version',
          `Notice ${id} is at version ${notice.version}, not ${expectedVersion}: it was changed since it was read; reload it and revise again.`,
        );
      }
      return { kind: 'draft-revised', data: content };
    });
  }

  /**
   * The regulators' dashboard numbers at `now`: notices per status, open notices overdue and due in the next
   * seven days, and extension requests awaiting a decision. Each is a count Query (see NoticeStore.count).
   */
  async counts(caller: Caller): Promise<NoticeCounts> {
    if (!isRegulator(caller)) throw new Forbidden('Only regulator users may count notices.');
    const { store } = this.deps;
    const now = this.deps.clock();
    const nowIso = now.toISOString();
    const weekIso = new Date(now.getTime() + 7 * DAY_MS).toISOString();
    const all = { includeDrafts: true } as const;
    const [perStatus, overdue, dueInNext7Days, extensionRequests] = await Promise.all([
      Promise.all(NOTICE_STATUSES.map((status) => store.count({ ...all, status }))),
      store.count({ ...all, open: true, dueBefore: nowIso }),
      // From now on (a notice due this very millisecond is not yet overdue), before a week from now.
      store.count({ ...all, open: true, dueAfter: new Date(now.getTime() - 1).toISOString(), dueBefore: weekIso }),
      store.count({ ...all, open: true, extension: 'requested' }),
    ]);
    return {
      countedAt: nowIso,
      byStatus: Object.fromEntries(NOTICE_STATUSES.map((status, i) => [status, perStatus[i] ?? 0])) as Record<
        NoticeStatus,
        number
      >,
      overdue,
      dueInNext7Days,
      extensionRequests,
    };
  }

  async get(caller: Caller, id: string): Promise<Notice> {
    return assertVisible(caller, await this.deps.store.load(id), id);
  }

  async list(caller: Caller, query: ListQuery, page: PageRequest): Promise<Page<Notice>> {
    if (isRegulator(caller)) return this.deps.store.list({ ...query, includeDrafts: true }, page);
    // Signed in but in no portal group (an account set up wrongly): sees nothing rather than everything.
    if (!isPlatformUser(caller)) throw new Forbidden('This account has no role in the portal.');
    if (query.platformId !== undefined && !actsFor(caller, query.platformId)) {
      throw new Forbidden("Platform users may list only their own platform's notices.");
    }
    // Drafts are never shown to platforms: they have not been given.
    if (query.status === 'draft') return { items: [] };
    // One platform at a time: their own by default, or one merged into theirs when named.
    return this.deps.store.list(
      { ...query, platformId: query.platformId ?? caller.platformId, includeDrafts: false },
      page,
    );
  }

  async history(caller: Caller, id: string, page: PageRequest): Promise<Page<NoticeEvent>> {
    assertVisible(caller, await this.deps.store.load(id), id);
    return this.deps.store.history(id, page);
  }

  /**
   * Gives the notice: records the moment of giving, the due time with its explanation, and the notice as given
   * signed by the regulator (signed before the commit, with the given-at of the event it goes into; a retry with
   * the same Idempotency-Key answers with the recorded event and signs nothing).
   */
  async issue(caller: Caller, id: string, idempotencyKey?: string): Promise<Notice> {
    const { noticeSigner, latestCheckpoint } = this.deps;
    authorize(caller, 'issue');
    // Before the moment of giving is read: a key activated now must already be in force at given-at.
    await noticeSigner?.ready?.();
    return this.change(caller, id, 'issue', idempotencyKey, async (notice, now) => {
      const deadline = this.deadlineAtGiving(notice, now);
      const due = deadline ? { dueAt: deadline.dueAt.toISOString(), dueExplanation: deadline.explanation } : {};
      if (!noticeSigner) return { kind: 'issued', data: due };
      const signedNotice = await noticeSigner.sign(
        noticeAsGiven({
          draft: notice,
          givenAt: now.toISOString(),
          due,
          checkpoint: await latestCheckpoint?.(),
          signedAt: this.deps.clock().toISOString(),
        }),
      );
      return { kind: 'issued', data: { ...due, signedNotice } };
    });
  }

  /**
   * The due time a draft with these terms would get if given at `givenAt` (default now), with its explanation:
   * computed exactly as `issue` computes it, and nothing is written. Regulators only, as drafting is.
   */
  previewDueTime(caller: Caller, input: DueTimePreviewRequest): DueTimePreview {
    if (!actorFor(caller, REGULATOR_ROLES)) throw new Forbidden('Only regulator users may preview due times.');
    const entry = findCatalogueEntry(this.deps.catalogue, input.type);
    if (!entry) {
      const known = this.deps.catalogue.map((e) => e.type).join(', ');
      throw new ValidationFailed([
        { path: 'type', message: `unknown notice type "${input.type}"; known types: ${known}` },
      ]);
    }
    const due = dueTermsOf(entry, input, {
      timeZone: this.deps.defaultTimeZone,
      jurisdiction: this.deps.defaultJurisdiction,
    });
    if ('issues' in due) throw new ValidationFailed(due.issues);
    this.assertKnownJurisdiction(due.terms.jurisdiction);
    const givenAt = input.givenAt ? new Date(input.givenAt) : this.deps.clock();
    const deadline = this.deadlineAtGiving(due.terms, givenAt);
    return {
      givenAt: givenAt.toISOString(),
      ...(deadline ? { dueAt: deadline.dueAt.toISOString(), dueExplanation: deadline.explanation } : {}),
    };
  }

  /**
   * The platform confirms receipt; with `signature`, a countersignature over the signed notice made with one of
   * its registered keys (verified against the keys valid now; 400 on the field `signature` otherwise).
   */
  acknowledge(caller: Caller, id: string, idempotencyKey?: string, signature?: string): Promise<Notice> {
    return this.change(caller, id, 'acknowledge', idempotencyKey, async (notice, now) => {
      if (signature === undefined) return { kind: 'acknowledged', data: {} };
      const keys = this.deps.acknowledgementKeys;
      if (!keys) throw new Error('invariant: no signing-key lookup for countersigned acknowledgements');
      const { kid } = await verifyAcknowledgement({
        signature,
        notice,
        platformId: caller.platformId ?? notice.platformId,
        findKey: (platformId, keyId) => keys.getKey(platformId, keyId),
        now,
      });
      return { kind: 'acknowledged', data: { signature, kid } };
    });
  }

  withdraw(caller: Caller, id: string, reason: string, idempotencyKey?: string): Promise<Notice> {
    return this.change(caller, id, 'withdraw', idempotencyKey, () => ({ kind: 'withdrawn', reason, data: {} }));
  }

  requestExtension(caller: Caller, id: string, request: ExtensionRequest, idempotencyKey?: string): Promise<Notice> {
    return this.change(caller, id, 'request-extension', idempotencyKey, (notice, now) => {
      if (!notice.dueAt) throw new Conflict('illegal-transition', `Notice ${id} has no due time to extend.`);
      if (notice.extensions.some((e) => e.status === 'requested')) {
        throw new Conflict('illegal-transition', `An extension of notice ${id} is already awaiting a decision.`);
      }
      const requestedDueAt = new Date(request.requestedDueAt).toISOString();
      if (requestedDueAt <= notice.dueAt) {
        throw new ValidationFailed([
          { path: 'requestedDueAt', message: `must be later than the current due time ${notice.dueAt}` },
        ]);
      }
      this.assertWithinMaxDue('requestedDueAt', requestedDueAt, now, 'from now');
      return {
        kind: 'extension-requested',
        reason: request.reason,
        data: { extensionId: `ext_${notice.extensions.length + 1}`, requestedDueAt },
      };
    });
  }

  grantExtension(
    caller: Caller,
    id: string,
    extensionId: string,
    decision: ExtensionDecision,
    idempotencyKey?: string,
  ): Promise<Notice> {
    return this.change(caller, id, 'grant-extension', idempotencyKey, (notice, now) => {
      const extension = pendingExtension(notice, extensionId);
      const grantedDueAt = new Date(decision.dueAt ?? extension.requestedDueAt).toISOString();
      if (!notice.dueAt || grantedDueAt <= notice.dueAt || grantedDueAt <= now.toISOString()) {
        throw new ValidationFailed([
          { path: 'dueAt', message: `must be later than both now and the current due time ${notice.dueAt}` },
        ]);
      }
      this.assertWithinMaxDue('dueAt', grantedDueAt, now, 'from now');
      return {
        kind: 'extension-granted',
        reason: decision.reason,
        data: { extensionId, previousDueAt: notice.dueAt, grantedDueAt, legalBasis: decision.legalBasis },
      };
    });
  }

  refuseExtension(caller: Caller, id: string, extensionId: string, reason: string, idempotencyKey?: string) {
    return this.change(caller, id, 'refuse-extension', idempotencyKey, (notice) => {
      pendingExtension(notice, extensionId);
      return { kind: 'extension-refused', reason, data: { extensionId } };
    });
  }

  recordPayment(caller: Caller, id: string, payment: PaymentRecord, idempotencyKey?: string): Promise<Notice> {
    return this.change(caller, id, 'record-payment', idempotencyKey, (notice, now) => {
      this.assertDemandsPayment(notice);
      const issues = paymentIssues(notice, payment, now);
      if (issues.length > 0) throw new ValidationFailed(issues, 'The payment does not match the notice.');
      return {
        kind: 'payment-recorded',
        data: { paidAt: new Date(payment.paidAt).toISOString(), amount: payment.amount, reference: payment.reference },
      };
    });
  }

  /**
   * Corrects a recorded payment (some of its fields) or voids it (the notice awaits payment again). The payment
   * event stays as it was; this appends a `payment-corrected` event saying who, when, why, and before/after.
   */
  correctPayment(
    caller: Caller,
    id: string,
    correction: PaymentCorrectionRequest,
    idempotencyKey?: string,
  ): Promise<Notice> {
    const command = correction.void ? 'void-payment' : 'correct-payment';
    return this.change(caller, id, command, idempotencyKey, (notice, now) => {
      this.assertDemandsPayment(notice);
      const recorded = notice.payment;
      const previous = { paidAt: recorded?.paidAt, amount: recorded?.amount, reference: recorded?.reference };
      if (correction.void) {
        return { kind: 'payment-corrected', reason: correction.reason, data: { voided: true, previous } };
      }
      const corrected = {
        ...(correction.paidAt ? { paidAt: new Date(correction.paidAt).toISOString() } : {}),
        ...(correction.amount ? { amount: correction.amount } : {}),
        ...(correction.reference ? { reference: correction.reference } : {}),
      };
      if (Object.keys(corrected).length === 0) {
        throw new ValidationFailed([{ path: 'void', message: 'give the fields to correct, or void: true' }]);
      }
      const after = { ...previous, ...corrected } as PaymentRecord;
      const issues = paymentIssues(notice, after, now);
      if (issues.length > 0) throw new ValidationFailed(issues, 'The corrected payment does not match the notice.');
      return { kind: 'payment-corrected', reason: correction.reason, data: { voided: false, previous, corrected } };
    });
  }

  recordNonPayment(caller: Caller, id: string, reason: string, idempotencyKey?: string): Promise<Notice> {
    return this.change(caller, id, 'record-non-payment', idempotencyKey, (notice, now) => {
      this.assertDemandsPayment(notice);
      if (!notice.dueAt || now.toISOString() <= notice.dueAt) {
        throw new Conflict(
          'illegal-transition',
          `The time for payment of notice ${id} has not passed (due ${notice.dueAt}); non-payment cannot be recorded yet.`,
        );
      }
      return { kind: 'non-payment-recorded', reason, data: {} };
    });
  }

  /** The regulator starts reviewing a submitted response. */
  startReview(caller: Caller, id: string, idempotencyKey?: string): Promise<Notice> {
    return this.change(caller, id, 'start-review', idempotencyKey, () => ({ kind: 'review-started', data: {} }));
  }

  /**
   * After review, the regulator asks for more: what (the reason) and by when (a new due time, which reschedules
   * reminders). The platform then files another response.
   */
  requestFurtherInformation(
    caller: Caller,
    id: string,
    request: { dueAt: string; reason: string },
    idempotencyKey?: string,
  ) {
    return this.change(caller, id, 'request-further-information', idempotencyKey, (_notice, now) => {
      const dueAt = new Date(request.dueAt).toISOString();
      if (dueAt <= now.toISOString()) throw new ValidationFailed([{ path: 'dueAt', message: 'must be in the future' }]);
      this.assertWithinMaxDue('dueAt', dueAt, now, 'from now');
      return { kind: 'further-information-requested', reason: request.reason, data: { dueAt } };
    });
  }

  accept(caller: Caller, id: string, reason: string | undefined, idempotencyKey?: string): Promise<Notice> {
    return this.change(caller, id, 'accept', idempotencyKey, () => ({ kind: 'accepted', reason, data: {} }));
  }

  close(caller: Caller, id: string, reason: string | undefined, idempotencyKey?: string): Promise<Notice> {
    return this.change(caller, id, 'close', idempotencyKey, () => ({ kind: 'closed', reason, data: {} }));
  }

  /**
   * A draft's content from a create or revise request: checked against the catalogue, the due-time bound, the
   * jurisdiction, the onboarded platform (whose contacts are the default) and any infringement basis.
   */
  private async draftContent(input: CreateDraftRequest): Promise<NoticeContent> {
    const prepared = prepareDraft(input, this.deps.catalogue, {
      timeZone: this.deps.defaultTimeZone,
      jurisdiction: this.deps.defaultJurisdiction,
      now: this.deps.clock(),
    });
    if ('issues' in prepared) throw new ValidationFailed(prepared.issues);
    // The notice is given no earlier than now, so a due time within the bound of now is within it at issue.
    if (prepared.content.requestedDueAt) {
      this.assertWithinMaxDue('dueAt', prepared.content.requestedDueAt, this.deps.clock(), 'from now');
    }
    this.assertKnownJurisdiction(prepared.content.jurisdiction);
    if (this.deps.platforms) {
      const platform = await this.deps.platforms(prepared.content.platformId);
      if (platform?.status !== 'active') {
        const hint = platform?.mergedInto ? `; it was merged into "${platform.mergedInto}"` : '';
        throw new ValidationFailed([
          { path: 'platformId', message: `no onboarded platform "${prepared.content.platformId}"${hint}` },
        ]);
      }
      if (prepared.content.contacts.length === 0) prepared.content.contacts = platform.contacts;
    }
    if (prepared.content.infringement?.relatedNoticeId) {
      await this.assertInfringementBasis(prepared.content.infringement.relatedNoticeId, prepared.content.platformId);
    }
    return prepared.content;
  }

  /**
   * The deadline of a notice with these terms given at `givenAt`, with its explanation (undefined when nothing is
   * due); a due time that would already have passed, or lies too far ahead, is a field error. The one path both
   * `issue` and the preview take.
   */
  private deadlineAtGiving(terms: DueTerms, givenAt: Date) {
    const deadline = this.deadlineOf(terms, givenAt);
    if (deadline && deadline.dueAt <= givenAt) {
      throw new ValidationFailed([
        { path: 'dueAt', message: `the due time in the draft (${terms.requestedDueAt}) has already passed` },
      ]);
    }
    if (terms.requestedDueAt) this.assertWithinMaxDue('dueAt', terms.requestedDueAt, givenAt, 'after giving');
    return deadline;
  }

  /** The deadline of a notice with these terms given at `givenAt`; undefined when nothing is due. */
  private deadlineOf(terms: DueTerms, givenAt: Date) {
    if (terms.requestedDueAt) return explicitDeadline(givenAt, new Date(terms.requestedDueAt), terms.timeZone);
    if (!terms.deadlineRule) return undefined;
    return computeDeadline({
      givenAt,
      timeZone: terms.timeZone,
      rule: terms.deadlineRule,
      holidays: this.deps.holidaysFor(terms.jurisdiction),
    });
  }

  /** An explicit due time at most `maxDueDays` after `from` (year 9999 is valid ISO 8601, not a due time). */
  private assertWithinMaxDue(path: string, dueAt: string, from: Date, relation: 'from now' | 'after giving') {
    const days = this.deps.maxDueDays ?? DEFAULT_MAX_DUE_DAYS;
    const latest = new Date(from.getTime() + days * DAY_MS);
    if (Date.parse(dueAt) > latest.getTime()) {
      throw new ValidationFailed([
        {
          path,
          message: `must be at most ${days} days ${relation} (no later than ${latest.toISOString()}); got ${dueAt}`,
        },
      ]);
    }
  }

  /** A jurisdiction whose holidays cannot be looked up would only fail later, at issue; refuse it now. */
  private assertKnownJurisdiction(jurisdiction: Jurisdiction): void {
    try {
      this.deps.holidaysFor(jurisdiction);
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      throw new ValidationFailed(error.issues.map((i) => ({ ...i, path: `jurisdiction.${i.path}` })));
    }
  }

  private assertDemandsPayment(notice: Notice): void {
    if (findCatalogueEntry(this.deps.catalogue, notice.type)?.demands !== 'payment') {
      throw new Conflict('illegal-transition', `Notice ${notice.id} is a ${notice.type}, which demands no payment.`);
    }
  }

  /** An infringement notice follows from a notice that is overdue: same platform, clock run out, no response. */
  private async assertInfringementBasis(relatedId: string, platformId: string): Promise<void> {
    const related = await this.deps.store.load(relatedId);
    const path = 'infringement.relatedNoticeId';
    if (!related) throw new ValidationFailed([{ path, message: `notice ${relatedId} does not exist` }]);
    if (related.platformId !== platformId) {
      throw new ValidationFailed([{ path, message: `notice ${relatedId} was given to another platform` }]);
    }
    const overdue =
      AWAITING_RESPONSE.includes(related.status) &&
      related.dueAt !== undefined &&
      related.dueAt < this.deps.clock().toISOString();
    if (!overdue) {
      throw new ValidationFailed([
        {
          path,
          message: `notice ${relatedId} is not overdue (status ${related.status}, due ${related.dueAt ?? 'never'})`,
        },
      ]);
    }
  }

  private async change(
    caller: Caller,
    id: string,
    command: Command,
    idempotencyKey: string | undefined,
    decide: (notice: Notice, now: Date) => EventDecision | Promise<EventDecision>,
  ): Promise<Notice> {
    const { store, clock } = this.deps;
    // The role first: a command the caller's role may never give is 403 whatever the id, so the answer reveals
    // nothing about which notices exist (README, "Identity, roles and onboarding").
    const actor = authorize(caller, command);
    const notice = assertVisible(caller, await store.load(id), id);
    if (idempotencyKey) {
      const replay = await this.replay(caller, id, command, idempotencyKey);
      if (replay) return replay;
    }
    try {
      assertTransition(notice, command);
      const now = clock();
      const event = sealEvent(id, notice.version + 1, notice.lastEventHash, {
        ...(await decide(notice, now)),
        at: now.toISOString(),
        actor,
        idempotencyKey,
      });
      const next = applyEvent(notice, event);
      await store.append(event, next);
      this.deps.onCommitted?.(event);
      return next;
    } catch (error) {
      // Two requests with the same key racing: the loser finds the winner's event and answers as it did.
      const replay =
        error instanceof Conflict && idempotencyKey && (await this.replay(caller, id, command, idempotencyKey));
      if (replay) return replay;
      throw error;
    }
  }

  /** The current notice if `key` already made this change for this caller; 409 if it made another one. */
  private async replay(caller: Caller, id: string, command: Command, key: string): Promise<Notice | undefined> {
    const earlier = await this.deps.store.findEventByIdempotencyKey(id, key);
    if (!earlier) return undefined;
    if (earlier.actor.subject !== caller.subject || earlier.kind !== EVENT_OF[command]) {
      throw new Conflict('idempotency-key-reused', 'This Idempotency-Key was already used for another change.');
    }
    return assertVisible(caller, await this.deps.store.load(id), id);
  }
}

/**
 * A payment must be of the notice's amount payable, in its currency (an infringement notice is paid in full, or
 * not paid), made no earlier than the notice was given and no later than now.
 */
function paymentIssues(notice: Notice, payment: PaymentRecord, now: Date): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const payable = notice.infringement?.amountPayable;
  if (payable && payment.amount.currency !== payable.currency) {
    issues.push({
      path: 'amount.currency',
      message: `must be ${payable.currency}, the currency of the amount payable`,
    });
  } else if (payable && amountInCents(payment.amount.amount) !== amountInCents(payable.amount)) {
    issues.push({
      path: 'amount.amount',
      message: `must be the amount payable, ${payable.currency} ${payable.amount}; got ${payment.amount.amount}`,
    });
  }
  const paidAt = Date.parse(payment.paidAt);
  if (paidAt > now.getTime()) issues.push({ path: 'paidAt', message: 'is in the future' });
  else if (notice.givenAt && paidAt < Date.parse(notice.givenAt)) {
    issues.push({ path: 'paidAt', message: `is before the notice was given (${notice.givenAt})` });
  }
  return issues;
}

function pendingExtension(notice: Notice, extensionId: string) {
  const extension = notice.extensions.find((e) => e.id === extensionId);
  if (!extension) throw new NotFound(`Notice ${notice.id} has no extension ${extensionId}.`);
  if (extension.status !== 'requested') {
    throw new Conflict('illegal-transition', `Extension ${extensionId} was already ${extension.status}.`);
  }
  return extension;
}
