import type { Actor } from './caller';
import { type Extension, type Notice, NoticeContentSchema, type PaymentCorrection } from './notice';
import type { EventKind, NoticeEvent, NoticeEventOf } from './notice-event';

/**
 * How each kind of event changes a notice: one small reducer per kind, each given that kind's typed payload. The
 * map is a `Record` over every kind, so a new kind does not compile until it says what it does to a notice.
 */
export type Reducer<K extends EventKind> = (notice: Notice | undefined, event: NoticeEventOf<K>) => Notice;

/**
 * A reducer for an event that follows `created`: it is given the notice already moved to this event (version,
 * time and hash), and refuses an event with no notice before it.
 */
function follows<K extends EventKind>(reduce: (next: Notice, event: NoticeEventOf<K>) => Notice): Reducer<K> {
  return (notice, event) => {
    if (!notice) throw new Error(`Event ${event.seq} of ${event.noticeId} has no notice to apply to`);
    return reduce({ ...notice, version: event.seq, updatedAt: event.at, lastEventHash: event.hash }, event);
  };
}

const nameOf = (actor: Actor) => actor.name ?? actor.subject;

/** Every field of a notice's content (what `created` and `draft-revised` record). */
const CONTENT_FIELDS = Object.keys(NoticeContentSchema.shape) as (keyof typeof NoticeContentSchema.shape)[];

export const REDUCERS: { readonly [K in EventKind]: Reducer<K> } = {
  created: (notice, event) => {
    if (notice) throw new Error(`Event 1 of ${event.noticeId} is not the only 'created' event`);
    return {
      ...event.data,
      id: event.noticeId,
      status: 'draft',
      version: event.seq,
      createdAt: event.at,
      createdBy: event.actor,
      updatedAt: event.at,
      extensions: [],
      lastEventHash: event.hash,
    };
  },

  // The new content replaces the old whole: a field the revision leaves out (an explicit due time, payment
  // details) is gone, not kept from before.
  'draft-revised': follows((next, { data }) => {
    const rest: Record<string, unknown> = { ...next };
    for (const field of CONTENT_FIELDS) delete rest[field];
    return { ...(rest as Omit<Notice, keyof typeof NoticeContentSchema.shape>), ...data };
  }),

  issued: follows((next, { at, actor, seq, data }) => ({
    ...next,
    status: 'issued',
    givenAt: at,
    issuedBy: actor,
    dueAt: data.dueAt,
    dueSetAt: data.dueAt ? at : undefined,
    dueBasis: data.dueAt ? { kind: next.requestedDueAt ? 'explicit' : 'rule', setAt: at, eventSeq: seq } : undefined,
    dueExplanation: data.dueExplanation,
    signedNotice: data.signedNotice,
  })),

  acknowledged: follows((next, { at, actor, data }) => ({
    ...next,
    status: 'acknowledged',
    acknowledgedAt: at,
    acknowledgedBy: actor,
    acknowledgementSignature:
      data.signature && data.kid ? { signature: data.signature, kid: data.kid } : next.acknowledgementSignature,
  })),

  withdrawn: follows((next, { at, actor, reason }) => ({
    ...next,
    status: 'withdrawn',
    withdrawnAt: at,
    withdrawnBy: actor,
    withdrawalReason: reason,
  })),

  'extension-requested': follows((next, { at, actor, reason, data }) => ({
    ...next,
    extensions: [
      ...next.extensions,
      {
        id: data.extensionId,
        status: 'requested',
        requestedAt: at,
        requestedBy: actor,
        requestedDueAt: data.requestedDueAt,
        reason: reason ?? '',
      },
    ],
  })),

  'extension-granted': follows((next, event) => {
    const { at, actor, seq, data } = event;
    return {
      ...next,
      extensions: decideExtension(next.extensions, data.extensionId, (ext) => ({
        ...ext,
        status: 'granted',
        ...decision(event, data.legalBasis),
        previousDueAt: data.previousDueAt,
        grantedDueAt: data.grantedDueAt,
      })),
      dueAt: data.grantedDueAt,
      dueSetAt: at,
      dueBasis: {
        kind: 'extension',
        setAt: at,
        eventSeq: seq,
        extensionId: data.extensionId,
        previousDueAt: data.previousDueAt,
        legalBasis: data.legalBasis,
      },
      dueExplanation: [
        ...(next.dueExplanation ?? []),
        `Extension ${data.extensionId} granted ${at} by ${nameOf(actor)}: due time ` +
          `moved from ${data.previousDueAt} to ${data.grantedDueAt}.`,
      ],
    };
  }),

  'extension-refused': follows((next, event) => ({
    ...next,
    extensions: decideExtension(next.extensions, event.data.extensionId, (ext) => ({
      ...ext,
      status: 'refused',
      ...decision(event, undefined),
      previousDueAt: undefined,
      grantedDueAt: undefined,
    })),
  })),

  'reminder-sent': follows((next, { at, data }) =>
    data.reminderKind === 'escalation'
      ? { ...next, escalation: { id: data.reminderId, dueAt: data.dueAt, sentAt: at } }
      : {
          ...next,
          lastReminder: {
            id: data.reminderId,
            kind: data.reminderKind,
            dueAt: data.dueAt,
            fireAt: data.fireAt,
            sentAt: at,
          },
        },
  ),

  'payment-recorded': follows((next, { at, actor, data }) => ({
    ...next,
    status: 'paid',
    payment: {
      status: 'paid',
      recordedAt: at,
      recordedBy: actor,
      paidAt: data.paidAt,
      amount: data.amount,
      reference: data.reference,
    },
  })),

  'non-payment-recorded': follows((next, { at, actor, reason }) => ({
    ...next,
    status: 'unpaid',
    payment: { status: 'unpaid', recordedAt: at, recordedBy: actor, reason },
  })),

  // A wrong payment entry is put right by this event, never by rewriting the payment event.
  'payment-corrected': follows((next, { at, actor, reason, data }) => {
    const recorded = { at, by: actor, reason: reason ?? '' };
    if (data.voided) {
      const correction: PaymentCorrection = { ...recorded, voided: true, previous: data.previous };
      return {
        ...next,
        // Back to awaiting payment: acknowledged if the platform had acknowledged it, else issued.
        status: next.acknowledgedAt ? 'acknowledged' : 'issued',
        payment: undefined,
        paymentCorrections: [...(next.paymentCorrections ?? []), correction],
      };
    }
    const correction: PaymentCorrection = {
      ...recorded,
      voided: false,
      previous: data.previous,
      corrected: data.corrected,
    };
    return {
      ...next,
      payment: next.payment && { ...next.payment, ...data.corrected },
      paymentCorrections: [...(next.paymentCorrections ?? []), correction],
    };
  }),

  submitted: follows((next, { actor, data }) => ({
    ...next,
    status: 'submitted',
    response: {
      submissionId: data.submissionId,
      filedAt: data.filedAt,
      onTime: data.onTime,
      receiptNumber: data.receiptNumber,
      filedBy: actor,
    },
  })),

  'review-started': follows((next) => ({ ...next, status: 'under-review' })),

  // A new due time, set by the regulator for the further information; reminders count from now.
  'further-information-requested': follows((next, { at, actor, seq, data }) => ({
    ...next,
    status: 'further-information-requested',
    dueAt: data.dueAt,
    dueSetAt: at,
    dueBasis: { kind: 'further-information', setAt: at, eventSeq: seq, previousDueAt: next.dueAt },
    dueExplanation: [
      ...(next.dueExplanation ?? []),
      `Further information requested ${at} by ${nameOf(actor)}: due ${data.dueAt}.`,
    ],
  })),

  accepted: follows((next) => ({ ...next, status: 'accepted' })),

  closed: follows((next) => ({ ...next, status: 'closed' })),
};

/** Who decided an extension, when, why, and on what legal basis. */
function decision(event: NoticeEvent, legalBasis: string | undefined) {
  return { decidedAt: event.at, decidedBy: event.actor, decisionReason: event.reason, legalBasis };
}

function decideExtension(
  extensions: readonly Extension[],
  id: string,
  decide: (extension: Extension) => Extension,
): Extension[] {
  return extensions.map((ext) => (ext.id === id ? decide(ext) : ext));
}

/**
 * Folds one event with the reducer for its kind. `kind` is passed beside the event so that TypeScript can tell
 * the reducer and its event are for the same kind (it cannot narrow `REDUCERS[event.kind]` by itself).
 */
function reduceAs<K extends EventKind>(kind: K, notice: Notice | undefined, event: NoticeEventOf<K>): Notice {
  return REDUCERS[kind](notice, event);
}

export function reduceEvent(notice: Notice | undefined, event: NoticeEvent): Notice {
  return reduceAs(event.kind, notice, event);
}
