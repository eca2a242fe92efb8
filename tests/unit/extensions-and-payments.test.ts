import { holidaysFromList, NO_HOLIDAYS } from '../../lambdas/domain/deadline-engine';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../../lambdas/domain/errors';
import { type CreateDraftRequest, CreateDraftRequestSchema } from '../../lambdas/domain/notice';
import { defined } from '../support/defined';
import {
  admin,
  DAY,
  HOUR,
  infringementDraft,
  noticeServiceForTest,
  officer,
  otherOfficer,
  rejectionOf,
  transparencyDraft,
  videoshareLegal,
  xCorpLegal,
  xCorpOtherLawyer,
} from '../support/notice-fixtures';

/**
 * Extensions are explicit records (X Corp v eSafety: follow-up e-mails were held not to be extensions), and an
 * infringement notice carries everything Regulatory Powers Act s 104 requires, the place for payment included.
 */

const PAGE = { limit: 100 };
// 14:00 AEDT on Tue 24 Nov 2026; the 28-day transparency notice is due at the end of Tue 22 Dec 2026.
const GIVEN_AT = '2026-11-24T03:00:00.000Z';
const DUE = '2026-12-22T12:59:59.999Z';
const ASKED_FOR = '2027-01-12T12:59:59.999Z';
const REASON = 'The answers need data from three business units.';

async function issuedNotice(draft: CreateDraftRequest = transparencyDraft(), options = {}) {
  const portal = noticeServiceForTest({ start: GIVEN_AT, ...options });
  const { notice: created } = await portal.service.createDraft(officer, draft);
  const notice = await portal.service.issue(officer, created.id);
  const history = async () => (await portal.service.history(officer, notice.id, PAGE)).items;
  return { ...portal, notice, history };
}

async function withPendingExtension(requestedDueAt = ASKED_FOR) {
  const portal = await issuedNotice();
  portal.clock.advance(DAY);
  const requested = await portal.service.requestExtension(xCorpLegal, portal.notice.id, {
    requestedDueAt,
    reason: REASON,
  });
  portal.clock.advance(DAY);
  return { ...portal, requested, extensionId: defined(requested.extensions[0], 'the requested extension').id };
}

function issuePaths(error: unknown): string[] {
  expect(error).toBeInstanceOf(ValidationFailed);
  return (error as ValidationFailed).issues.map((issue) => issue.path);
}

describe('asking for an extension', () => {
  it('records who asked, for when and why, and leaves the due time and status as they were', async () => {
    // Prepare
    const { service, clock, notice } = await issuedNotice();
    clock.advance(DAY);

    // Act
    const requested = await service.requestExtension(xCorpLegal, notice.id, {
      requestedDueAt: '2027-01-12T23:59:59.999+11:00',
      reason: REASON,
    });

    // Assess
    expect(requested.status).toBe('issued');
    expect(requested.dueAt).toBe(DUE);
    expect(requested.dueExplanation).toEqual(notice.dueExplanation);
    expect(requested.extensions).toEqual([
      {
        id: 'ext_1',
        status: 'requested',
        requestedAt: clock.now().toISOString(),
        requestedBy: {
          subject: xCorpLegal.subject,
          name: xCorpLegal.name,
          role: 'platform-responder',
          platformId: 'x-corp',
        },
        requestedDueAt: ASKED_FOR,
        reason: REASON,
      },
    ]);
  });

  it.each([
    ['a regulator officer', officer],
    ['a regulator admin', admin],
  ])('refuses a request from %s as forbidden', async (_who, caller) => {
    // Prepare
    const { service, notice, history } = await issuedNotice();

    // Act
    const error = await rejectionOf(
      service.requestExtension(caller, notice.id, { requestedDueAt: ASKED_FOR, reason: REASON }),
    );

    // Assess
    expect(error).toBeInstanceOf(Forbidden);
    expect(await history()).toHaveLength(2);
  });

  it("refuses a request about another platform's notice as not found", async () => {
    // Prepare
    const { service, notice } = await issuedNotice();

    // Act
    const error = await rejectionOf(
      service.requestExtension(videoshareLegal, notice.id, { requestedDueAt: ASKED_FOR, reason: REASON }),
    );

    // Assess
    expect(error).toBeInstanceOf(NotFound);
  });

  it.each([
    ['the current due time itself', DUE],
    ['a time before the current due time', '2026-12-20T06:00:00.000Z'],
  ])('refuses a request for %s, naming requestedDueAt', async (_label, requestedDueAt) => {
    // Prepare
    const { service, notice } = await issuedNotice();

    // Act
    const error = await rejectionOf(
      service.requestExtension(xCorpLegal, notice.id, { requestedDueAt, reason: REASON }),
    );

    // Assess
    expect(issuePaths(error)).toEqual(['requestedDueAt']);
    expect((error as ValidationFailed).issues.at(0)?.message).toContain(DUE);
  });

  it('refuses a second request while one is awaiting a decision', async () => {
    // Prepare
    const { service, notice } = await withPendingExtension();

    // Act
    const error = await rejectionOf(
      service.requestExtension(xCorpOtherLawyer, notice.id, {
        requestedDueAt: '2027-01-19T12:59:59.999Z',
        reason: 'More.',
      }),
    );

    // Assess
    expect(error).toBeInstanceOf(Conflict);
    expect((error as Conflict).reason).toBe('illegal-transition');
  });

  it('takes a new request once the last one was decided', async () => {
    // Prepare
    const { service, notice, extensionId } = await withPendingExtension();
    await service.refuseExtension(officer, notice.id, extensionId, 'No reason given why the data is late.');

    // Act
    const again = await service.requestExtension(xCorpLegal, notice.id, {
      requestedDueAt: '2026-12-29T12:59:59.999Z',
      reason: 'One more week: the data is now in hand.',
    });

    // Assess
    expect(again.extensions.map((e) => [e.id, e.status])).toEqual([
      ['ext_1', 'refused'],
      ['ext_2', 'requested'],
    ]);
  });

  it('refuses a request about a withdrawn notice', async () => {
    // Prepare
    const { service, notice } = await issuedNotice();
    await service.withdraw(officer, notice.id, 'Issued to the wrong entity.');

    // Act
    const error = await rejectionOf(
      service.requestExtension(xCorpLegal, notice.id, { requestedDueAt: ASKED_FOR, reason: REASON }),
    );

    // Assess
    expect(error).toBeInstanceOf(Conflict);
  });
});

describe('granting an extension', () => {
  it('moves the due time to the time asked for, explains the move, and keeps the old and new due times', async () => {
    // Prepare
    const { service, clock, notice, extensionId, history } = await withPendingExtension();

    // Act
    const granted = await service.grantExtension(otherOfficer, notice.id, extensionId, {
      reason: 'The request is reasonable.',
      legalBasis: 'Online Safety Act 2021 (Cth) s 56(2)',
    });

    // Assess
    const now = clock.now().toISOString();
    expect(granted.status).toBe('issued');
    expect(granted.dueAt).toBe(ASKED_FOR);
    expect(granted.dueSetAt).toBe(now);
    expect(granted.givenAt).toBe(GIVEN_AT);
    expect(granted.extensions[0]).toMatchObject({
      status: 'granted',
      decidedAt: now,
      decidedBy: { subject: otherOfficer.subject, role: 'regulator-officer' },
      decisionReason: 'The request is reasonable.',
      legalBasis: 'Online Safety Act 2021 (Cth) s 56(2)',
      previousDueAt: DUE,
      grantedDueAt: ASKED_FOR,
    });
    expect(granted.dueExplanation?.slice(0, -1)).toEqual(notice.dueExplanation);
    const added = granted.dueExplanation?.[granted.dueExplanation.length - 1];
    expect(added).toContain(`Extension ${extensionId} granted ${now} by Olive Officer`);
    expect(added).toContain(`from ${DUE} to ${ASKED_FOR}`);
    const events = await history();
    expect(events.map((e) => e.kind)).toEqual(['created', 'issued', 'extension-requested', 'extension-granted']);
    expect(events[3]).toMatchObject({
      reason: 'The request is reasonable.',
      data: { extensionId, previousDueAt: DUE, grantedDueAt: ASKED_FOR },
    });
  });

  it('grants a different due time from the one asked for when the regulator decides so', async () => {
    // Prepare
    const { service, notice, extensionId } = await withPendingExtension();

    // Act
    const granted = await service.grantExtension(admin, notice.id, extensionId, {
      dueAt: '2026-12-30T17:00:00+11:00',
      reason: 'One week, not three.',
    });

    // Assess
    expect(granted.dueAt).toBe('2026-12-30T06:00:00.000Z');
    expect(granted.extensions[0]).toMatchObject({
      requestedDueAt: ASKED_FOR,
      previousDueAt: DUE,
      grantedDueAt: '2026-12-30T06:00:00.000Z',
    });
  });

  it('changes the due time only through a grant: asking and refusing leave it alone', async () => {
    // Prepare
    const { service, notice, requested, extensionId } = await withPendingExtension();

    // Act
    const refused = await service.refuseExtension(officer, notice.id, extensionId, 'Not justified.');

    // Assess
    expect([notice.dueAt, requested.dueAt, refused.dueAt]).toEqual([DUE, DUE, DUE]);
    expect(refused.dueSetAt).toBe(notice.dueSetAt);
  });

  it.each([
    ['the current due time', DUE],
    ['a time before the current due time', '2026-12-21T06:00:00.000Z'],
  ])('refuses to grant %s, naming dueAt', async (_label, dueAt) => {
    // Prepare
    const { service, notice, extensionId } = await withPendingExtension();

    // Act
    const error = await rejectionOf(service.grantExtension(officer, notice.id, extensionId, { dueAt }));

    // Assess
    expect(issuePaths(error)).toEqual(['dueAt']);
    expect((await service.get(officer, notice.id)).dueAt).toBe(DUE);
  });

  it('refuses to grant a due time that has already passed by the time of the decision', async () => {
    // Prepare: the platform asked for one more week; the notice is overdue and the week is over before anyone
    // decides.
    const { service, clock, notice, extensionId } = await withPendingExtension('2026-12-29T12:59:59.999Z');
    clock.moveTo('2026-12-30T00:00:00.000Z');

    // Act
    const error = await rejectionOf(service.grantExtension(officer, notice.id, extensionId, {}));

    // Assess
    expect(issuePaths(error)).toEqual(['dueAt']);
  });

  it('refuses a grant by the platform as forbidden', async () => {
    // Prepare
    const { service, notice, extensionId } = await withPendingExtension();

    // Act
    const error = await rejectionOf(service.grantExtension(xCorpLegal, notice.id, extensionId, {}));

    // Assess
    expect(error).toBeInstanceOf(Forbidden);
  });
});

describe('refusing an extension', () => {
  it('records who refused it and why, and keeps the due time', async () => {
    // Prepare
    const { service, clock, notice, extensionId, history } = await withPendingExtension();

    // Act
    const refused = await service.refuseExtension(officer, notice.id, extensionId, 'No reason why the data is late.');

    // Assess
    expect(refused.dueAt).toBe(DUE);
    expect(refused.dueExplanation).toEqual(notice.dueExplanation);
    expect(refused.extensions[0]).toMatchObject({
      status: 'refused',
      decidedAt: clock.now().toISOString(),
      decidedBy: { subject: officer.subject, role: 'regulator-officer' },
      decisionReason: 'No reason why the data is late.',
    });
    expect(defined(refused.extensions[0], 'the refused extension').grantedDueAt).toBeUndefined();
    expect((await history()).pop()).toMatchObject({
      kind: 'extension-refused',
      reason: 'No reason why the data is late.',
    });
  });
});

describe('deciding an extension', () => {
  it.each([
    ['grant', 'grant'],
    ['refuse', 'refuse'],
  ])('answers a %s of an extension that does not exist with not found', async (_label, decision) => {
    // Prepare
    const { service, notice } = await withPendingExtension();

    // Act
    const error = await rejectionOf(
      decision === 'grant'
        ? service.grantExtension(officer, notice.id, 'ext_9', {})
        : service.refuseExtension(officer, notice.id, 'ext_9', 'No.'),
    );

    // Assess
    expect(error).toBeInstanceOf(NotFound);
  });

  it.each([
    ['granted', 'granted'],
    ['granted', 'refused'],
    ['refused', 'granted'],
    ['refused', 'refused'],
  ])('refuses to decide an extension already %s (then %s) as a conflict', async (first, second) => {
    // Prepare
    const { service, notice, extensionId } = await withPendingExtension();
    const decide = (how: string) =>
      how === 'granted'
        ? service.grantExtension(officer, notice.id, extensionId, {})
        : service.refuseExtension(officer, notice.id, extensionId, 'Not justified.');
    const decided = await decide(first);

    // Act
    const error = await rejectionOf(decide(second));

    // Assess
    expect(error).toBeInstanceOf(Conflict);
    expect((error as Conflict).reason).toBe('illegal-transition');
    expect(await service.get(officer, notice.id)).toEqual(decided);
  });
});

describe('drafting an infringement notice', () => {
  async function overdueNotice(platformId = 'x-corp') {
    const portal = noticeServiceForTest({ start: GIVEN_AT });
    const { notice: created } = await portal.service.createDraft(officer, transparencyDraft({ platformId }));
    const notice = await portal.service.issue(officer, created.id);
    return { ...portal, notice };
  }

  it('accepts a draft that names an overdue notice of the same platform', async () => {
    // Prepare
    const { service, clock, notice } = await overdueNotice();
    clock.moveTo('2026-12-23T00:00:00.000Z');

    // Act
    const { notice: draft } = await service.createDraft(
      officer,
      infringementDraft({ infringement: { ...infringementDraft().infringement!, relatedNoticeId: notice.id } }),
    );

    // Assess
    expect(draft.status).toBe('draft');
    expect(draft.infringement?.relatedNoticeId).toBe(notice.id);
  });

  it.each([
    ['a notice that is not yet due', 'x-corp', '2026-12-22T12:00:00.000Z', 'is not overdue'],
    ["another platform's overdue notice", 'videoshare', '2026-12-23T00:00:00.000Z', 'another platform'],
  ])('refuses a draft that names %s, naming infringement.relatedNoticeId', async (_label, platformId, now, message) => {
    // Prepare
    const { service, clock, notice } = await overdueNotice(platformId);
    clock.moveTo(now);

    // Act
    const error = await rejectionOf(
      service.createDraft(
        officer,
        infringementDraft({ infringement: { ...infringementDraft().infringement!, relatedNoticeId: notice.id } }),
      ),
    );

    // Assess
    expect(issuePaths(error)).toEqual(['infringement.relatedNoticeId']);
    expect((error as ValidationFailed).issues.at(0)?.message).toContain(message);
  });

  it('refuses a draft that names a notice which does not exist', async () => {
    // Prepare
    const { service } = noticeServiceForTest();

    // Act
    const error = await rejectionOf(
      service.createDraft(
        officer,
        infringementDraft({
          infringement: { ...infringementDraft().infringement!, relatedNoticeId: 'ntc_01KAZ0000000000000000000ZZ' },
        }),
      ),
    );

    // Assess
    expect(issuePaths(error)).toEqual(['infringement.relatedNoticeId']);
  });

  it.each(['provisionContravened', 'maximumPenalty', 'amountPayable', 'paymentPlace'])(
    'refuses a request without %s, naming the field',
    (field) => {
      // Prepare
      const { infringement, ...rest } = infringementDraft();
      const request = { ...rest, infringement: { ...infringement, [field]: undefined } };

      // Act
      const parsed = CreateDraftRequestSchema.safeParse(request);

      // Assess
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual([`infringement.${field}`]);
    },
  );

  it('refuses a place for payment that is only blank space', () => {
    // Prepare
    const request = infringementDraft({ infringement: { ...infringementDraft().infringement!, paymentPlace: '   ' } });

    // Act
    const parsed = CreateDraftRequestSchema.safeParse(request);

    // Assess
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['infringement.paymentPlace']);
  });
});

describe('issuing an infringement notice', () => {
  it('makes the amount payable within 28 days, moved past holidays and the weekend to a business day', async () => {
    // Prepare: given 10:00 AEDT on Fri 27 Nov 2026, so day 28 is Christmas Day.
    const holidays = holidaysFromList('NSW Christmas 2026 (test list)', {
      '2026-12-25': 'Christmas Day',
      '2026-12-26': 'Boxing Day',
      '2026-12-28': 'Boxing Day (substitute day)',
    });
    const { service } = noticeServiceForTest({ start: '2026-11-26T23:00:00.000Z', holidaysFor: () => holidays });
    const { notice: draft } = await service.createDraft(officer, infringementDraft());

    // Act
    const issued = await service.issue(officer, draft.id);

    // Assess: the end of Tue 29 Dec 2026, AEDT.
    expect(issued.dueAt).toBe('2026-12-29T12:59:59.999Z');
    expect(issued.dueExplanation?.join('\n')).toContain('Fri 25 Dec 2026, is not a business day (Christmas Day)');
    expect(issued.dueExplanation?.join('\n')).toContain('NSW Christmas 2026 (test list)');
  });

  it('makes it due on the Monday when the 28th day is a Sunday, with no holidays', async () => {
    // Prepare: given 10:00 AEDT on Sun 6 Dec 2026; day 28 is Sun 3 Jan 2027.
    const { service } = noticeServiceForTest({ start: '2026-12-05T23:00:00.000Z', holidaysFor: () => NO_HOLIDAYS });
    const { notice: draft } = await service.createDraft(officer, infringementDraft());

    // Act
    const issued = await service.issue(officer, draft.id);

    // Assess
    expect(issued.dueAt).toBe('2027-01-04T12:59:59.999Z');
  });
});

describe('recording payment', () => {
  const PAYMENT = {
    paidAt: '2026-12-10T10:00:00+11:00',
    amount: { currency: 'AUD', amount: '610500.00' },
    reference: 'EFT 2026-12-10 0042',
  };

  async function issuedInfringement() {
    return issuedNotice(infringementDraft());
  }

  it('refuses a payment dated in the future', async () => {
    // Prepare
    const { service, notice } = await issuedInfringement();

    // Act
    const error = await rejectionOf(service.recordPayment(officer, notice.id, PAYMENT));

    // Assess
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues).toEqual([{ path: 'paidAt', message: 'is in the future' }]);
  });

  it('marks the notice paid with the payment record, and stops its reminders', async () => {
    // Prepare
    const { service, clock, notice } = await issuedInfringement();
    clock.advance(16 * DAY);

    // Act
    const paid = await service.recordPayment(officer, notice.id, PAYMENT);

    // Assess
    expect(notice.nextReminderAt).toBeDefined();
    expect(paid.status).toBe('paid');
    expect(paid.payment).toEqual({
      status: 'paid',
      recordedAt: clock.now().toISOString(),
      recordedBy: { subject: officer.subject, name: officer.name, role: 'regulator-officer' },
      paidAt: '2026-12-09T23:00:00.000Z',
      amount: PAYMENT.amount,
      reference: PAYMENT.reference,
    });
    expect(paid.nextReminderAt).toBeUndefined();
  });

  it('refuses a payment recorded by the platform as forbidden', async () => {
    // Prepare
    const { service, notice } = await issuedInfringement();

    // Act
    const error = await rejectionOf(service.recordPayment(xCorpLegal, notice.id, PAYMENT));

    // Assess
    expect(error).toBeInstanceOf(Forbidden);
  });

  it('refuses to record non-payment before the time for payment has passed', async () => {
    // Prepare
    const { service, clock, notice } = await issuedInfringement();
    clock.moveTo(notice.dueAt!);

    // Act
    const error = await rejectionOf(service.recordNonPayment(officer, notice.id, 'Nothing received.'));

    // Assess
    expect(error).toBeInstanceOf(Conflict);
    expect((await service.get(officer, notice.id)).status).toBe('issued');
  });

  it('records non-payment, with the reason, once the time for payment has passed', async () => {
    // Prepare
    const { service, clock, notice } = await issuedInfringement();
    clock.moveTo(new Date(Date.parse(notice.dueAt!) + HOUR).toISOString());

    // Act
    const unpaid = await service.recordNonPayment(officer, notice.id, 'Nothing received by the due time.');

    // Assess
    expect(unpaid.status).toBe('unpaid');
    expect(unpaid.payment).toMatchObject({
      status: 'unpaid',
      recordedAt: clock.now().toISOString(),
      reason: 'Nothing received by the due time.',
    });
  });

  it('refuses to record a payment twice', async () => {
    // Prepare
    const { service, clock, notice } = await issuedInfringement();
    clock.advance(16 * DAY);
    await service.recordPayment(officer, notice.id, PAYMENT);

    // Act
    const error = await rejectionOf(service.recordPayment(officer, notice.id, PAYMENT));

    // Assess
    expect(error).toBeInstanceOf(Conflict);
    expect((error as Conflict).reason).toBe('illegal-transition');
  });

  it.each(['payment', 'non-payment'])('refuses to record %s on a transparency notice', async (what) => {
    // Prepare
    const { service, clock, notice, history } = await issuedNotice();
    clock.moveTo('2026-12-23T00:00:00.000Z');

    // Act
    const error = await rejectionOf(
      what === 'payment'
        ? service.recordPayment(officer, notice.id, PAYMENT)
        : service.recordNonPayment(officer, notice.id, 'Nothing received.'),
    );

    // Assess
    expect(error).toBeInstanceOf(Conflict);
    expect((error as Conflict).message).toContain('demands no payment');
    expect(await history()).toHaveLength(2);
  });
});
