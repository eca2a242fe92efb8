import fc from 'fast-check';
import {
  addCalendarDays,
  instantOfWallTime,
  isValidTimeZone,
  utcOffsetMs,
  type WallTime,
  wallTimeAt,
} from '../../lambdas/domain/zoned-time';
import { offsetMinutes, offsetTransitions } from '../support/time-oracle';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const wall = (year: number, month: number, day: number, hour = 0, minute = 0, second = 0): WallTime => ({
  year,
  month,
  day,
  hour,
  minute,
  second,
});

describe('reading clocks in a time zone', () => {
  it('reads the wall-clock time in the zone', () => {
    // Act
    const reading = wallTimeAt(new Date('2026-11-24T03:00:00Z'), 'Australia/Sydney');

    // Assess
    expect(reading).toEqual(wall(2026, 11, 24, 14, 0, 0));
  });

  it('reads midnight as hour 0, not 24', () => {
    // Act
    const reading = wallTimeAt(new Date('2026-11-24T13:00:00Z'), 'Australia/Sydney');

    // Assess
    expect(reading).toEqual(wall(2026, 11, 25, 0, 0, 0));
  });

  it.each([
    ['Australia/Sydney', '2026-01-15T00:00:00Z', 11],
    ['Australia/Sydney', '2026-07-15T00:00:00Z', 10],
    ['Australia/Adelaide', '2026-01-15T00:00:00Z', 10.5],
    ['Australia/Perth', '2026-01-15T00:00:00Z', 8],
    ['America/New_York', '2026-01-15T00:00:00Z', -5],
    ['America/New_York', '2026-07-15T00:00:00Z', -4],
  ])('knows the offset of %s at %s is %d hours', (timeZone, instant, offsetHours) => {
    // Act
    const offset = utcOffsetMs(new Date(instant), timeZone);

    // Assess
    expect(offset).toBe(offsetHours * HOUR);
  });

  it.each([
    ['Australia/Sydney', true],
    ['UTC', true],
    ['Mars/Olympus_Mons', false],
    ['+25:00', false],
  ])('tells whether %s is a time zone: %s', (timeZone, valid) => {
    // Act
    const verdict = isValidTimeZone(timeZone);

    // Assess
    expect(verdict).toBe(valid);
  });

  it("gives exactly the DateTimeFormat constructor's verdict, for canonical names, aliases and non-zones alike", () => {
    // Arrange: every canonical name, aliases the canonical list leaves out, and names Intl refuses
    const constructorSays = (timeZone: string) => {
      try {
        new Intl.DateTimeFormat('en-AU', { timeZone });
        return true;
      } catch {
        return false;
      }
    };
    const names = [
      ...Intl.supportedValuesOf('timeZone'),
      ...['Australia/ACT', 'Etc/UTC', 'Asia/Calcutta', 'US/Pacific', 'utc', 'australia/sydney', 'GMT'],
      ...['', 'Mars/Olympus_Mons', 'Australia/', '+25:00', 'Australia/Sydney ', 'x'.repeat(300)],
    ];

    // Act
    const disagreements = names.filter((name) => isValidTimeZone(name) !== constructorSays(name));

    // Assess
    expect(
      names.filter((name) => !Intl.supportedValuesOf('timeZone').includes(name)).filter(constructorSays),
    ).toContain('Australia/ACT');
    expect(disagreements).toEqual([]);
  });
});

describe('adding calendar days', () => {
  it.each([
    [28, '24 Nov 2026', wall(2026, 11, 24), wall(2026, 12, 22)],
    [10, '22 Dec 2026', wall(2026, 12, 22), wall(2027, 1, 1)],
    [1, '28 Feb 2028', wall(2028, 2, 28), wall(2028, 2, 29)],
    [1, '28 Feb 2027', wall(2027, 2, 28), wall(2027, 3, 1)],
    [28, '20 Mar 2026', wall(2026, 3, 20), wall(2026, 4, 17)],
  ])('counts %i days forward from %s', (days, _label, from, to) => {
    // Act
    const result = addCalendarDays(from, days);

    // Assess
    expect(result).toEqual(to);
  });

  it('keeps the clock time of the day it started from', () => {
    // Act
    const result = addCalendarDays(wall(2026, 11, 24, 14, 30, 15), 3);

    // Assess
    expect(result).toEqual(wall(2026, 11, 27, 14, 30, 15));
  });
});

describe('finding the instant of a wall-clock time', () => {
  it.each([
    ['Australia/Sydney', '14:00 on 24 Nov 2026', wall(2026, 11, 24, 14, 0, 0), '2026-11-24T03:00:00.000Z'],
    ['Australia/Sydney', '09:00 on 1 Jul 2026', wall(2026, 7, 1, 9, 0, 0), '2026-06-30T23:00:00.000Z'],
    ['Europe/London', '09:00 on 1 Jul 2026', wall(2026, 7, 1, 9, 0, 0), '2026-07-01T08:00:00.000Z'],
    // Unambiguous readings within hours of a change of offset.
    ['Australia/Sydney', '16:00 on Sat 3 Oct 2026', wall(2026, 10, 3, 16, 0, 0), '2026-10-03T06:00:00.000Z'],
    ['Australia/Adelaide', '23:00 on Sat 3 Oct 2026', wall(2026, 10, 3, 23, 0, 0), '2026-10-03T13:30:00.000Z'],
    ['America/New_York', '03:00 on Sun 1 Nov 2026', wall(2026, 11, 1, 3, 0, 0), '2026-11-01T08:00:00.000Z'],
  ])('finds when clocks in %s read %s', (timeZone, _label, reading, expected) => {
    // Act
    const instant = instantOfWallTime(reading, timeZone);

    // Assess
    expect(instant.toISOString()).toBe(expected);
  });

  it('keeps the milliseconds it is given', () => {
    // Act
    const instant = instantOfWallTime(wall(2026, 12, 22, 23, 59, 59), 'Australia/Sydney', 999);

    // Assess
    expect(instant.toISOString()).toBe('2026-12-22T12:59:59.999Z');
  });

  // The function documents its choices where a reading is missing or doubled; these pin them.
  it.each([
    // Sydney: 02:00 AEST becomes 03:00 AEDT on 4 October 2026, so 02:30 is never read.
    ['Australia/Sydney', '02:30 on 4 Oct 2026', wall(2026, 10, 4, 2, 30, 0), '2026-10-03T16:30:00.000Z'],
    // New York: 02:00 EST becomes 03:00 EDT on 8 March 2026.
    ['America/New_York', '02:30 on 8 Mar 2026', wall(2026, 3, 8, 2, 30, 0), '2026-03-08T07:30:00.000Z'],
  ])('moves a reading that never occurs in %s (%s) forward by the gap', (timeZone, _label, reading, expected) => {
    // Act
    const instant = instantOfWallTime(reading, timeZone);

    // Assess: 03:30 summer time, one hour later than the reading asked for.
    expect(instant.toISOString()).toBe(expected);
  });

  it.each([
    // Sydney: 03:00 AEDT becomes 02:00 AEST on 5 April 2026, so 02:30 is read twice.
    ['Australia/Sydney', '02:30 on 5 Apr 2026', wall(2026, 4, 5, 2, 30, 0), '2026-04-04T15:30:00.000Z'],
    // New York: 02:00 EDT becomes 01:00 EST on 1 November 2026.
    ['America/New_York', '01:30 on 1 Nov 2026', wall(2026, 11, 1, 1, 30, 0), '2026-11-01T05:30:00.000Z'],
  ])('picks the earlier instant for a reading that occurs twice in %s (%s)', (timeZone, _label, reading, expected) => {
    // Act
    const instant = instantOfWallTime(reading, timeZone);

    // Assess: the first time clocks read it, still on summer time.
    expect(instant.toISOString()).toBe(expected);
  });
});

describe('wall-clock readings: properties', () => {
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
  const anyInstant = fc.integer({ min: FROM, max: TO - 1 });
  const nearTransition = (zone: (typeof ZONES)[number]) => {
    const changes = transitions.get(zone) ?? [];
    if (changes.length === 0) return anyInstant;
    return fc
      .tuple(fc.constantFrom(...changes), fc.integer({ min: -36 * HOUR, max: 36 * HOUR }))
      .map(([change, delta]) => change + delta);
  };

  it('finds the instant again from its wall-clock reading, outside fall-back overlaps', () => {
    // Prepare
    const zonedInstant = fc
      .constantFrom(...ZONES)
      .chain((timeZone) =>
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
});
