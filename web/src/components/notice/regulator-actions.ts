import type { Notice, NoticeStatus } from '../../api/types';

/**
 * What a regulator may do to a notice in each status — the `from` lists of lambdas/domain/notice-lifecycle.ts
 * TRANSITIONS for the regulator's commands (a unit test holds this table to that one). The page offers only
 * these; the API refuses anything else with 409 anyway.
 */
export const REGULATOR_COMMAND_STATUSES = {
  issue: ['draft'],
  'revise-draft': ['draft'],
  'start-review': ['submitted'],
  'request-further-information': ['under-review'],
  accept: ['under-review'],
  close: ['accepted'],
  withdraw: ['draft', 'issued', 'acknowledged', 'submitted', 'under-review', 'further-information-requested'],
  'grant-extension': ['issued', 'acknowledged', 'further-information-requested'],
  'refuse-extension': ['issued', 'acknowledged', 'further-information-requested'],
  'record-payment': ['issued', 'acknowledged'],
  'record-non-payment': ['issued', 'acknowledged'],
  'correct-payment': ['paid'],
  'void-payment': ['paid'],
} as const satisfies Record<string, readonly NoticeStatus[]>;

export type RegulatorCommand = keyof typeof REGULATOR_COMMAND_STATUSES;

const PAYMENT_COMMANDS: readonly RegulatorCommand[] = [
  'record-payment',
  'record-non-payment',
  'correct-payment',
  'void-payment',
];

/** Payment details are carried only by notices whose type demands payment (the API refuses them on any other). */
export function demandsPayment(notice: Pick<Notice, 'infringement'>): boolean {
  return notice.infringement !== undefined;
}

/** The regulator commands this notice's status (and type) allows, in the order the page lists them. */
export function allowedCommands(notice: Pick<Notice, 'status' | 'infringement'>): RegulatorCommand[] {
  return (Object.keys(REGULATOR_COMMAND_STATUSES) as RegulatorCommand[]).filter((command) => {
    const from: readonly NoticeStatus[] = REGULATOR_COMMAND_STATUSES[command];
    if (!from.includes(notice.status)) return false;
    return !PAYMENT_COMMANDS.includes(command) || demandsPayment(notice);
  });
}

/** Statuses in which the platform still owes a response (or payment) by the due time. */
const AWAITING: readonly NoticeStatus[] = ['issued', 'acknowledged', 'further-information-requested'];

/**
 * An infringement notice can follow from this one: it is overdue (the API's own test — awaiting the platform and
 * past its due time) and is not itself an infringement notice.
 */
export function canDraftInfringement(notice: Pick<Notice, 'status' | 'dueAt' | 'infringement'>, now: Date): boolean {
  if (demandsPayment(notice) || !notice.dueAt || !AWAITING.includes(notice.status)) return false;
  return new Date(notice.dueAt).getTime() < now.getTime();
}
