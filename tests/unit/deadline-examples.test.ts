import { computeDeadline, type DeadlinePeriod, NO_HOLIDAYS } from '../../lambdas/domain/deadline-engine';
import { DEFAULT_CATALOGUE } from '../../lambdas/domain/notice-catalogue';
import { localTime, offsetMinutes } from '../support/time-oracle';

/**
 * Worked examples of the plain reading of a period — hours of elapsed time, or N calendar days after the day of
 * giving ending at 23:59:59.999 local time, with no business-day roll and no holidays — at the places where it is
 * easy to get wrong: the local date versus the UTC date, the notice's own zone, and daylight saving. Rolling,
 * business days and cut-offs are covered in deadline-engine.test.ts.
 */
const HOUR = 3_600_000;
const SYDNEY = 'Australia/Sydney';

const plainRule = (period: DeadlinePeriod) =>
  ({ period, cutOff: 'end-of-day', rollToBusinessDay: false, excludeDayOfGiving: true }) as const;
const dueUnderPlainRule = (givenAt: string, timeZone: string, period: DeadlinePeriod) =>
  computeDeadline({ givenAt: new Date(givenAt), timeZone, rule: plainRule(period), holidays: NO_HOLIDAYS });
const calendarDays = (amount: number): DeadlinePeriod => ({ amount, unit: 'calendar-days' });

describe('computeDeadline under the plain rule: worked examples', () => {
  it('counts days from the local date of giving, not the UTC date', () => {
    // Prepare: 14:30Z on the 24th is already 01:30 on Wed 25 Nov 2026 in Sydney.
    const givenAt = '2026-11-24T14:30:00Z';

    // Act
    const { dueAt, explanation } = dueUnderPlainRule(givenAt, SYDNEY, calendarDays(28));

    // Assess: 28 days after the 25th is Wed 23 Dec 2026.
    expect(dueAt.toISOString()).toBe('2026-12-23T12:59:59.999Z');
    expect(explanation[0]).toBe('Notice given Wed 25 Nov 2026, 01:30:00 AEDT (Australia/Sydney).');
  });

  it('ends the day in the notice time zone, not the default one', () => {
    // Prepare: 03:00Z is 11:00 on Tue 24 Nov 2026 in Perth (AWST, +8, no daylight saving).
    const givenAt = '2026-11-24T03:00:00Z';

    // Act
    const { dueAt, explanation } = dueUnderPlainRule(givenAt, 'Australia/Perth', calendarDays(28));

    // Assess: the end of Tue 22 Dec 2026 in Perth, three hours after it ends in Sydney.
    expect(dueAt.toISOString()).toBe('2026-12-22T15:59:59.999Z');
    expect(explanation[explanation.length - 1]).toContain('23:59:59.999 AWST');
  });

  it("makes the catalogue's 24-hour removal notice due exactly 24 hours after it was given, to the millisecond", () => {
    // Prepare
    const removal = DEFAULT_CATALOGUE.find((entry) => entry.type === 'removal-notice')?.deadline;
    if (!removal) throw new Error('the default catalogue has no removal notice deadline');
    const givenAt = '2026-11-24T03:17:42.123Z';

    // Act
    const { dueAt } = computeDeadline({
      givenAt: new Date(givenAt),
      timeZone: SYDNEY,
      rule: removal,
      holidays: NO_HOLIDAYS,
    });

    // Assess
    expect(dueAt.toISOString()).toBe('2026-11-25T03:17:42.123Z');
    expect(dueAt.getTime() - Date.parse(givenAt)).toBe(24 * HOUR);
  });

  it('still ends at 23:59:59.999 local time when the period spans the April change from AEDT to AEST', () => {
    // Prepare: 11:00 AEDT on Fri 20 Mar 2026; daylight saving ends on Sun 5 Apr 2026.
    const givenAt = '2026-03-20T00:00:00Z';

    // Act
    const { dueAt, explanation } = dueUnderPlainRule(givenAt, SYDNEY, calendarDays(28));

    // Assess: Fri 17 Apr 2026, 23:59:59.999 AEST (+10).
    expect(dueAt.toISOString()).toBe('2026-04-17T13:59:59.999Z');
    expect(offsetMinutes(Date.parse(givenAt), SYDNEY)).toBe(11 * 60);
    expect(offsetMinutes(dueAt.getTime(), SYDNEY)).toBe(10 * 60);
    expect(explanation[explanation.length - 1]).toContain('23:59:59.999 AEST');
  });

  it('still ends at 23:59:59.999 local time on the Saturday before the clocks go forward in October', () => {
    // Prepare: 10:00 AEST on Sat 5 Sep 2026; daylight saving starts at 02:00 on Sun 4 Oct 2026, so day 28 is the
    // last day on AEST.
    const givenAt = '2026-09-05T00:00:00Z';

    // Act
    const { dueAt } = dueUnderPlainRule(givenAt, SYDNEY, calendarDays(28));

    // Assess: Sat 3 Oct 2026, 23:59:59.999 AEST (+10); a Saturday stays a Saturday when the rule does not roll.
    expect(localTime(dueAt.getTime(), SYDNEY)).toEqual({
      year: 2026,
      month: 10,
      day: 3,
      hour: 23,
      minute: 59,
      second: 59,
    });
    expect(dueAt.toISOString()).toBe('2026-10-03T13:59:59.999Z');
  });
});
