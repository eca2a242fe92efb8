import { actorFor, type Caller, isPlatformUser, isRegulator, REGULATOR_ROLES } from './caller';
import { canonicalJson } from './canonical-json';
import { computeDueTime, type DueRule } from './due-time';
import { Conflict, Forbidden, ValidationFailed } from './errors';
import { type CreateDraftRequest, type Notice, prepareDraft } from './notice';
import type { Catalogue } from './notice-catalogue';
import { type EventKind, GENESIS_HASH, type NoticeEvent, sealEvent, type UnsealedEvent } from './notice-event';
import { applyEvent, assertTransition, assertVisible, authorize, type Command } from './notice-lifecycle';
import type { ListQuery, NoticeStore, Page, PageRequest } from './notice-store';

export interface NoticeServiceDeps {
  store: NoticeStore;
  catalogue: Catalogue;
  defaultTimeZone: string;
  clock: () => Date;
  newNoticeId: () => string;
  noticeIdForIdempotencyKey: (subject: string, key: string) => string;
}

const EVENT_OF: Partial<Record<Command, EventKind>> = {
  issue: 'issued',
  acknowledge: 'acknowledged',
  withdraw: 'withdrawn',
};

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
    const prepared = prepareDraft(input, this.deps.catalogue, { timeZone: this.deps.defaultTimeZone });
    if ('issues' in prepared) throw new ValidationFailed(prepared.issues);

    const id = idempotencyKey
      ? this.deps.noticeIdForIdempotencyKey(caller.subject, idempotencyKey)
      : this.deps.newNoticeId();
    const event = sealEvent(id, 1, GENESIS_HASH, {
      kind: 'created',
      at: this.deps.clock().toISOString(),
      actor,
      data: prepared.content,
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
      if (first && canonicalJson(first.data) === canonicalJson(prepared.content)) {
        const existing = await this.deps.store.load(id);
        if (existing) return { notice: existing, created: false };
      }
      throw new Conflict(
        'idempotency-key-reused',
        'This Idempotency-Key was already used for a different notice; use a new key for a new request.',
      );
    }
  }

  async get(caller: Caller, id: string): Promise<Notice> {
    return assertVisible(caller, await this.deps.store.load(id), id);
  }

  async list(caller: Caller, query: ListQuery, page: PageRequest): Promise<Page<Notice>> {
    if (isRegulator(caller)) return this.deps.store.list(query, page);
    // Signed in but in no portal group (an account set up wrongly): sees nothing rather than everything.
    if (!isPlatformUser(caller)) throw new Forbidden('This account has no role in the portal.');
    if (query.platformId !== undefined && query.platformId !== caller.platformId) {
      throw new Forbidden("Platform users may list only their own platform's notices.");
    }
    // Drafts are never shown to platforms: they have not been given.
    if (query.status === 'draft') return { items: [] };
    return this.deps.store.list({ ...query, platformId: caller.platformId }, page);
  }

  async history(caller: Caller, id: string, page: PageRequest): Promise<Page<NoticeEvent>> {
    assertVisible(caller, await this.deps.store.load(id), id);
    return this.deps.store.history(id, page);
  }

  issue(caller: Caller, id: string, idempotencyKey?: string): Promise<Notice> {
    return this.change(caller, id, 'issue', idempotencyKey, (notice, now) => {
      const rule = dueRuleOf(notice);
      if (rule?.kind === 'explicit' && rule.dueAt <= now) {
        throw new ValidationFailed([
          { path: 'dueAt', message: `the due time in the draft (${notice.requestedDueAt}) has already passed` },
        ]);
      }
      const due = rule ? computeDueTime(now, notice.timeZone, rule) : undefined;
      return {
        kind: 'issued',
        data: due ? { dueAt: due.dueAt.toISOString(), dueExplanation: due.explanation } : {},
      };
    });
  }

  acknowledge(caller: Caller, id: string, idempotencyKey?: string): Promise<Notice> {
    return this.change(caller, id, 'acknowledge', idempotencyKey, () => ({ kind: 'acknowledged', data: {} }));
  }

  withdraw(caller: Caller, id: string, reason: string, idempotencyKey?: string): Promise<Notice> {
    return this.change(caller, id, 'withdraw', idempotencyKey, () => ({ kind: 'withdrawn', reason, data: {} }));
  }

  private async change(
    caller: Caller,
    id: string,
    command: Command,
    idempotencyKey: string | undefined,
    decide: (notice: Notice, now: Date) => Pick<UnsealedEvent, 'kind' | 'data' | 'reason'>,
  ): Promise<Notice> {
    const { store, clock } = this.deps;
    const notice = assertVisible(caller, await store.load(id), id);
    const actor = authorize(caller, command);
    if (idempotencyKey) {
      const replay = await this.replay(caller, id, command, idempotencyKey);
      if (replay) return replay;
    }
    try {
      assertTransition(notice, command);
      const now = clock();
      const event = sealEvent(id, notice.version + 1, notice.lastEventHash, {
        ...decide(notice, now),
        at: now.toISOString(),
        actor,
        idempotencyKey,
      });
      const next = applyEvent(notice, event);
      await store.append(event, next);
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

function dueRuleOf(notice: Notice): DueRule | undefined {
  if (notice.requestedDueAt) return { kind: 'explicit', dueAt: new Date(notice.requestedDueAt) };
  if (notice.responsePeriod) return { kind: 'period', period: notice.responsePeriod };
  return undefined;
}
