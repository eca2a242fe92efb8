import { Conflict, Forbidden, ValidationFailed } from '../../lambdas/domain/errors';
import { verifyChain } from '../../lambdas/domain/notice-event';
import {
  DAY,
  infringementDraft,
  noticeServiceForTest,
  officer,
  rejectionOf,
  xCorpLegal,
} from '../support/notice-fixtures';

/**
 * An infringement notice needs a basis (the overdue notice, or an explicit statement of the contravention), a
 * payment is checked against the notice, and a wrong payment entry is put right by a recorded correction.
 */
const GIVEN_AT = '2026-11-24T03:00:00.000Z';
const PAYMENT = {
  paidAt: '2026-12-10T10:00:00+11:00',
  amount: { currency: 'AUD', amount: '610500.00' },
  reference: 'EFT 2026-12-10 0042',
};
const PAGE = { limit: 100 };
const { contravention: CONTRAVENTION, ...WITHOUT_BASIS } = infringementDraft().infringement!;

function issues(error: unknown) {
  expect(error).toBeInstanceOf(ValidationFailed);
  return (error as ValidationFailed).issues;
}

async function issuedInfringement() {
  const portal = noticeServiceForTest({ start: GIVEN_AT });
  const { notice: draft } = await portal.service.createDraft(officer, infringementDraft());
  const notice = await portal.service.issue(officer, draft.id);
  portal.clock.advance(20 * DAY);
  return { ...portal, notice };
}

describe('the basis of an infringement notice', () => {
  it('refuses a draft with neither a related overdue notice nor a statement of the contravention', async () => {
    // Prepare
    const { service } = noticeServiceForTest({ start: GIVEN_AT });

    // Act
    const error = await rejectionOf(service.createDraft(officer, infringementDraft({ infringement: WITHOUT_BASIS })));

    // Assess
    expect(issues(error)).toEqual([{ path: 'infringement', message: expect.stringMatching(/must state its basis/) }]);
  });

  it.each([
    [
      'a contravention that ends before it began',
      { contravention: { ...CONTRAVENTION!, occurredUntil: '2025-01-01T00:00:00.000Z' } },
      'infringement.contravention.occurredUntil',
    ],
    [
      'a contravention in the future',
      { contravention: { ...CONTRAVENTION!, occurredFrom: '2027-01-01T00:00:00.000Z', occurredUntil: undefined } },
      'infringement.contravention.occurredFrom',
    ],
    [
      'an amount payable above the maximum penalty',
      { amountPayable: { currency: 'AUD', amount: '782500.01' } },
      'infringement.amountPayable.amount',
    ],
    [
      'an amount payable in another currency than the maximum penalty',
      { amountPayable: { currency: 'USD', amount: '16500.00' } },
      'infringement.amountPayable.currency',
    ],
  ])('refuses %s, naming the field', async (_label, change, path) => {
    // Prepare
    const { service } = noticeServiceForTest({ start: GIVEN_AT });
    const infringement = { ...infringementDraft().infringement!, ...change };

    // Act
    const error = await rejectionOf(service.createDraft(officer, infringementDraft({ infringement })));

    // Assess
    expect(issues(error).map((i) => i.path)).toEqual([path]);
  });

  it('accepts an explicit, valid statement of the contravention and records it with the notice', async () => {
    // Prepare
    const { service } = noticeServiceForTest({ start: GIVEN_AT });

    // Act
    const { notice } = await service.createDraft(officer, infringementDraft());

    // Assess
    expect(notice.infringement?.contravention).toEqual(CONTRAVENTION);
  });
});

describe('recording a payment against the notice', () => {
  it.each([
    ['USD 1.00 against AUD 610,500.00', { amount: { currency: 'USD', amount: '1.00' } }, 'amount.currency'],
    ['AUD 1.00 against AUD 610,500.00', { amount: { currency: 'AUD', amount: '1.00' } }, 'amount.amount'],
    ['a payment dated before the notice was given', { paidAt: '2026-11-01T00:00:00.000Z' }, 'paidAt'],
  ])('refuses %s, and the notice stays unpaid', async (_label, change, path) => {
    // Prepare
    const { service, notice } = await issuedInfringement();

    // Act
    const error = await rejectionOf(service.recordPayment(officer, notice.id, { ...PAYMENT, ...change }));

    // Assess
    expect(issues(error).map((i) => i.path)).toEqual([path]);
    expect((await service.get(officer, notice.id)).status).toBe('issued');
  });

  it('accepts the amount payable written without cents', async () => {
    // Prepare
    const { service, notice } = await issuedInfringement();

    // Act
    const paid = await service.recordPayment(officer, notice.id, {
      ...PAYMENT,
      amount: { currency: 'AUD', amount: '610500' },
    });

    // Assess
    expect(paid.status).toBe('paid');
  });
});

describe('correcting a recorded payment', () => {
  async function paidInfringement() {
    const portal = await issuedInfringement();
    const paid = await portal.service.recordPayment(officer, portal.notice.id, PAYMENT);
    portal.clock.advance(DAY);
    return { ...portal, paid };
  }

  it('corrects a field with a new event, keeping the payment event and the earlier value on record', async () => {
    // Prepare
    const { service, paid, clock } = await paidInfringement();

    // Act
    const corrected = await service.correctPayment(officer, paid.id, {
      reason: 'The bank reference was mistyped.',
      reference: 'EFT 2026-12-10 0043',
    });
    const history = (await service.history(officer, paid.id, PAGE)).items;

    // Assess
    expect(corrected.status).toBe('paid');
    expect(corrected.payment).toMatchObject({ reference: 'EFT 2026-12-10 0043', paidAt: paid.payment?.paidAt });
    expect(corrected.paymentCorrections).toEqual([
      {
        at: clock.now().toISOString(),
        by: { subject: officer.subject, name: officer.name, role: 'regulator-officer' },
        reason: 'The bank reference was mistyped.',
        voided: false,
        previous: { paidAt: paid.payment?.paidAt, amount: PAYMENT.amount, reference: PAYMENT.reference },
        corrected: { reference: 'EFT 2026-12-10 0043' },
      },
    ]);
    expect(history.map((e) => e.kind)).toEqual(['created', 'issued', 'payment-recorded', 'payment-corrected']);
    expect(history[2]).toMatchObject({ data: { reference: PAYMENT.reference } });
    expect(verifyChain(history)).toEqual({ valid: true });
  });

  it('voids a wrong entry: the notice awaits payment again, reminders resume, and a payment can then be recorded', async () => {
    // Prepare
    const { service, paid } = await paidInfringement();

    // Act
    const voided = await service.correctPayment(officer, paid.id, {
      reason: 'Recorded against the wrong notice.',
      void: true,
    });
    const repaid = await service.recordPayment(officer, paid.id, { ...PAYMENT, reference: 'EFT 2026-12-11 0001' });

    // Assess
    expect(voided.status).toBe('issued');
    expect(voided.payment).toBeUndefined();
    expect(voided.paymentCorrections?.[0]).toMatchObject({ voided: true, previous: { reference: PAYMENT.reference } });
    expect(voided.nextReminderAt).toBeDefined();
    expect(repaid).toMatchObject({ status: 'paid', payment: { reference: 'EFT 2026-12-11 0001' } });
  });

  it('refuses a correction that would make the payment wrong, one by a platform, and one of a notice not paid', async () => {
    // Prepare
    const { service, paid } = await paidInfringement();
    const unpaid = await issuedInfringement();

    // Act
    const wrong = await rejectionOf(
      service.correctPayment(officer, paid.id, { reason: 'Typo.', amount: { currency: 'USD', amount: '1.00' } }),
    );
    const byPlatform = await rejectionOf(service.correctPayment(xCorpLegal, paid.id, { reason: 'No.', void: true }));
    const notPaid = await rejectionOf(
      unpaid.service.correctPayment(officer, unpaid.notice.id, { reason: 'Nothing to void.', void: true }),
    );

    // Assess
    expect(issues(wrong).map((i) => i.path)).toEqual(['amount.currency']);
    expect(byPlatform).toBeInstanceOf(Forbidden);
    expect(notPaid).toBeInstanceOf(Conflict);
    expect((await service.get(officer, paid.id)).payment?.amount).toEqual(PAYMENT.amount);
  });
});
