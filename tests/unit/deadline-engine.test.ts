import fc from 'fast-check';
import {
  computeDeadline,
  type DeadlineInput,
  type DeadlineRuleInput,
  type DeadlineStep,
  explicitDeadline,
  type HolidayCalendar,
  holidaysFromList,
  NO_HOLIDAYS,
  withOverrides,
} from '../../lambdas/domain/deadline-engine';
import { ValidationFailed } from '../../lambdas/domain/errors';
import { NSW_PUBLIC_HOLIDAYS_2026_2027 } from '../support/nsw-public-holidays';
import { localTime, offsetMinutes, offsetTransitions, plusDays } from '../support/time-oracle';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SYDNEY = 'Australia/Sydney';

const NSW = holidaysFromList('NSW public holidays 2026–2027 (fixed test list)', NSW_PUBLIC_HOLIDAYS_2026_2027);

const FIVE_PM = { hour: 17, minute: 0 };
const calendarDays = (amount: number, more: Partial<DeadlineRuleInput> = {}): DeadlineRuleInput => ({
  period: { amount, unit: 'calendar-days' },
  cutOff: 'end-of-day',
  rollToBusinessDay: true,
  ...more,
});
const businessDays = (amount: number, more: Partial<DeadlineRuleInput> = {}): DeadlineRuleInput => ({
  period: { amount, unit: 'business-days' },
  cutOff: FIVE_PM,
  rollToBusinessDay: false,
  ...more,
});
const hours = (amount: number, more: Partial<DeadlineRuleInput> = {}): DeadlineRuleInput => ({
  period: { amount, unit: 'hours' },
  cutOff: FIVE_PM,
  rollToBusinessDay: false,
  ...more,
});
const inSydney = (givenAt: string, rule: DeadlineRuleInput, holidays: HolidayCalendar = NSW) =>
  computeDeadline({ givenAt: new Date(givenAt), timeZone: SYDNEY, rule, holidays });
const kinds = (steps: DeadlineStep[]) => steps.map((s) => s.kind);

describe('computeDeadline: calendar days (worked examples, NSW)', () => {
  it('makes a 28-day transparency notice given on Tue 24 Nov 2026 due at the very end of Tue 22 Dec 2026, AEDT', () => {
    // Prepare: 03:00Z is 14:00 AEDT.
    const givenAt = '2026-11-24T03:00:00Z';

    // Act
    const { dueAt, explanation, steps } = inSydney(givenAt, calendarDays(28));

    // Assess
    expect(dueAt.toISOString()).toBe('2026-12-22T12:59:59.999Z');
    expect(kinds(steps)).toEqual(['given', 'calendar', 'day-of-giving', 'count', 'business-day', 'cut-off']);
    expect(explanation).toEqual([
      'Notice given Tue 24 Nov 2026, 14:00:00 AEDT (Australia/Sydney).',
      'Business days exclude Saturdays and Sundays and these holidays: NSW public holidays 2026–2027 (fixed test list).',
      'Day of giving not counted (Acts Interpretation Act 1901 (Cth) s 36(1)); counting starts Wed 25 Nov 2026.',
      'Counting 28 calendar days from Wed 25 Nov 2026: the last day is Tue 22 Dec 2026.',
      'The last day, Tue 22 Dec 2026, is a business day, so Acts Interpretation Act 1901 (Cth) s 36(2) does not move it.',
      'Due at the end of Tue 22 Dec 2026: Tue 22 Dec 2026, 23:59:59.999 AEDT (2026-12-22T12:59:59.999Z).',
    ]);
  });

  it('moves a 28-day period that ends on Christmas Day past Boxing Day, the weekend and the substitute day', () => {
    // Prepare: 10:00 AEDT on Fri 27 Nov 2026, so day 28 is Fri 25 Dec 2026.
    const givenAt = '2026-11-26T23:00:00Z';

    // Act
    const { dueAt, explanation, steps } = inSydney(givenAt, calendarDays(28));

    // Assess: Tue 29 Dec 2026, 23:59:59.999 AEDT.
    expect(dueAt.toISOString()).toBe('2026-12-29T12:59:59.999Z');
    const roll = steps.find((s) => s.kind === 'roll-forward');
    expect(roll).toEqual({
      kind: 'roll-forward',
      from: '2026-12-25',
      to: '2026-12-29',
      days: [
        { date: '2026-12-25', weekend: false, holiday: 'Christmas Day' },
        { date: '2026-12-26', weekend: true, holiday: 'Boxing Day' },
        { date: '2026-12-27', weekend: true },
        { date: '2026-12-28', weekend: false, holiday: 'Boxing Day (substitute day)' },
      ],
    });
    expect(explanation[steps.indexOf(roll!)]).toBe(
      'The last day, Fri 25 Dec 2026, is not a business day (Christmas Day), nor are Sat 26 Dec 2026 (weekend; ' +
        'Boxing Day), Sun 27 Dec 2026 (weekend), Mon 28 Dec 2026 (Boxing Day (substitute day)); the period ends on ' +
        'the next business day, Tue 29 Dec 2026 (Acts Interpretation Act 1901 (Cth) s 36(2)).',
    );
  });

  it('moves a period ending on Sun 3 Jan 2027 to Mon 4 Jan 2027 and ends it at a 17:00 cut-off', () => {
    // Prepare: 10:00 AEDT on Sun 6 Dec 2026.
    const givenAt = '2026-12-05T23:00:00Z';

    // Act
    const { dueAt, explanation } = inSydney(givenAt, calendarDays(28, { cutOff: FIVE_PM }));

    // Assess
    expect(dueAt.toISOString()).toBe('2027-01-04T06:00:00.000Z');
    expect(explanation.slice(-2)).toEqual([
      'The last day, Sun 3 Jan 2027, is not a business day (weekend); the period ends on the next business day, ' +
        'Mon 4 Jan 2027 (Acts Interpretation Act 1901 (Cth) s 36(2)).',
      'Due at the cut-off, 17:00 on Mon 4 Jan 2027: Mon 4 Jan 2027, 17:00:00 AEDT (2027-01-04T06:00:00.000Z).',
    ]);
  });

  it('leaves a period ending on a Sunday where it is when the rule does not roll to a business day', () => {
    // Prepare: the same notice as above.
    const givenAt = '2026-12-05T23:00:00Z';

    // Act
    const { dueAt, steps } = inSydney(givenAt, calendarDays(28, { cutOff: FIVE_PM, rollToBusinessDay: false }));

    // Assess: Sun 3 Jan 2027, 17:00 AEDT; no business-day check is made or mentioned.
    expect(dueAt.toISOString()).toBe('2027-01-03T06:00:00.000Z');
    expect(kinds(steps)).toEqual(['given', 'day-of-giving', 'count', 'cut-off']);
  });

  it('counts the day of giving as day 1 when the rule says so', () => {
    // Prepare: 14:00 AEDT on Tue 24 Nov 2026.
    const givenAt = '2026-11-24T03:00:00Z';

    // Act
    const { dueAt, explanation } = inSydney(givenAt, calendarDays(28, { excludeDayOfGiving: false }));

    // Assess: day 28 is Mon 21 Dec 2026.
    expect(dueAt.toISOString()).toBe('2026-12-21T12:59:59.999Z');
    expect(explanation[2]).toBe(
      'Day of giving, Tue 24 Nov 2026, counts as day 1: the rule displaces Acts Interpretation Act 1901 (Cth) s 36(1).',
    );
    expect(explanation[3]).toContain('from Tue 24 Nov 2026: the last day is Mon 21 Dec 2026');
  });

  it('refuses a rule that would make the notice due before it is given', () => {
    // Prepare: one day, counting the day of giving, ending at 09:00; the notice is given at 14:00.
    const rule = calendarDays(1, {
      excludeDayOfGiving: false,
      cutOff: { hour: 9, minute: 0 },
      rollToBusinessDay: false,
    });

    // Act
    const act = () => inSydney('2026-11-24T03:00:00Z', rule);

    // Assess
    expect(act).toThrow(ValidationFailed);
    expect(act).toThrow('gives no time to respond');
  });
});

describe('computeDeadline: business days (worked examples, NSW)', () => {
  it('counts 10 business days over Christmas, naming every day it does not count', () => {
    // Prepare: 10:00 AEDT on Mon 21 Dec 2026.
    const givenAt = '2026-12-20T23:00:00Z';

    // Act
    const { dueAt, explanation, steps } = inSydney(givenAt, businessDays(10));

    // Assess: 22, 23, 24, 29, 30, 31 Dec and 4, 5, 6, 7 Jan are counted; due Thu 7 Jan 2027, 17:00 AEDT.
    expect(dueAt.toISOString()).toBe('2027-01-07T06:00:00.000Z');
    expect(kinds(steps)).toEqual(['given', 'calendar', 'day-of-giving', 'count', 'skip-non-business-day', 'cut-off']);
    expect(explanation.slice(3)).toEqual([
      'Counting 10 business days from Tue 22 Dec 2026: day 10 is Thu 7 Jan 2027.',
      'Not counted, as not business days: Fri 25 Dec 2026 (Christmas Day), Sat 26 Dec 2026 (weekend; Boxing Day), ' +
        'Sun 27 Dec 2026 (weekend), Mon 28 Dec 2026 (Boxing Day (substitute day)), Fri 1 Jan 2027 ' +
        "(New Year's Day), Sat 2 Jan 2027 (weekend), Sun 3 Jan 2027 (weekend).",
      'Due at the cut-off, 17:00 on Thu 7 Jan 2027: Thu 7 Jan 2027, 17:00:00 AEDT (2027-01-07T06:00:00.000Z).',
    ]);
  });

  it('counts 5 business days over the Easter weekend, skipping Good Friday to Easter Monday', () => {
    // Prepare: 09:00 AEDT on Wed 24 Mar 2027; Good Friday is 26 March.
    const givenAt = '2027-03-23T22:00:00Z';

    // Act
    const { dueAt, explanation } = inSydney(givenAt, businessDays(5, { cutOff: 'end-of-day' }));

    // Assess: 25, 30, 31 Mar and 1, 2 Apr are counted; due at the end of Fri 2 Apr 2027, still AEDT.
    expect(dueAt.toISOString()).toBe('2027-04-02T12:59:59.999Z');
    expect(explanation).toContain(
      'Not counted, as not business days: Fri 26 Mar 2027 (Good Friday), Sat 27 Mar 2027 (weekend; Easter Saturday), ' +
        'Sun 28 Mar 2027 (weekend; Easter Sunday), Mon 29 Mar 2027 (Easter Monday).',
    );
  });

  it('counts the day of giving only if it is a business day when the day of giving is included', () => {
    // Prepare: 10:00 AEDT on Sat 26 Dec 2026 (Boxing Day).
    const givenAt = '2026-12-25T23:00:00Z';

    // Act
    const { dueAt, explanation } = inSydney(givenAt, businessDays(3, { excludeDayOfGiving: false }));

    // Assess: 26, 27 and 28 Dec are not business days; 29, 30 and 31 Dec are days 1–3.
    expect(dueAt.toISOString()).toBe('2026-12-31T06:00:00.000Z');
    expect(explanation[2]).toContain('counts as day 1 if it is a business day');
    expect(explanation[4]).toContain('Sat 26 Dec 2026 (weekend; Boxing Day)');
  });

  it('counts business days against the weekend the jurisdiction has', () => {
    // Prepare: a Friday–Saturday weekend; 09:00 UTC on Thu 26 Nov 2026.
    const input: DeadlineInput = {
      givenAt: new Date('2026-11-26T09:00:00Z'),
      timeZone: 'UTC',
      rule: businessDays(2),
      holidays: NO_HOLIDAYS,
      weekend: [5, 6],
    };

    // Act
    const { dueAt, explanation } = computeDeadline(input);

    // Assess: Sunday 29 and Monday 30 November are days 1 and 2.
    expect(dueAt.toISOString()).toBe('2026-11-30T17:00:00.000Z');
    expect(explanation[1]).toContain('Business days exclude Fridays and Saturdays');
  });

  it('skips a closure the regulator added and counts a holiday it removed, and says the calendar was varied', () => {
    // Prepare
    const varied = withOverrides(NSW, {
      add: { '2026-12-24': 'Regulator office closure' },
      remove: ['2027-01-01'],
    });

    // Act
    const { dueAt, explanation } = inSydney('2026-12-20T23:00:00Z', businessDays(10), varied);

    // Assess: 24 Dec is lost and 1 Jan gained, so day 10 is still Thu 7 Jan 2027.
    expect(dueAt.toISOString()).toBe('2027-01-07T06:00:00.000Z');
    expect(explanation[1]).toContain(
      'as varied by the regulator: added Thu 24 Dec 2026 (Regulator office closure); removed Fri 1 Jan 2027',
    );
    expect(explanation[4]).toContain('Thu 24 Dec 2026 (Regulator office closure)');
    expect(explanation[4]).not.toContain('Fri 1 Jan 2027');
  });
});

describe('computeDeadline: cut-offs and daylight saving (Sydney)', () => {
  it.each([
    // AEDT ends at 03:00 on Sun 4 Apr 2027: 17:00 that day is AEST (+10).
    ['ends (Sun 4 Apr 2027)', '2027-03-06T23:00:00Z', '2027-04-04T07:00:00.000Z', 'AEST'],
    // AEDT starts at 02:00 on Sun 4 Oct 2026: 17:00 that day is AEDT (+11).
    ['starts (Sun 4 Oct 2026)', '2026-09-06T00:00:00Z', '2026-10-04T06:00:00.000Z', 'AEDT'],
  ])('ends a 17:00 cut-off on the day daylight saving %s at the right instant', (_label, givenAt, expected, zone) => {
    // Prepare: 28 calendar days, not rolled, so the last day is that Sunday.
    const rule = calendarDays(28, { cutOff: FIVE_PM, rollToBusinessDay: false });

    // Act
    const { dueAt, explanation } = inSydney(givenAt, rule);

    // Assess
    expect(dueAt.toISOString()).toBe(expected);
    expect(localTime(dueAt.getTime(), SYDNEY)).toMatchObject({ hour: 17, minute: 0, second: 0 });
    expect(explanation[explanation.length - 1]).toContain(`17:00:00 ${zone}`);
  });

  it('rolls a period ending on the Sunday daylight saving starts past Labour Day to Tue 6 Oct 2026', () => {
    // Prepare
    const rule = calendarDays(28, { cutOff: FIVE_PM });

    // Act
    const { dueAt, explanation } = inSydney('2026-09-06T00:00:00Z', rule);

    // Assess
    expect(dueAt.toISOString()).toBe('2026-10-06T06:00:00.000Z');
    expect(explanation.join('\n')).toContain('Mon 5 Oct 2026 (Labour Day)');
  });

  it('moves a cut-off that falls in the spring-forward gap forward by the gap, and says so', () => {
    // Prepare: 02:30 does not occur on Sun 4 Oct 2026 (02:00 AEST becomes 03:00 AEDT).
    const rule = calendarDays(28, { cutOff: { hour: 2, minute: 30 }, rollToBusinessDay: false });

    // Act
    const { dueAt, explanation, steps } = inSydney('2026-09-06T00:00:00Z', rule);

    // Assess: 03:30 AEDT.
    expect(dueAt.toISOString()).toBe('2026-10-03T16:30:00.000Z');
    expect(steps[steps.length - 1]).toMatchObject({ kind: 'cut-off', clockChange: 'gap' });
    expect(explanation[explanation.length - 1]).toContain(
      '02:30 does not occur that day because the clocks go forward; the cut-off moves forward by the change, to 03:30 AEDT.',
    );
  });

  it('takes the first of the two 02:30s on the day the clocks go back, and says so', () => {
    // Prepare: 02:30 occurs twice on Sun 4 Apr 2027 (03:00 AEDT becomes 02:00 AEST).
    const rule = calendarDays(28, { cutOff: { hour: 2, minute: 30 }, rollToBusinessDay: false });

    // Act
    const { dueAt, explanation, steps } = inSydney('2027-03-06T23:00:00Z', rule);

    // Assess: 02:30 AEDT, the earlier instant.
    expect(dueAt.toISOString()).toBe('2027-04-03T15:30:00.000Z');
    expect(steps[steps.length - 1]).toMatchObject({ kind: 'cut-off', clockChange: 'overlap' });
    expect(explanation[explanation.length - 1]).toContain('occurs twice that day');
  });

  /** Day 1 is the day of giving, ending at 02:30: on Sun 4 Apr 2027 that reading occurs twice. */
  const sameDayAt0230 = calendarDays(1, {
    cutOff: { hour: 2, minute: 30 },
    rollToBusinessDay: false,
    excludeDayOfGiving: false,
  });

  it('takes the second 02:30 when the notice was given between the two, rather than refusing the rule', () => {
    // Prepare: given at 02:10 AEST on Sun 4 Apr 2027, the second pass of that hour (16:10Z), counting the day of
    // giving as day 1 with a cut-off of 02:30: the first 02:30 (AEDT, 15:30Z) was 40 minutes before the giving.
    // Found by the property test below (Australia/Adelaide, a cut-off of 02:01 given at the second 02:00), which had
    // this refused as "the period would end before the notice is given".

    // Act
    const { dueAt, explanation, steps } = inSydney('2027-04-03T16:10:00Z', sameDayAt0230);

    // Assess: 02:30 AEST, the later instant, 20 minutes after the giving.
    expect(dueAt.toISOString()).toBe('2027-04-03T16:30:00.000Z');
    expect(steps[steps.length - 1]).toMatchObject({ kind: 'cut-off', clockChange: 'overlap' });
    expect(explanation[explanation.length - 1]).toContain(
      '02:30 occurs twice that day because the clocks go back, and the notice was given between the two: the second occurrence is used.',
    );
  });

  it('still takes the first 02:30 for a notice given before both, and refuses one given after both', () => {
    // Act: the same rule, given at 01:50 AEDT (14:50Z) and at 03:10 AEST (17:10Z).
    const before = inSydney('2027-04-03T14:50:00Z', sameDayAt0230);
    const after = () => inSydney('2027-04-03T17:10:00Z', sameDayAt0230);

    // Assess
    expect(before.dueAt.toISOString()).toBe('2027-04-03T15:30:00.000Z');
    expect(after).toThrow(ValidationFailed);
  });
});

describe('computeDeadline: hours', () => {
  it.each([
    // Clocks go forward at 02:00 on Sun 4 Oct 2026: given 15:00 AEST, due 16:00 AEDT.
    ['forward', '2026-10-03T05:00:00Z', '2026-10-04T05:00:00.000Z', 'Sun 4 Oct 2026, 16:00:00 AEDT'],
    // Clocks go back at 03:00 on Sun 4 Apr 2027: given 15:00 AEDT, due 14:00 AEST.
    ['back', '2027-04-03T04:00:00Z', '2027-04-04T04:00:00.000Z', 'Sun 4 Apr 2027, 14:00:00 AEST'],
  ])(
    'makes a 24-hour removal notice due after exactly 24 elapsed hours when the clocks go %s',
    (_dir, givenAt, expected, reading) => {
      // Act
      const { dueAt, explanation, steps } = inSydney(givenAt, hours(24));

      // Assess
      expect(dueAt.getTime() - Date.parse(givenAt)).toBe(24 * HOUR);
      expect(dueAt.toISOString()).toBe(expected);
      expect(kinds(steps)).toEqual(['given', 'count', 'due']);
      expect(explanation[1]).toBe(
        `Counting 24 hours of elapsed time from the moment of giving: the period ends ${reading} (the clocks changed ` +
          'in between, which neither adds nor removes time).',
      );
    },
  );

  it('ignores weekends and holidays for a period of hours unless the rule rolls to a business day', () => {
    // Prepare: 12:00 AEDT on Thu 24 Dec 2026; 24 hours later is Christmas Day.
    const givenAt = '2026-12-24T01:00:00Z';

    // Act
    const { dueAt } = inSydney(givenAt, hours(24));

    // Assess
    expect(dueAt.toISOString()).toBe('2026-12-25T01:00:00.000Z');
  });

  it('moves a period of hours that ends on Christmas Day to the cut-off on the next business day', () => {
    // Prepare: 12:00 AEDT on Thu 24 Dec 2026.
    const givenAt = '2026-12-24T01:00:00Z';

    // Act
    const { dueAt, explanation, steps } = inSydney(givenAt, hours(24, { rollToBusinessDay: true }));

    // Assess: Tue 29 Dec 2026, 17:00 AEDT.
    expect(dueAt.toISOString()).toBe('2026-12-29T06:00:00.000Z');
    expect(kinds(steps)).toEqual(['given', 'calendar', 'count', 'roll-forward', 'cut-off']);
    expect(explanation[3]).toBe(
      'The period ends on Fri 25 Dec 2026, which is not a business day (Christmas Day), nor are Sat 26 Dec 2026 ' +
        '(weekend; Boxing Day), Sun 27 Dec 2026 (weekend), Mon 28 Dec 2026 (Boxing Day (substitute day)); the ' +
        'notice may be complied with on the next business day, Tue 29 Dec 2026 (Acts Interpretation Act 1901 (Cth) s 36(2)).',
    );
  });

  it('keeps the exact end of a period of hours that ends on a business day, even with rolling on', () => {
    // Prepare: 15:00 AEDT on Mon 23 Nov 2026.
    const givenAt = '2026-11-23T04:00:00Z';

    // Act
    const { dueAt, steps } = inSydney(givenAt, hours(24, { rollToBusinessDay: true }));

    // Assess
    expect(dueAt.toISOString()).toBe('2026-11-24T04:00:00.000Z');
    expect(kinds(steps)).toEqual(['given', 'calendar', 'count', 'business-day', 'due']);
  });

  it('gives a short period of hours that rolls over a weekend more time than a longer one that does not', () => {
    // Prepare: 15:00 AEDT on Fri 27 Nov 2026. 24 hours end on Saturday; 66 hours end at 09:00 on Monday.
    const givenAt = '2026-11-27T04:00:00Z';

    // Act
    const short = inSydney(givenAt, hours(24, { rollToBusinessDay: true }));
    const long = inSydney(givenAt, hours(66, { rollToBusinessDay: true }));

    // Assess: s 36(2) allows the whole of Monday (to the 17:00 cut-off) for the first, not for the second.
    expect(short.dueAt.toISOString()).toBe('2026-11-30T06:00:00.000Z');
    expect(long.dueAt.toISOString()).toBe('2026-11-29T22:00:00.000Z');
  });
});

describe('explicitDeadline', () => {
  it('records a due time set by the issuing officer as it is, and says so', () => {
    // Prepare
    const givenAt = new Date('2026-11-24T03:00:00Z');
    const chosen = new Date('2026-12-01T06:00:00Z');

    // Act
    const { dueAt, explanation, steps } = explicitDeadline(givenAt, chosen, SYDNEY);

    // Assess
    expect(dueAt.getTime()).toBe(chosen.getTime());
    expect(kinds(steps)).toEqual(['given', 'set-by-officer']);
    expect(explanation[1]).toBe(
      'Due time set by the issuing officer: Tue 1 Dec 2026, 17:00:00 AEDT (2026-12-01T06:00:00.000Z).',
    );
  });
});

describe('computeDeadline: invalid input', () => {
  const valid: DeadlineInput = {
    givenAt: new Date('2026-11-24T03:00:00Z'),
    timeZone: SYDNEY,
    rule: calendarDays(28),
    holidays: NSW,
  };

  it.each([
    ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons' }, 'timeZone'],
    ['a period of no days', { rule: calendarDays(0) }, 'rule.period.amount'],
    ['a fractional period', { rule: hours(1.5) }, 'rule.period.amount'],
    ['a period beyond ten years', { rule: calendarDays(3651) }, 'rule.period.amount'],
    ['a cut-off at 24:00', { rule: calendarDays(28, { cutOff: { hour: 24, minute: 0 } }) }, 'rule.cutOff.hour'],
    ['a week without business days', { weekend: [1, 2, 3, 4, 5, 6, 7] }, 'weekend'],
    ['a weekday that does not exist', { weekend: [0] }, 'weekend.0'],
  ])('refuses %s, naming the field', (_label, change, path) => {
    // Act
    const act = () => computeDeadline({ ...valid, ...(change as Partial<DeadlineInput>) });

    // Assess
    expect(act).toThrow(ValidationFailed);
    try {
      act();
    } catch (error) {
      expect((error as ValidationFailed).issues.map((i) => i.path)).toContain(path);
    }
  });

  it('stops with a clear error when the calendar has no business day for a year', () => {
    // Prepare
    const everyDay: HolidayCalendar = { description: 'a broken calendar', holidayOn: () => 'Closed' };

    // Act
    const act = () => computeDeadline({ ...valid, rule: businessDays(1), holidays: everyDay });

    // Assess
    expect(act).toThrow(/No business day in the 366 days .*a broken calendar/);
  });

  it('refuses holiday lists and overrides with dates that are not YYYY-MM-DD', () => {
    // Act & Assess
    expect(() => holidaysFromList('bad', { '2026-02-30': 'No such day' })).toThrow(RangeError);
    expect(() => withOverrides(NSW, { add: { '25/12/2026': 'Christmas' } })).toThrow(RangeError);
    expect(() => withOverrides(NSW, { add: { '2026-12-24': 'Closure' }, remove: ['2026-12-24'] })).toThrow(
      'both added and removed',
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('computeDeadline: properties', () => {
  // Hundreds of cases near clock changes each: generous under a loaded 2-core CI machine, still bounded.
  jest.setTimeout(30_000);

  const FROM = Date.UTC(2024, 0, 1);
  const TO = Date.UTC(2036, 0, 1);
  const ZONES = [
    'Australia/Sydney',
    'Australia/Perth',
    'Australia/Adelaide',
    'Australia/Brisbane',
    'Europe/London',
    'America/New_York',
    'UTC',
  ];
  const WEEKDAYS = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  const MONTHS = ['', 'Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

  // Fixed holidays plus about one day in thirty, so periods meet holidays next to weekends and runs of them.
  const SYNTHETIC: HolidayCalendar = {
    description: 'synthetic test holidays',
    holidayOn: (date) => {
      if (date.endsWith('-12-25')) return 'Christmas Day';
      if (date.endsWith('-01-01')) return "New Year's Day";
      return Number(date.replaceAll('-', '')) % 29 === 0 ? `Holiday ${date}` : undefined;
    },
  };

  // The oracle works on {year, month, day} from tests/support/time-oracle, not on the engine's helpers.
  type Ymd = { year: number; month: number; day: number };
  const iso = (d: Ymd) => `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
  const localDay = (instant: number, timeZone: string): Ymd => {
    const { year, month, day } = localTime(instant, timeZone);
    return { year, month, day };
  };
  const isoWeekday = (d: Ymd) => ((new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() + 6) % 7) + 1;
  const isBusinessDay = (d: Ymd, weekend: readonly number[]) =>
    !weekend.includes(isoWeekday(d)) && SYNTHETIC.holidayOn(iso(d)) === undefined;
  const spoken = (d: Ymd) => `${WEEKDAYS[isoWeekday(d)]} ${d.day} ${MONTHS[d.month]} ${d.year}`;
  const compare = (a: Ymd, b: Ymd) => iso(a).localeCompare(iso(b));
  const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  // Uniform instants rarely land near a change of offset, where zoned arithmetic goes wrong; half of them are
  // therefore drawn so that the period ends within a day and a half of a real change.
  const transitions = new Map(ZONES.map((zone) => [zone, offsetTransitions(zone, FROM, TO + 400 * DAY)]));
  const anyInstant = fc.integer({ min: FROM, max: TO - 1 });
  const givenAtFor = (zone: string, approximateLength: number) => {
    const changes = (transitions.get(zone) ?? []).filter((c) => c - approximateLength >= FROM);
    if (changes.length === 0) return anyInstant;
    return fc.oneof(
      anyInstant,
      fc
        .tuple(fc.constantFrom(...changes), fc.integer({ min: -36 * HOUR, max: 36 * HOUR }))
        .map(([change, delta]) => Math.min(TO - 1, change + delta - approximateLength)),
    );
  };
  // One cut-off in three is between 01:00 and 02:59, where these zones change their clocks.
  const cutOff = fc.oneof(
    fc.constant('end-of-day' as const),
    fc.record({ hour: fc.integer({ min: 0, max: 23 }), minute: fc.integer({ min: 0, max: 59 }) }),
    fc.record({ hour: fc.integer({ min: 1, max: 2 }), minute: fc.integer({ min: 0, max: 59 }) }),
  );
  const weekend = fc.constantFrom<readonly number[]>([6, 7], [5, 6], [7]);
  const amountFor = { hours: 2000, 'calendar-days': 400, 'business-days': 300 } as const;
  const unit = fc.constantFrom('hours' as const, 'calendar-days' as const, 'business-days' as const);

  const caseOf = (units = unit) =>
    fc.tuple(fc.constantFrom(...ZONES), units).chain(([timeZone, u]) =>
      fc.integer({ min: 1, max: amountFor[u] }).chain((amount) =>
        fc.record({
          timeZone: fc.constant(timeZone),
          weekend,
          givenAt: givenAtFor(timeZone, u === 'hours' ? amount * HOUR : u === 'calendar-days' ? amount * DAY : 0),
          rule: fc.record({
            period: fc.constant({ amount, unit: u }),
            cutOff,
            rollToBusinessDay: fc.boolean(),
            excludeDayOfGiving: fc.boolean(),
          }),
        }),
      ),
    );
  type Case = { timeZone: string; weekend: readonly number[]; givenAt: number; rule: DeadlineRuleInput };
  const deadlineOf = (c: Case) =>
    computeDeadline({
      givenAt: new Date(c.givenAt),
      timeZone: c.timeZone,
      rule: c.rule,
      weekend: c.weekend,
      holidays: SYNTHETIC,
    });
  /** A period that counts the day of giving and ends at a cut-off already past is refused, not computed. */
  const refusedBecauseOver = (c: Case) => {
    const { cutOff: at, excludeDayOfGiving } = c.rule;
    if (excludeDayOfGiving !== false || c.rule.period.unit === 'hours') return false;
    // Given in the very last millisecond of its day: even "end of day" leaves no time.
    if (at === 'end-of-day') return compare(localDay(c.givenAt, c.timeZone), localDay(c.givenAt + 1, c.timeZone)) !== 0;
    const given = localTime(c.givenAt, c.timeZone);
    return at.hour * 60 + at.minute <= given.hour * 60 + given.minute;
  };
  const computed = (c: Case) => {
    try {
      return deadlineOf(c);
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationFailed);
      expect(refusedBecauseOver(c)).toBe(true);
      return undefined;
    }
  };

  it('always makes a notice due after it is given, refusing only a period that is over before it starts', () => {
    fc.assert(
      fc.property(caseOf(), (c) => {
        const deadline = computed(c);

        if (deadline) expect(deadline.dueAt.getTime()).toBeGreaterThan(c.givenAt);
      }),
      { numRuns: 300 },
    );
  });

  it('ends a period of business days on a business day after counting exactly that many business days', () => {
    fc.assert(
      fc.property(caseOf(fc.constant('business-days' as const)), (c) => {
        const deadline = computed(c);
        fc.pre(deadline !== undefined);

        const dueDay = localDay(deadline!.dueAt.getTime(), c.timeZone);
        expect(isBusinessDay(dueDay, c.weekend)).toBe(true);
        let counted = 0;
        const first = plusDays(localDay(c.givenAt, c.timeZone), c.rule.excludeDayOfGiving === false ? 0 : 1);
        for (let d = first; compare(d, dueDay) <= 0; d = plusDays(d, 1)) if (isBusinessDay(d, c.weekend)) counted++;
        expect(counted).toBe(c.rule.period.amount);
      }),
      { numRuns: 200 },
    );
  });

  it('makes a notice due on a business day whenever the rule rolls to one', () => {
    fc.assert(
      fc.property(caseOf(), (c) => {
        const rule = { ...c.rule, rollToBusinessDay: true };
        const deadline = computed({ ...c, rule });
        fc.pre(deadline !== undefined);

        expect(isBusinessDay(localDay(deadline!.dueAt.getTime(), c.timeZone), c.weekend)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('ends a period of days at the cut-off on the local clock, unless the cut-off falls in a spring-forward gap', () => {
    fc.assert(
      fc.property(caseOf(fc.constantFrom('calendar-days' as const, 'business-days' as const)), (c) => {
        const deadline = computed(c);
        fc.pre(deadline !== undefined);

        const due = deadline!.dueAt.getTime();
        const reading = localTime(due, c.timeZone);
        const wanted =
          c.rule.cutOff === 'end-of-day'
            ? { hour: 23, minute: 59, second: 59 }
            : { hour: c.rule.cutOff.hour, minute: c.rule.cutOff.minute, second: 0 };
        if (reading.hour === wanted.hour && reading.minute === wanted.minute) {
          expect(reading.second).toBe(wanted.second);
          expect(new Date(due).getUTCMilliseconds()).toBe(c.rule.cutOff === 'end-of-day' ? 999 : 0);
        } else {
          // In a gap the clocks jumped forward within the last few hours, and the explanation says so.
          expect(offsetMinutes(due - 3 * HOUR, c.timeZone)).toBeLessThan(offsetMinutes(due, c.timeZone));
          expect(deadline!.explanation[deadline!.explanation.length - 1]).toContain('does not occur that day');
        }
      }),
      {
        numRuns: 300,
        examples: [
          // 02:30 on Sun 8 Mar 2026 in New York, inside the gap.
          [
            {
              timeZone: 'America/New_York',
              weekend: [6, 7],
              givenAt: Date.parse('2026-03-01T17:00:00Z'),
              rule: {
                period: { amount: 7, unit: 'calendar-days' },
                cutOff: { hour: 2, minute: 30 },
                rollToBusinessDay: false,
                excludeDayOfGiving: true,
              },
            },
          ],
        ],
      },
    );
  });

  it('ends a period of hours exactly that many elapsed hours after giving when it does not roll', () => {
    fc.assert(
      fc.property(caseOf(fc.constant('hours' as const)), (c) => {
        const deadline = deadlineOf({ ...c, rule: { ...c.rule, rollToBusinessDay: false } });

        expect(deadline.dueAt.getTime() - c.givenAt).toBe(c.rule.period.amount * HOUR);
      }),
      { numRuns: 200 },
    );
  });

  it('never makes a longer period end earlier (days, and hours that do not roll)', () => {
    fc.assert(
      fc.property(caseOf(), fc.integer({ min: 1, max: 60 }), (c, extra) => {
        const rule = c.rule.period.unit === 'hours' ? { ...c.rule, rollToBusinessDay: false } : c.rule;
        const longer = { ...rule, period: { ...rule.period, amount: rule.period.amount + extra } };
        const shortDeadline = computed({ ...c, rule });
        fc.pre(shortDeadline !== undefined);

        const longDeadline = deadlineOf({ ...c, rule: longer });

        expect(longDeadline.dueAt.getTime()).toBeGreaterThanOrEqual(shortDeadline!.dueAt.getTime());
      }),
      { numRuns: 200 },
    );
  });

  it('never makes N business days end before N calendar days rolled to a business day', () => {
    fc.assert(
      fc.property(caseOf(fc.constant('calendar-days' as const)), (c) => {
        const calendar = computed({ ...c, rule: { ...c.rule, rollToBusinessDay: true } });
        fc.pre(calendar !== undefined);

        const business = deadlineOf({ ...c, rule: { ...c.rule, period: { ...c.rule.period, unit: 'business-days' } } });

        expect(business.dueAt.getTime()).toBeGreaterThanOrEqual(calendar!.dueAt.getTime());
      }),
      { numRuns: 200 },
    );
  });

  it('names in the explanation every day it did not count, with its holiday', () => {
    fc.assert(
      fc.property(caseOf(fc.constantFrom('calendar-days' as const, 'business-days' as const)), (c) => {
        const rule = { ...c.rule, rollToBusinessDay: true };
        const deadline = computed({ ...c, rule });
        fc.pre(deadline !== undefined);

        const text = deadline!.explanation.join('\n');
        expect(deadline!.explanation).toHaveLength(deadline!.steps.length);
        const dueDay = localDay(deadline!.dueAt.getTime(), c.timeZone);
        // Business days: every non-business day from the first counted day on. Calendar days: every day from
        // the nominal last day on, which is exactly the run passed over.
        const start = localDay(c.givenAt, c.timeZone);
        const first =
          rule.period.unit === 'business-days'
            ? plusDays(start, rule.excludeDayOfGiving === false ? 0 : 1)
            : plusDays(start, rule.period.amount - (rule.excludeDayOfGiving === false ? 1 : 0));
        for (let d = first; compare(d, dueDay) < 0; d = plusDays(d, 1)) {
          if (isBusinessDay(d, c.weekend)) continue;
          const holiday = SYNTHETIC.holidayOn(iso(d));
          const reasons = [...(c.weekend.includes(isoWeekday(d)) ? ['weekend'] : []), ...(holiday ? [holiday] : [])];
          // "Sat 26 Dec 2026 (weekend; Boxing Day)", or "The last day, Fri 25 Dec 2026, is not … (Christmas Day)".
          expect(text).toMatch(
            new RegExp(`${escapeRegExp(spoken(d))}(,[^()]*)? \\(${escapeRegExp(reasons.join('; '))}\\)`),
          );
        }
      }),
      { numRuns: 200 },
    );
  });

  // The rule every notice used before the engine existed (and still the reading of "N days" with rolling off):
  // hours are elapsed time; N calendar days end at 23:59:59.999 local time on the Nth day after the local day of
  // giving. The oracle below restates that rule with tests/support/time-oracle, sharing no code with the engine.
  it('keeps the old default rule: N hours later, or the last millisecond of the Nth local day after giving', () => {
    const oldRuleCase = fc
      .tuple(fc.constantFrom(...ZONES), fc.constantFrom('hours' as const, 'calendar-days' as const))
      .chain(([timeZone, u]) =>
        fc.integer({ min: 1, max: 400 }).chain((amount) =>
          fc.record({
            timeZone: fc.constant(timeZone),
            period: fc.constant({ amount, unit: u }),
            givenAt: givenAtFor(timeZone, amount * (u === 'hours' ? HOUR : DAY)),
          }),
        ),
      );

    fc.assert(
      fc.property(oldRuleCase, ({ timeZone, period, givenAt }) => {
        const { dueAt } = computeDeadline({
          givenAt: new Date(givenAt),
          timeZone,
          rule: { period, cutOff: 'end-of-day', rollToBusinessDay: false, excludeDayOfGiving: true },
          holidays: NO_HOLIDAYS,
        });

        const due = dueAt.getTime();
        if (period.unit === 'hours') {
          expect(due).toBe(givenAt + period.amount * HOUR);
        } else {
          const lastDay = plusDays(localDay(givenAt, timeZone), period.amount);
          expect(localTime(due, timeZone)).toEqual({ ...lastDay, hour: 23, minute: 59, second: 59 });
          expect(dueAt.getUTCMilliseconds()).toBe(999);
          // The very last instant of that day: one millisecond later it is midnight on the next.
          expect(localTime(due + 1, timeZone)).toEqual({ ...plusDays(lastDay, 1), hour: 0, minute: 0, second: 0 });
        }
      }),
      { numRuns: 300 },
    );
  });
});
