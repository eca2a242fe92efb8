import fc from 'fast-check';
import { computeDueTime } from '../../lambdas/domain/due-time';
import { instantOfWallTime, wallTimeAt } from '../../lambdas/domain/zoned-time';
import { localTime, offsetMinutes, offsetTransitions, plusDays } from '../support/time-oracle';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SYDNEY = 'Australia/Sydney';

const calendarDays = (amount: number) => ({
  kind: 'period' as const,
  period: { amount, unit: 'calendar-days' as const },
});
const hours = (amount: number) => ({ kind: 'period' as const, period: { amount, unit: 'hours' as const } });

describe('computeDueTime: worked examples', () => {
  it('makes a 28-day transparency notice given in Sydney due at the very end of the 28th day, AEDT', () => {
    // Prepare: 2026-11-24T03:00Z is 14:00 on Tuesday 24 November in Sydney (AEDT, +11).
    const givenAt = new Date('2026-11-24T03:00:00Z');

    // Act
    const { dueAt } = computeDueTime(givenAt, SYDNEY, calendarDays(28));

    // Assess
    expect(dueAt.toISOString()).toBe('2026-12-22T12:59:59.999Z');
    expect(localTime(dueAt.getTime(), SYDNEY)).toEqual({
      year: 2026,
      month: 12,
      day: 22,
      hour: 23,
      minute: 59,
      second: 59,
    });
    expect(offsetMinutes(dueAt.getTime(), SYDNEY)).toBe(11 * 60);
  });

  it('counts days from the local date of giving, not the UTC date', () => {
    // Prepare: 14:30Z on the 24th is already 01:30 on the 25th in Sydney.
    const givenAt = new Date('2026-11-24T14:30:00Z');

    // Act
    const { dueAt } = computeDueTime(givenAt, SYDNEY, calendarDays(28));

    // Assess: 28 days after the 25th is the 23rd of December.
    expect(dueAt.toISOString()).toBe('2026-12-23T12:59:59.999Z');
  });

  it('ends the day in the notice time zone, not the default one', () => {
    // Prepare: 11:00 on 24 November in Perth (AWST, +8, no daylight saving).
    const givenAt = new Date('2026-11-24T03:00:00Z');

    // Act
    const { dueAt } = computeDueTime(givenAt, 'Australia/Perth', calendarDays(28));

    // Assess
    expect(dueAt.toISOString()).toBe('2026-12-22T15:59:59.999Z');
  });

  it('makes a 24-hour removal notice due exactly 24 hours after it was given', () => {
    // Prepare
    const givenAt = new Date('2026-11-24T03:17:42.123Z');

    // Act
    const { dueAt, explanation } = computeDueTime(givenAt, SYDNEY, hours(24));

    // Assess
    expect(dueAt.toISOString()).toBe('2026-11-25T03:17:42.123Z');
    expect(explanation.join(' ')).toContain('24 hour(s)');
  });

  it('counts hours as elapsed time when the clocks go forward during the period', () => {
    // Prepare: 15:00 AEST on Saturday 3 October 2026; clocks go forward at 02:00 on the Sunday.
    const givenAt = new Date('2026-10-03T05:00:00Z');

    // Act
    const { dueAt } = computeDueTime(givenAt, SYDNEY, hours(24));

    // Assess: 24 hours later the clocks read 16:00 AEDT.
    expect(dueAt.getTime() - givenAt.getTime()).toBe(24 * HOUR);
    expect(localTime(dueAt.getTime(), SYDNEY)).toMatchObject({ day: 4, hour: 16, minute: 0 });
  });

  it('still ends at 23:59:59.999 local time when the period spans the April change from AEDT to AEST', () => {
    // Prepare: 11:00 AEDT on Friday 20 March 2026; daylight saving ends on Sunday 5 April.
    const givenAt = new Date('2026-03-20T00:00:00Z');

    // Act
    const { dueAt, explanation } = computeDueTime(givenAt, SYDNEY, calendarDays(28));

    // Assess: Friday 17 April, 23:59:59.999 AEST (+10).
    expect(dueAt.toISOString()).toBe('2026-04-17T13:59:59.999Z');
    expect(offsetMinutes(givenAt.getTime(), SYDNEY)).toBe(11 * 60);
    expect(offsetMinutes(dueAt.getTime(), SYDNEY)).toBe(10 * 60);
    expect(explanation[explanation.length - 1]).toContain('23:59:59 AEST');
  });

  it('still ends at 23:59:59.999 local time on the Saturday before the clocks go forward in October', () => {
    // Prepare: 10:00 AEST on Saturday 5 September 2026; daylight saving starts at 02:00 on Sunday 4 October, so
    // day 28 is the last day on AEST.
    const givenAt = new Date('2026-09-05T00:00:00Z');

    // Act
    const { dueAt } = computeDueTime(givenAt, SYDNEY, calendarDays(28));

    // Assess: Saturday 3 October, 23:59:59.999 AEST (+10).
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

  it('takes a due time set by the issuing officer as it is, and says so', () => {
    // Prepare
    const givenAt = new Date('2026-11-24T03:00:00Z');
    const chosen = new Date('2026-12-01T06:00:00Z');

    // Act
    const { dueAt, explanation } = computeDueTime(givenAt, SYDNEY, { kind: 'explicit', dueAt: chosen });

    // Assess
    expect(dueAt.getTime()).toBe(chosen.getTime());
    expect(explanation).toHaveLength(2);
    expect(explanation[1]).toContain('set by the issuing officer');
    expect(explanation[1]).toContain('1 Dec 2026, 17:00:00 AEDT');
  });

  it('explains each step: when the notice was given, how the period is counted, and when it ends', () => {
    // Prepare
    const givenAt = new Date('2026-11-24T03:00:00Z');

    // Act
    const { explanation } = computeDueTime(givenAt, SYDNEY, calendarDays(28));

    // Assess
    expect(explanation).toHaveLength(3);
    const [given, rule, end] = explanation;
    expect(given).toContain('24 Nov 2026, 14:00:00 AEDT');
    expect(given).toContain('(Australia/Sydney)');
    expect(rule).toContain('28 calendar day(s)');
    expect(rule).toContain('the day of giving is not counted');
    expect(end).toContain('end of day 28');
    expect(end).toContain('22 Dec 2026, 23:59:59 AEDT');
  });
});

describe('zoned time and due times: properties', () => {
  const FROM = Date.UTC(2020, 0, 1);
  const TO = Date.UTC(2036, 0, 1);
  const ZONES = [
    'Australia/Sydney',
    'Australia/Perth',
    'Australia/Adelaide',
    'Europe/London',
    'America/New_York',
    'UTC',
  ] as const;

  // Uniformly random instants almost never land near a daylight-saving change (a few hours a year), which is
  // where zoned arithmetic goes wrong; half the instants are therefore drawn within 36 hours of a real change.
  const transitions = new Map(ZONES.map((zone) => [zone, offsetTransitions(zone, FROM - 60 * DAY, TO + 60 * DAY)]));
  const anyInstant = fc
    .date({ min: new Date(FROM), max: new Date(TO - 1), noInvalidDate: true })
    .map((d) => d.getTime());
  const nearTransition = (zone: string, shift = 0) => {
    const changes = transitions.get(zone as (typeof ZONES)[number]) ?? [];
    if (changes.length === 0) return anyInstant;
    return fc
      .tuple(fc.constantFrom(...changes), fc.integer({ min: -36 * HOUR, max: 36 * HOUR }))
      .map(([change, delta]) => change + delta - shift);
  };
  const zone = fc.constantFrom(...ZONES);

  it('finds the instant again from its wall-clock reading, outside fall-back overlaps', () => {
    // Prepare
    const zonedInstant = zone.chain((timeZone) =>
      fc.record({ timeZone: fc.constant(timeZone), instant: fc.oneof(anyInstant, nearTransition(timeZone)) }),
    );

    // Act & Assess
    fc.assert(
      fc.property(zonedInstant, ({ timeZone, instant }) => {
        // In a fall-back overlap one wall reading names two instants an hour apart and only one of them can come
        // back, so those are skipped. Every overlap in these zones is one hour long and sits at an offset change,
        // so an instant whose offset is the same an hour before and an hour after cannot be inside one. (The check
        // also skips the two hours around a spring-forward change; the instants next to them are still tried.)
        fc.pre(offsetMinutes(instant - HOUR, timeZone) === offsetMinutes(instant + HOUR, timeZone));

        const back = instantOfWallTime(wallTimeAt(new Date(instant), timeZone), timeZone);

        expect(back.toISOString()).toBe(new Date(Math.floor(instant / 1000) * 1000).toISOString());
      }),
      {
        numRuns: 2000,
        examples: [
          // Unambiguous readings a few hours from a change of offset: always tried, not left to chance.
          [{ timeZone: 'Australia/Sydney', instant: Date.parse('2026-10-03T06:00:00Z') }], // 16:00 AEST, Sat
          [{ timeZone: 'America/New_York', instant: Date.parse('2026-11-01T08:00:00Z') }], // 03:00 EST, Sun
        ],
      },
    );
  });

  it('ends a period of calendar days at 23:59:59.999 local time on the right day, after the notice was given', () => {
    // Prepare
    const dueCase = fc.tuple(zone, fc.integer({ min: 1, max: 400 })).chain(([timeZone, amount]) =>
      fc.record({
        timeZone: fc.constant(timeZone),
        amount: fc.constant(amount),
        // Half the cases end near a change of offset, where the end of the day is hardest to find.
        givenAt: fc.oneof(anyInstant, nearTransition(timeZone, amount * DAY)),
      }),
    );

    // Act & Assess
    fc.assert(
      fc.property(dueCase, ({ timeZone, amount, givenAt }) => {
        const { dueAt } = computeDueTime(new Date(givenAt), timeZone, calendarDays(amount));

        const lastDay = plusDays(localTime(givenAt, timeZone), amount);
        expect(localTime(dueAt.getTime(), timeZone)).toEqual({ ...lastDay, hour: 23, minute: 59, second: 59 });
        expect(dueAt.getUTCMilliseconds()).toBe(999);
        expect(dueAt.getTime()).toBeGreaterThan(givenAt);
      }),
      { numRuns: 1000 },
    );
  });

  it('ends a period of hours exactly that many hours after the notice was given', () => {
    // Prepare
    const hourCase = fc.record({ timeZone: zone, amount: fc.integer({ min: 1, max: 24 * 60 }), givenAt: anyInstant });

    // Act & Assess
    fc.assert(
      fc.property(hourCase, ({ timeZone, amount, givenAt }) => {
        const { dueAt } = computeDueTime(new Date(givenAt), timeZone, hours(amount));

        expect(dueAt.getTime() - givenAt).toBe(amount * HOUR);
      }),
      { numRuns: 300 },
    );
  });
});
