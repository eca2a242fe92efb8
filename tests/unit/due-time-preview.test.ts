import { holidaysFromList } from '../../lambdas/domain/deadline-engine';
import { Forbidden, ValidationFailed } from '../../lambdas/domain/errors';
import {
  DAY,
  formalWarningDraft,
  noticeServiceForTest,
  officer,
  rejectionOf,
  transparencyDraft,
  userWithoutRole,
  xCorpLegal,
} from '../support/notice-fixtures';

/** The due-time preview (POST /due-time-preview): what issue would record, computed the same way, saving nothing. */
const PAGE = { limit: 100 };
const NSW_2026 = holidaysFromList('public holidays in New South Wales (test list)', {
  '2026-12-25': 'Christmas Day',
  '2026-12-26': 'Boxing Day',
  '2026-12-28': 'Boxing Day (additional day)',
});

async function fieldsOf(promise: Promise<unknown>): Promise<string[]> {
  const error = await rejectionOf(promise);
  if (!(error instanceof ValidationFailed)) throw error;
  return error.issues.map((i) => i.path);
}

describe('previewing a due time', () => {
  it('gives the due time and explanation that issuing at that moment then records', async () => {
    // Prepare: a 28-day notice whose last day falls on the Christmas holidays, so the roll-forward is explained.
    const { service, clock } = noticeServiceForTest({ start: '2026-11-20T01:00:00.000Z', holidaysFor: () => NSW_2026 });
    const { notice: draft } = await service.createDraft(officer, transparencyDraft());
    clock.moveTo('2026-11-27T03:15:00.000Z');

    // Act
    const preview = service.previewDueTime(officer, { type: 'transparency-notice' });
    const issued = await service.issue(officer, draft.id);

    // Assess
    expect(preview.givenAt).toBe(issued.givenAt);
    expect(preview.dueAt).toBe(issued.dueAt);
    expect(preview.dueExplanation).toEqual(issued.dueExplanation);
    expect(preview.dueExplanation?.join('\n')).toContain('Christmas Day');
  });

  it('computes for the given moment of giving, in the zone and jurisdiction given, with the period given', async () => {
    const { service } = noticeServiceForTest();

    const preview = service.previewDueTime(officer, {
      type: 'transparency-notice',
      timeZone: 'Europe/London',
      jurisdiction: { country: 'GB' },
      responsePeriod: { amount: 5, unit: 'business-days' },
      givenAt: '2026-06-05T09:00:00+01:00',
    });

    // Friday 5 June: five business days from Monday 8 June end on Friday 12 June, at the end of the day in London.
    expect(preview).toMatchObject({ givenAt: '2026-06-05T08:00:00.000Z', dueAt: '2026-06-12T22:59:59.999Z' });
    expect(preview.dueExplanation?.[0]).toContain('(Europe/London)');
  });

  it("states an officer's explicit due time as issue would", async () => {
    const { service, clock } = noticeServiceForTest({ start: '2026-11-20T01:00:00.000Z' });
    const dueAt = '2026-12-18T17:00:00+11:00';
    const { notice: draft } = await service.createDraft(officer, transparencyDraft({ dueAt }));

    const preview = service.previewDueTime(officer, { type: 'transparency-notice', dueAt });
    const issued = await service.issue(officer, draft.id);

    expect(clock.now().toISOString()).toBe(issued.givenAt);
    expect(preview).toEqual({ givenAt: issued.givenAt, dueAt: issued.dueAt, dueExplanation: issued.dueExplanation });
  });

  it('gives no due time for a type under which nothing is due', () => {
    const { service } = noticeServiceForTest();

    const preview = service.previewDueTime(officer, { type: formalWarningDraft().type });

    expect(preview.dueAt).toBeUndefined();
    expect(preview.dueExplanation).toBeUndefined();
  });

  it('writes nothing', async () => {
    const { service } = noticeServiceForTest();

    service.previewDueTime(officer, { type: 'transparency-notice' });
    service.previewDueTime(officer, { type: 'transparency-notice', givenAt: '2026-12-01T00:00:00Z' });

    expect((await service.list(officer, {}, PAGE)).items).toEqual([]);
  });

  it('is for regulators only', async () => {
    const { service } = noticeServiceForTest();

    for (const caller of [xCorpLegal, userWithoutRole]) {
      expect(() => service.previewDueTime(caller, { type: 'transparency-notice' })).toThrow(Forbidden);
    }
  });

  it('names the field of each problem that issue or drafting would refuse', async () => {
    const { service, clock } = noticeServiceForTest({ start: '2026-11-20T01:00:00.000Z', maxDueDays: 730 });
    const preview = (input: Parameters<typeof service.previewDueTime>[1]) =>
      Promise.resolve().then(() => service.previewDueTime(officer, input));

    expect(await fieldsOf(preview({ type: 'no-such-notice' }))).toEqual(['type']);
    expect(
      await fieldsOf(
        preview({
          type: 'transparency-notice',
          dueAt: '2026-12-18T17:00:00+11:00',
          responsePeriod: { amount: 10, unit: 'calendar-days' },
        }),
      ),
    ).toEqual(['dueAt']);
    expect(await fieldsOf(preview({ type: formalWarningDraft().type, dueAt: '2026-12-18T17:00:00+11:00' }))).toEqual([
      'dueAt',
    ]);
    // Already passed at the moment of giving, and further ahead than the portal allows.
    expect(await fieldsOf(preview({ type: 'transparency-notice', dueAt: '2026-11-19T00:00:00Z' }))).toEqual(['dueAt']);
    const tooFar = new Date(clock.now().getTime() + 731 * DAY).toISOString();
    expect(await fieldsOf(preview({ type: 'transparency-notice', dueAt: tooFar }))).toEqual(['dueAt']);
    expect(await fieldsOf(preview({ type: 'transparency-notice', timeZone: 'Mars/Olympus_Mons' }))).toEqual([
      'timeZone',
    ]);
  });
});
