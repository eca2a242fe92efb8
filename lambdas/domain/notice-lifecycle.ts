import { type Actor, actorFor, type Caller, isPlatformUser, isRegulator, REGULATOR_ROLES, type Role } from './caller';
import { Conflict, Forbidden, NotFound } from './errors';
import { type Notice, NoticeContentSchema, type NoticeStatus } from './notice';
import type { EventKind, NoticeEvent } from './notice-event';

/**
 * The notice lifecycle as an explicit state machine (shared/domain.md "Lifecycle"): which command moves a notice
 * from which statuses to which, and which roles may give it. Everything that changes a notice goes through
 * `authorize` and `assertTransition`; nothing sets a status any other way.
 */
export const COMMANDS = [
  'issue',
  'acknowledge',
  'submit',
  'start-review',
  'request-further-information',
  'accept',
  'close',
  'withdraw',
] as const;
export type Command = (typeof COMMANDS)[number];

export interface Transition {
  from: readonly NoticeStatus[];
  to: NoticeStatus;
  roles: readonly Role[];
}

const PLATFORM: readonly Role[] = ['platform-responder'];

export const TRANSITIONS: Readonly<Record<Command, Transition>> = {
  issue: { from: ['draft'], to: 'issued', roles: REGULATOR_ROLES },
  acknowledge: { from: ['issued'], to: 'acknowledged', roles: PLATFORM },
  submit: { from: ['issued', 'acknowledged', 'further-information-requested'], to: 'submitted', roles: PLATFORM },
  'start-review': { from: ['submitted'], to: 'under-review', roles: REGULATOR_ROLES },
  'request-further-information': {
    from: ['under-review'],
    to: 'further-information-requested',
    roles: REGULATOR_ROLES,
  },
  accept: { from: ['under-review'], to: 'accepted', roles: REGULATOR_ROLES },
  close: { from: ['accepted'], to: 'closed', roles: REGULATOR_ROLES },
  withdraw: {
    from: ['draft', 'issued', 'acknowledged', 'submitted', 'under-review', 'further-information-requested'],
    to: 'withdrawn',
    roles: REGULATOR_ROLES,
  },
};

/** Statuses in which the platform's clock is running (a response is awaited). */
export const AWAITING_RESPONSE: readonly NoticeStatus[] = ['issued', 'acknowledged', 'further-information-requested'];

/**
 * Whether the caller may see the notice at all. Platform users see only their own platform's notices, and never
 * drafts (a draft has not been given to anyone). Anything they may not see is reported as not found.
 */
export function canSee(caller: Caller, notice: Notice): boolean {
  if (isRegulator(caller)) return true;
  return isPlatformUser(caller) && caller.platformId === notice.platformId && notice.status !== 'draft';
}

export function assertVisible(caller: Caller, notice: Notice | undefined, id: string): Notice {
  if (!notice || !canSee(caller, notice)) throw new NotFound(`Notice ${id} was not found.`);
  return notice;
}

/** The actor the change will be recorded under, or Forbidden if no role of the caller may give the command. */
export function authorize(caller: Caller, command: Command): Actor {
  const actor = actorFor(caller, TRANSITIONS[command].roles);
  if (!actor) {
    throw new Forbidden(`Only ${TRANSITIONS[command].roles.join(' or ')} users may ${command} a notice.`);
  }
  return actor;
}

export function assertTransition(notice: Notice, command: Command): NoticeStatus {
  const transition = TRANSITIONS[command];
  if (!transition.from.includes(notice.status)) {
    throw new Conflict(
      'illegal-transition',
      `Cannot ${command} notice ${notice.id}: it is ${notice.status}; ${command} is allowed only when it is ${transition.from.join(' or ')}.`,
    );
  }
  return transition.to;
}

const STATUS_AFTER: Record<Exclude<EventKind, 'created'>, NoticeStatus> = {
  issued: 'issued',
  acknowledged: 'acknowledged',
  withdrawn: 'withdrawn',
};

/**
 * Folds one event into the notice's state. Pure and total over the event kinds, so the current state can always
 * be rebuilt from the log (which is how a projection interrupted by a crash is repaired).
 */
export function applyEvent(notice: Notice | undefined, event: NoticeEvent): Notice {
  if (event.kind === 'created') {
    if (notice) throw new Error(`Event 1 of ${event.noticeId} is not the only 'created' event`);
    const content = NoticeContentSchema.parse(event.data);
    return {
      ...content,
      id: event.noticeId,
      status: 'draft',
      version: event.seq,
      createdAt: event.at,
      createdBy: event.actor,
      updatedAt: event.at,
      lastEventHash: event.hash,
    };
  }
  if (!notice) throw new Error(`Event ${event.seq} of ${event.noticeId} has no notice to apply to`);
  const next: Notice = {
    ...notice,
    status: STATUS_AFTER[event.kind],
    version: event.seq,
    updatedAt: event.at,
    lastEventHash: event.hash,
  };
  switch (event.kind) {
    case 'issued':
      return {
        ...next,
        givenAt: event.at,
        issuedBy: event.actor,
        dueAt: event.data.dueAt as string | undefined,
        dueExplanation: event.data.dueExplanation as string[] | undefined,
      };
    case 'acknowledged':
      return { ...next, acknowledgedAt: event.at, acknowledgedBy: event.actor };
    case 'withdrawn':
      return { ...next, withdrawnAt: event.at, withdrawnBy: event.actor, withdrawalReason: event.reason };
  }
}
