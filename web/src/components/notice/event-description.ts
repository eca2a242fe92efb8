import type { Actor, Money, NoticeEvent } from '../../api/types';
import { formatInZone } from '../notice-format';

export interface EventDescription {
  /** What happened, as a heading: "Extension granted". */
  title: string;
  /** What it changed, one line each: "New due time: …". */
  details: string[];
}

const ROLE_LABELS: Record<Actor['role'], string> = {
  'regulator-admin': 'Regulator administrator',
  'regulator-officer': 'Regulator officer',
  'platform-responder': 'Platform legal team',
  system: 'The portal',
};

/** "Oscar Officer (Regulator officer)"; the portal's own actions (reminders) as "The portal". */
export function describeActor(actor: Actor): string {
  if (actor.role === 'system') return ROLE_LABELS.system;
  const name = actor.name ?? actor.email ?? actor.subject;
  const platform = actor.platformId ? `, ${actor.platformId}` : '';
  return `${name} (${ROLE_LABELS[actor.role]}${platform})`;
}

export const formatMoney = (money: Money) => `${money.currency} ${money.amount}`;

/** Every kind of event in words, with what it changed; times in the notice's zone. */
export function describeEvent(event: NoticeEvent, timeZone: string): EventDescription {
  const at = (iso: string) => formatInZone(iso, timeZone);
  switch (event.kind) {
    case 'created':
      return { title: 'Draft created', details: [`Title: ${event.data.title}`, `Type: ${event.data.type}`] };
    case 'draft-revised':
      return { title: 'Draft revised', details: [`Title: ${event.data.title}`, `Type: ${event.data.type}`] };
    case 'issued':
      return {
        title: 'Notice issued (given to the platform)',
        details: event.data.dueAt ? [`Due: ${at(event.data.dueAt)}`] : ['Nothing is due under this notice.'],
      };
    case 'acknowledged':
      return { title: 'Receipt acknowledged by the platform', details: [] };
    case 'withdrawn':
      return { title: 'Notice withdrawn', details: [] };
    case 'extension-requested':
      return {
        title: 'Extension requested',
        details: [`Due time asked for: ${at(event.data.requestedDueAt)}`, `Request ${event.data.extensionId}`],
      };
    case 'extension-granted':
      return {
        title: 'Extension granted',
        details: [
          `Due time was: ${at(event.data.previousDueAt)}`,
          `New due time: ${at(event.data.grantedDueAt)}`,
          ...(event.data.legalBasis ? [`Legal basis: ${event.data.legalBasis}`] : []),
        ],
      };
    case 'extension-refused':
      return { title: 'Extension refused', details: [`Request ${event.data.extensionId}`] };
    case 'reminder-sent':
      return describeReminder(event.data, at);
    case 'payment-recorded':
      return {
        title: 'Payment recorded',
        details: [
          `Paid: ${at(event.data.paidAt)}`,
          `Amount: ${formatMoney(event.data.amount)}`,
          `Reference: ${event.data.reference}`,
        ],
      };
    case 'non-payment-recorded':
      return { title: 'Non-payment recorded', details: [] };
    case 'payment-corrected':
      return event.data.voided
        ? { title: 'Payment voided', details: ['The notice awaits payment again.'] }
        : { title: 'Payment corrected', details: paymentChanges(event.data.corrected, at) };
    case 'submitted':
      return describeFiling(event.data);
    case 'review-started':
      return { title: 'Review started', details: [] };
    case 'further-information-requested':
      return { title: 'Further information requested', details: [`New due time: ${at(event.data.dueAt)}`] };
    case 'accepted':
      return { title: 'Response accepted', details: [] };
    case 'closed':
      return { title: 'Notice closed', details: [] };
  }
}

function paymentChanges(
  corrected: { paidAt?: string; amount?: Money; reference?: string },
  at: (iso: string) => string,
): string[] {
  return [
    ...(corrected.paidAt ? [`Paid: ${at(corrected.paidAt)}`] : []),
    ...(corrected.amount ? [`Amount: ${formatMoney(corrected.amount)}`] : []),
    ...(corrected.reference ? [`Reference: ${corrected.reference}`] : []),
  ];
}

type EventData<K extends NoticeEvent['kind']> = Extract<NoticeEvent, { kind: K }>['data'];

function describeReminder(data: EventData<'reminder-sent'>, at: (iso: string) => string): EventDescription {
  const delivery =
    data.delivery === 'no-recipients'
      ? 'Not sent: the notice has no contacts.'
      : `${data.delivery === 'sent' ? 'Sent' : 'Already sent'} to ${data.recipients.join(', ')}`;
  return { title: `Reminder: ${data.label}`, details: [delivery, `For the due time ${at(data.dueAt)}`] };
}

function describeFiling(data: EventData<'submitted'>): EventDescription {
  const files = `${data.files.length} file${data.files.length === 1 ? '' : 's'}`;
  return {
    title: 'Response filed',
    details: [
      `Receipt ${data.receiptNumber}, ${data.onTime ? 'on time' : 'late'}`,
      `${files}, signed with key ${data.kid}`,
    ],
  };
}
