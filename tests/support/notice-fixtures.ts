import type { Caller } from '../../lambdas/domain/caller';
import { type HolidayCalendar, NO_HOLIDAYS } from '../../lambdas/domain/deadline-engine';
import { newNoticeId, noticeIdForIdempotencyKey } from '../../lambdas/domain/ids';
import type { CreateDraftRequest, Jurisdiction, Notice, NoticeStatus } from '../../lambdas/domain/notice';
import { type Catalogue, DEFAULT_CATALOGUE, NO_REMINDERS } from '../../lambdas/domain/notice-catalogue';
import { NoticeService, type NoticeServiceDeps } from '../../lambdas/domain/notice-service';
import { InMemoryNoticeStore } from './in-memory-notice-store';

/** Callers as the token verifier would establish them. */
export const officer: Caller = {
  subject: 'sub-officer',
  name: 'Oscar Officer',
  roles: ['regulator-officer'],
};
export const otherOfficer: Caller = { subject: 'sub-officer-2', name: 'Olive Officer', roles: ['regulator-officer'] };
export const admin: Caller = { subject: 'sub-admin', name: 'Ada Admin', roles: ['regulator-admin'] };
export const xCorpLegal: Caller = {
  subject: 'sub-x-corp-1',
  name: 'Xavier Counsel',
  roles: ['platform-responder'],
  platformId: 'x-corp',
};
export const xCorpOtherLawyer: Caller = {
  subject: 'sub-x-corp-2',
  name: 'Xena Counsel',
  roles: ['platform-responder'],
  platformId: 'x-corp',
};
export const videoshareLegal: Caller = {
  subject: 'sub-videoshare-1',
  name: 'Vera Counsel',
  roles: ['platform-responder'],
  platformId: 'videoshare',
};
/** Signed in, but in no portal group (e.g. an account created and never added to one). */
export const userWithoutRole: Caller = { subject: 'sub-nobody', name: 'Nora Nobody', roles: [] };

export function transparencyDraft(overrides: Partial<CreateDraftRequest> = {}): CreateDraftRequest {
  return {
    type: 'transparency-notice',
    platformId: 'x-corp',
    title: 'Basic Online Safety Expectations: child safety',
    requirements: {
      questions: [
        { number: '1', text: 'Describe the tools you use to detect child sexual exploitation material.' },
        { number: '2', text: 'How many reports of such material did you receive in the period?' },
      ],
    },
    mannerAndForm: 'Answer each question in writing through this portal.',
    ...overrides,
  };
}

export function removalDraft(overrides: Partial<CreateDraftRequest> = {}): CreateDraftRequest {
  return {
    type: 'removal-notice',
    platformId: 'x-corp',
    title: 'Removal of class 1 material',
    requirements: { requiredAction: 'Remove the material at the listed URLs.' },
    mannerAndForm: 'Confirm removal through this portal.',
    ...overrides,
  };
}

export function infringementDraft(overrides: Partial<CreateDraftRequest> = {}): CreateDraftRequest {
  return {
    type: 'infringement-notice',
    platformId: 'x-corp',
    title: 'Infringement notice: failure to comply with a transparency notice',
    mannerAndForm: 'Pay the amount payable as stated.',
    infringement: {
      provisionContravened: 'Online Safety Act 2021 (Cth) s 57',
      contravention: {
        description: 'Failed to comply with a transparency notice: no report by the due time, for 37 days.',
        occurredFrom: '2025-03-07T13:00:00.000Z',
        occurredUntil: '2025-04-13T13:00:00.000Z',
      },
      maximumPenalty: { currency: 'AUD', amount: '782500.00' },
      amountPayable: { currency: 'AUD', amount: '610500.00' },
      paymentPlace: 'By electronic funds transfer to the account named in the schedule.',
    },
    ...overrides,
  };
}

export function formalWarningDraft(overrides: Partial<CreateDraftRequest> = {}): CreateDraftRequest {
  return {
    type: 'formal-warning',
    platformId: 'x-corp',
    title: 'Formal warning: late response',
    mannerAndForm: 'No response is required.',
    ...overrides,
  };
}

/** A clock the test moves by hand. */
export class TestClock {
  private current: number;

  constructor(start: string) {
    this.current = Date.parse(start);
  }

  readonly now = (): Date => new Date(this.current);

  advance(ms: number): void {
    this.current += ms;
  }

  /** Moves the clock on to `instant`; a clock that went backwards would make any test of time meaningless. */
  moveTo(instant: string): void {
    const target = Date.parse(instant);
    if (!(target >= this.current)) throw new Error(`The test clock cannot go back to ${instant}`);
    this.current = target;
  }
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/**
 * A NoticeService over an in-memory store, with real id functions and a hand-moved clock. Without `holidaysFor`
 * only weekends are not business days, whatever the jurisdiction.
 */
export function noticeServiceForTest(
  options: {
    start?: string;
    catalogue?: Catalogue;
    defaultTimeZone?: string;
    holidaysFor?: (jurisdiction: Jurisdiction) => HolidayCalendar;
    maxDueDays?: number;
    /** A clock shared with something else under test (the regulator's key log). */
    clock?: TestClock;
    /** Further ports (the notice signer, checkpoints, platform keys). */
    deps?: Partial<NoticeServiceDeps>;
  } = {},
) {
  const store = new InMemoryNoticeStore();
  const clock = options.clock ?? new TestClock(options.start ?? '2026-11-24T03:00:00.000Z');
  const service = new NoticeService({
    store,
    catalogue: options.catalogue ?? DEFAULT_CATALOGUE,
    defaultTimeZone: options.defaultTimeZone ?? 'Australia/Sydney',
    defaultJurisdiction: { country: 'AU', state: 'NSW' },
    holidaysFor: options.holidaysFor ?? (() => NO_HOLIDAYS),
    maxDueDays: options.maxDueDays,
    clock: clock.now,
    newNoticeId: () => newNoticeId(clock.now()),
    noticeIdForIdempotencyKey,
    ...options.deps,
  });
  return { service, store, clock };
}

/** A structurally valid notice in any status, for tests of pure lifecycle rules. */
export function noticeInStatus(status: NoticeStatus, platformId = 'x-corp'): Notice {
  return {
    id: 'ntc_01KAZ0000000000000000000AB',
    type: 'transparency-notice',
    platformId,
    title: 'Basic Online Safety Expectations: child safety',
    legalBasis: 'Online Safety Act 2021 (Cth) s 56(2)',
    requirements: { questions: [{ number: '1', text: 'Describe your tools.' }] },
    mannerAndForm: 'In writing.',
    consequences: 'Civil penalty.',
    timeZone: 'Australia/Sydney',
    jurisdiction: { country: 'AU', state: 'NSW' },
    deadlineRule: {
      period: { amount: 28, unit: 'calendar-days' },
      cutOff: 'end-of-day',
      rollToBusinessDay: true,
      excludeDayOfGiving: true,
    },
    reminderPolicy: NO_REMINDERS,
    contacts: [],
    extensions: [],
    status,
    version: 1,
    createdAt: '2026-11-24T03:00:00.000Z',
    createdBy: { subject: officer.subject, role: 'regulator-officer' },
    updatedAt: '2026-11-24T03:00:00.000Z',
    lastEventHash: 'a'.repeat(64),
  };
}

/** The error a promise rejects with; fails the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}
