import { type Actor, actorFor, actsFor, type Caller, isRegulator, REGULATOR_ROLES, type Role } from './caller';
import { Conflict, Forbidden, NotFound } from './errors';
import {
  AWAITING_RESPONSE,
  type Extension,
  type Notice,
  NoticeContentSchema,
  type NoticeStatus,
  type PaymentCorrection,
} from './notice';
import type { NoticeEvent } from './notice-event';
import { nextReminderAt } from './reminders';

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

const STATUS_AFTER: Partial<Record<NoticeEvent['kind'], NoticeStatus>> = {
  issued: 'issued',
  acknowledged: 'acknowledged',
  withdrawn: 'withdrawn',
  'payment-recorded': 'paid',
  'non-payment-recorded': 'unpaid',
  submitted: 'submitted',
  'review-started': 'under-review',
  'further-information-requested': 'further-information-requested',
  accepted: 'accepted',
  closed: 'closed',
};

/**
 * Folds one event into the notice's state. Pure and total over the event kinds, so the current state can always
 * be rebuilt from the log (which is how a projection interrupted by a crash is repaired).
 */
export function applyEvent(notice: Notice | undefined, event: NoticeEvent): Notice {
  const next = applyEventData(notice, event);
  // Derived, not recorded: when the next reminder fires follows from the state (see reminders.ts).
  return { ...next, nextReminderAt: nextReminderAt(next) };
}

function applyEventData(notice: Notice | undefined, event: NoticeEvent): Notice {
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
      extensions: [],
      lastEventHash: event.hash,
    };
  }
  if (!notice) throw new Error(`Event ${event.seq} of ${event.noticeId} has no notice to apply to`);
  const next: Notice = {
    ...notice,
    status: STATUS_AFTER[event.kind] ?? notice.status,
    version: event.seq,
    updatedAt: event.at,
    lastEventHash: event.hash,
  };
  const data = event.data as Record<string, string | undefined>;
  switch (event.kind) {
    case 'issued':
      return {
        ...next,
        givenAt: event.at,
        issuedBy: event.actor,
        dueAt: data.dueAt,
        dueSetAt: data.dueAt ? event.at : undefined,
        dueBasis: data.dueAt
          ? { kind: notice.requestedDueAt ? 'explicit' : 'rule', setAt: event.at, eventSeq: event.seq }
          : undefined,
        dueExplanation: event.data.dueExplanation as string[] | undefined,
      };
    case 'acknowledged':
      return { ...next, acknowledgedAt: event.at, acknowledgedBy: event.actor };
    case 'withdrawn':
      return { ...next, withdrawnAt: event.at, withdrawnBy: event.actor, withdrawalReason: event.reason };
    case 'extension-requested':
      return {
        ...next,
        extensions: [
          ...next.extensions,
          {
            id: data.extensionId as string,
            status: 'requested',
            requestedAt: event.at,
            requestedBy: event.actor,
            requestedDueAt: data.requestedDueAt as string,
            reason: event.reason ?? '',
          },
        ],
      };
    case 'extension-granted':
      return {
        ...decideExtension(next, event, 'granted'),
        dueAt: data.grantedDueAt,
        dueSetAt: event.at,
        dueBasis: {
          kind: 'extension',
          setAt: event.at,
          eventSeq: event.seq,
          extensionId: data.extensionId as string,
          previousDueAt: data.previousDueAt,
          legalBasis: data.legalBasis,
        },
        dueExplanation: [
          ...(next.dueExplanation ?? []),
          `Extension ${data.extensionId} granted ${event.at} by ${event.actor.name ?? event.actor.subject}: due time ` +
            `moved from ${data.previousDueAt} to ${data.grantedDueAt}.`,
        ],
      };
    case 'extension-refused':
      return decideExtension(next, event, 'refused');
    case 'reminder-sent':
      if (data.reminderKind === 'escalation') {
        return {
          ...next,
          escalation: { id: data.reminderId as string, dueAt: data.dueAt as string, sentAt: event.at },
        };
      }
      return {
        ...next,
        lastReminder: {
          id: data.reminderId as string,
          kind: data.reminderKind as string,
          dueAt: data.dueAt as string,
          fireAt: data.fireAt as string,
          sentAt: event.at,
        },
      };
    case 'payment-recorded':
      return {
        ...next,
        payment: {
          status: 'paid',
          recordedAt: event.at,
          recordedBy: event.actor,
          paidAt: data.paidAt,
          amount: event.data.amount as { currency: string; amount: string } | undefined,
          reference: data.reference,
        },
      };
    case 'submitted':
      return {
        ...next,
        response: {
          submissionId: data.submissionId as string,
          filedAt: data.filedAt as string,
          onTime: event.data.onTime as boolean,
          receiptNumber: data.receiptNumber as string,
          filedBy: event.actor,
        },
      };
    case 'review-started':
    case 'accepted':
    case 'closed':
      return next;
    case 'further-information-requested':
      // A new due time, set by the regulator for the further information; reminders count from now.
      return {
        ...next,
        dueAt: data.dueAt,
        dueSetAt: event.at,
        dueBasis: { kind: 'further-information', setAt: event.at, eventSeq: event.seq, previousDueAt: notice.dueAt },
        dueExplanation: [
          ...(next.dueExplanation ?? []),
          `Further information requested ${event.at} by ${event.actor.name ?? event.actor.subject}: due ${data.dueAt}.`,
        ],
      };
    case 'payment-corrected': {
      const voided = event.data.voided === true;
      const previous = (event.data.previous ?? {}) as PaymentCorrection['previous'];
      const corrected = event.data.corrected as PaymentCorrection['corrected'];
      const correction: PaymentCorrection = {
        at: event.at,
        by: event.actor,
        reason: event.reason ?? '',
        voided,
        previous,
        ...(corrected ? { corrected } : {}),
      };
      const corrections = [...(next.paymentCorrections ?? []), correction];
      if (voided) {
        return {
          ...next,
          status: next.acknowledgedAt ? 'acknowledged' : 'issued',
          payment: undefined,
          paymentCorrections: corrections,
        };
      }
      return {
        ...next,
        payment: next.payment && { ...next.payment, ...corrected },
        paymentCorrections: corrections,
      };
    }
    case 'non-payment-recorded':
      return {
        ...next,
        payment: { status: 'unpaid', recordedAt: event.at, recordedBy: event.actor, reason: event.reason },
      };
  }
}

function decideExtension(notice: Notice, event: NoticeEvent, status: 'granted' | 'refused'): Notice {
  const data = event.data as Record<string, string | undefined>;
  return {
    ...notice,
    extensions: notice.extensions.map(
      (ext): Extension =>
        ext.id !== data.extensionId
          ? ext
          : {
              ...ext,
              status,
              decidedAt: event.at,
              decidedBy: event.actor,
              decisionReason: event.reason,
              legalBasis: data.legalBasis,
              previousDueAt: status === 'granted' ? data.previousDueAt : undefined,
              grantedDueAt: status === 'granted' ? data.grantedDueAt : undefined,
            },
    ),
  };
}
