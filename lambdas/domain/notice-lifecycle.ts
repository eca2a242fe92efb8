import { type Actor, actorFor, actsFor, type Caller, isRegulator, REGULATOR_ROLES, type Role } from './caller';
import { Conflict, Forbidden, NotFound } from './errors';
import { reduceEvent } from './event-reducers';
import { AWAITING_RESPONSE, type Notice, type NoticeStatus } from './notice';
import type { NoticeEvent } from './notice-event';
import { nextReminderAt } from './reminders';

/**
 * The notice lifecycle as an explicit state machine (shared/domain.md "Lifecycle"): which command moves a notice
 * from which statuses to which, and which roles may give it. Everything that changes a notice goes through
 * `authorize` and `assertTransition`; nothing sets a status any other way.
 */
export const COMMANDS = [
  'revise-draft',
  'issue',
  'acknowledge',
  'submit',
  'start-review',
  'request-further-information',
  'accept',
  'close',
  'withdraw',
  'request-extension',
  'grant-extension',
  'refuse-extension',
  'record-payment',
  'record-non-payment',
  'correct-payment',
  'void-payment',
] as const;
export type Command = (typeof COMMANDS)[number];

export interface Transition {
  from: readonly NoticeStatus[];
  /**
   * `unchanged` for commands that add to the record without moving the notice on (extensions); `reopened` for a
   * voided payment: back to awaiting payment (acknowledged if the platform had acknowledged it, else issued).
   */
  to: NoticeStatus | 'unchanged' | 'reopened';
  roles: readonly Role[];
}

const PLATFORM: readonly Role[] = ['platform-responder'];

export const TRANSITIONS: Readonly<Record<Command, Transition>> = {
  // Only a draft can change its content: once given, a notice says what it said when it was given.
  'revise-draft': { from: ['draft'], to: 'unchanged', roles: REGULATOR_ROLES },
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
  'request-extension': { from: AWAITING_RESPONSE, to: 'unchanged', roles: PLATFORM },
  'grant-extension': { from: AWAITING_RESPONSE, to: 'unchanged', roles: REGULATOR_ROLES },
  'refuse-extension': { from: AWAITING_RESPONSE, to: 'unchanged', roles: REGULATOR_ROLES },
  // Only for notices that demand payment (checked by the service, which knows the catalogue).
  'record-payment': { from: ['issued', 'acknowledged'], to: 'paid', roles: REGULATOR_ROLES },
  'record-non-payment': { from: ['issued', 'acknowledged'], to: 'unpaid', roles: REGULATOR_ROLES },
  // A wrong payment entry is put right by a recorded correction, never by rewriting the payment event.
  'correct-payment': { from: ['paid'], to: 'unchanged', roles: REGULATOR_ROLES },
  'void-payment': { from: ['paid'], to: 'reopened', roles: REGULATOR_ROLES },
};

export { AWAITING_RESPONSE };

/**
 * Whether the caller may see the notice at all. Platform users see only their own platform's notices, and never
 * drafts (a draft has not been given to anyone). Anything they may not see is reported as not found.
 */
export function canSee(caller: Caller, notice: Notice): boolean {
  if (isRegulator(caller)) return true;
  return actsFor(caller, notice.platformId) && notice.status !== 'draft';
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

export function assertTransition(notice: Notice, command: Command): Transition['to'] {
  const transition = TRANSITIONS[command];
  if (!transition.from.includes(notice.status)) {
    throw new Conflict(
      'illegal-transition',
      `Cannot ${command} notice ${notice.id}: it is ${notice.status}; ${command} is allowed only when it is ${transition.from.join(' or ')}.`,
    );
  }
  return transition.to;
}

/**
 * Folds one event into the notice's state. Pure and total over the event kinds (one reducer per kind, in
 * event-reducers.ts), so the current state can always be rebuilt from the log (which is how a projection
 * interrupted by a crash is repaired).
 */
export function applyEvent(notice: Notice | undefined, event: NoticeEvent): Notice {
  const next = reduceEvent(notice, event);
  // Derived, not recorded: when the next reminder fires follows from the state (see reminders.ts).
  return { ...next, nextReminderAt: nextReminderAt(next) };
}
