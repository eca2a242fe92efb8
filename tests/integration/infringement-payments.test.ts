import { verifyChain } from '../../lambdas/domain/notice-event';
import { type Harness, startHarness } from './support/portal-harness';

/** Infringement notices need a basis; payments are checked against the notice and corrected only by new events. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

const DETAILS = {
  provisionContravened: 'Online Safety Act 2021 (Cth) s 57',
  maximumPenalty: { currency: 'AUD', amount: '782500.00' },
  amountPayable: { currency: 'AUD', amount: '61050.00' },
  paymentPlace: 'By BPAY (biller code 12345) or at https://pay.regulator.example/infringements',
};
const draft = (infringement: object) => ({
  type: 'infringement-notice',
  platformId: 'x-corp',
  title: 'Infringement notice: failure to comply with a transparency notice',
  mannerAndForm: 'Pay the amount payable by the time for payment.',
  infringement,
});

describe('infringement notices and payments over HTTP', () => {
  it('refuses an infringement notice without a basis, and a payment in the wrong currency dated before issue', async () => {
    // Prepare
    const officer = h.as('officer');
    const withBasis = await officer.post(
      '/notices',
      draft({
        ...DETAILS,
        contravention: {
          description: 'Did not give a report in response to a transparency notice by its due time.',
          occurredFrom: '2026-03-07T13:00:00.000Z',
        },
      }),
    );
    const issued = await officer.post(`/notices/${withBasis.body.id}/issue`);

    // Act
    const withoutBasis = await officer.post('/notices', draft(DETAILS));
    const wrongPayment = await officer.post(`/notices/${withBasis.body.id}/payment`, {
      paidAt: new Date(Date.parse(issued.body.givenAt) - 86_400_000).toISOString(),
      amount: { currency: 'USD', amount: '1.00' },
      reference: 'Wire 1',
    });
    const after = await officer.get(`/notices/${withBasis.body.id}`);

    // Assess
    expect(withoutBasis.status).toBe(400);
    expect(withoutBasis.body.error.issues).toEqual([
      { path: 'infringement', message: expect.stringMatching(/relatedNoticeId .* or contravention/) },
    ]);
    expect(wrongPayment.status).toBe(400);
    expect(wrongPayment.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['amount.currency', 'paidAt']);
    expect(after.body.status).toBe('issued');
  });

  it('voids a wrong payment entry through POST …/payment/correction, appending to the chain', async () => {
    // Prepare
    const officer = h.as('officer');
    const created = await officer.post(
      '/notices',
      draft({
        ...DETAILS,
        contravention: {
          description: 'Did not give a report in response to a transparency notice by its due time.',
          occurredFrom: '2026-03-07T13:00:00.000Z',
        },
      }),
    );
    const issued = await officer.post(`/notices/${created.body.id}/issue`);
    const paid = await officer.post(`/notices/${created.body.id}/payment`, {
      paidAt: issued.body.givenAt,
      amount: DETAILS.amountPayable,
      reference: 'BPAY 1',
    });

    // Act
    const bothWays = await officer.post(`/notices/${created.body.id}/payment/correction`, {
      reason: 'Entered against the wrong notice.',
      void: true,
      reference: 'BPAY 2',
    });
    const byPlatform = await h
      .as('x-corp-legal')
      .post(`/notices/${created.body.id}/payment/correction`, { reason: 'Not ours.', void: true });
    const voided = await officer.post(`/notices/${created.body.id}/payment/correction`, {
      reason: 'Entered against the wrong notice.',
      void: true,
    });
    const history = await officer.get(`/notices/${created.body.id}/history`);

    // Assess
    expect(paid.body.status).toBe('paid');
    expect(bothWays.status).toBe(400);
    expect(bothWays.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['reference']);
    expect(byPlatform.status).toBe(403);
    expect(voided.status).toBe(200);
    expect(voided.body).toMatchObject({
      status: 'issued',
      paymentCorrections: [
        { voided: true, reason: 'Entered against the wrong notice.', previous: { reference: 'BPAY 1' } },
      ],
    });
    expect(voided.body.payment).toBeUndefined();
    expect(history.body.items.map((e: { kind: string }) => e.kind)).toEqual([
      'created',
      'issued',
      'payment-recorded',
      'payment-corrected',
    ]);
    expect(verifyChain(history.body.items)).toEqual({ valid: true });
  });
});
