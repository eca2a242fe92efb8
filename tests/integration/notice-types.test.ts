import { DEFAULT_CATALOGUE } from '../../lambdas/domain/notice-catalogue';
import { type Harness, startHarness } from './support/portal-harness';

/** GET /notice-types: the catalogue, so clients learn the type ids and what each needs without a failed draft. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

describe('GET /notice-types', () => {
  it('describes every notice type to any signed-in user: basis, demand, clock, reminders, required fields', async () => {
    // Act
    const asOfficer = await h.as('officer').get('/notice-types');
    const asPlatform = await h.as('x-corp-legal').get('/notice-types');
    const anonymous = await h.anonymous().get('/notice-types');

    // Assess
    expect(asOfficer.status).toBe(200);
    expect(asPlatform.status).toBe(200);
    expect(asPlatform.body).toEqual(asOfficer.body);
    expect(anonymous.status).toBe(401);
    const items: { id: string }[] = asOfficer.body.items;
    expect(items.map((t) => t.id)).toEqual(DEFAULT_CATALOGUE.map((e) => e.type));
    expect(items.find((t) => t.id === 'transparency-notice')).toEqual({
      id: 'transparency-notice',
      label: 'Transparency notice (Basic Online Safety Expectations)',
      legalBasis: 'Online Safety Act 2021 (Cth) s 56(2)',
      demands: 'answers',
      demandsDescription: expect.stringContaining('numbered questions'),
      clock: {
        period: { amount: 28, unit: 'calendar-days' },
        cutOff: 'end-of-day',
        rollToBusinessDay: true,
        excludeDayOfGiving: true,
      },
      reminders: {
        beforeDue: [
          { amount: 7, unit: 'days' },
          { amount: 2, unit: 'days' },
          { amount: 1, unit: 'days' },
        ],
        atDue: true,
        escalateAfter: { amount: 0, unit: 'minutes' },
      },
      consequences: expect.stringContaining('s 57'),
      requiredFields: ['type', 'platformId', 'title', 'mannerAndForm', 'requirements.questions'],
      oneOfFields: [],
    });
    expect(items.find((t) => t.id === 'infringement-notice')).toMatchObject({
      demands: 'payment',
      requiredFields: expect.arrayContaining(['infringement.paymentPlace', 'infringement.amountPayable']),
      oneOfFields: [['infringement.relatedNoticeId', 'infringement.contravention']],
    });
    expect(items.find((t) => t.id === 'formal-warning')).toMatchObject({ clock: null, demands: 'none' });
  });

  it('is in the OpenAPI document with its response schema', async () => {
    // Act
    const document = await h.anonymous().get('/openapi.json');

    // Assess
    const operation = document.body.paths['/notice-types']?.get;
    expect(operation).toMatchObject({ operationId: 'listNoticeTypes' });
    expect(JSON.stringify(operation.responses['200'])).toContain('NoticeType');
  });
});
