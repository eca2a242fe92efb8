import { JurisdictionSchema, publicHolidayCalendar } from '../../lambdas/adapters/public-holidays';
import { computeDeadline } from '../../lambdas/domain/deadline-engine';
import { ValidationFailed } from '../../lambdas/domain/errors';
import { NSW_PUBLIC_HOLIDAYS_2026_2027 } from '../support/nsw-public-holidays';

const nsw = publicHolidayCalendar({ country: 'AU', state: 'NSW' });
/** NSW with only the `public` kind counted: what the fixed list in tests/support/nsw-public-holidays.ts holds. */
const nswPublicOnly = publicHolidayCalendar({ country: 'AU', state: 'NSW', holidayTypes: ['public'] });
const vic = publicHolidayCalendar({ country: 'AU', state: 'VIC' });

function everyDate(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    dates.push(new Date(t).toISOString().slice(0, 10));
  }
  return dates;
}

describe('publicHolidayCalendar', () => {
  it('lists exactly the NSW public holidays of 2026–2027 that the deadline engine tests use', () => {
    // Prepare: the fixed list the deadline engine tests use.
    const expected = NSW_PUBLIC_HOLIDAYS_2026_2027;

    // Act
    const found = Object.fromEntries(
      everyDate('2026-01-01', '2027-12-31').flatMap((date) => {
        const name = nswPublicOnly.holidayOn(date);
        return name === undefined ? [] : [[date, name]];
      }),
    );

    // Assess
    expect(found).toEqual(expected);
  });

  it('knows Melbourne Cup Day and AFL Grand Final Friday are holidays in Victoria but not in New South Wales', () => {
    // Act & Assess
    expect(vic.holidayOn('2026-11-03')).toBe('Melbourne Cup');
    expect(nsw.holidayOn('2026-11-03')).toBeUndefined();
    expect(vic.holidayOn('2026-09-25')).toBe('AFL Grand Final Friday');
    expect(nsw.holidayOn('2026-09-25')).toBeUndefined();
  });

  it("keeps the King's Birthday on each state's own date", () => {
    // Prepare
    const qld = publicHolidayCalendar({ country: 'AU', state: 'QLD' });
    const wa = publicHolidayCalendar({ country: 'AU', state: 'WA' });

    // Act & Assess: June in NSW, late September in WA, October in Queensland.
    expect(nsw.holidayOn('2026-06-08')).toBe("King's Birthday");
    expect(qld.holidayOn('2026-06-08')).toBeUndefined();
    expect(wa.holidayOn('2026-09-28')).toBe("King's Birthday");
    expect(qld.holidayOn('2026-10-05')).toBe("King's Birthday");
    expect(nsw.holidayOn('2026-10-05')).toBe('Labour Day');
  });

  it.each([
    ['the NSW bank holiday when the rule counts public holidays only', '2026-08-03', nswPublicOnly],
    ["Mother's Day, an observance", '2026-05-10', nsw],
    ['the first day of the Victorian term 2 school holidays', '2026-06-27', vic],
  ])('does not count %s as a public holiday', (_label, date, calendar) => {
    // Act
    const name = calendar.holidayOn(date);

    // Assess
    expect(name).toBeUndefined();
  });

  it('names only the public holiday on a day that is also a school holiday', () => {
    // Act & Assess: in Victoria, Good Friday 2026 is also the first day of the term 1 school holidays.
    expect(vic.holidayOn('2026-04-03')).toBe('Good Friday');
  });

  it('spreads a holiday of several days over each of its dates, also into the next year', () => {
    // Prepare: in Victoria, the term 4 school holidays run from Sat 19 Dec 2026 to Wed 27 Jan 2027.
    const vicSchool = publicHolidayCalendar({ country: 'AU', state: 'VIC', holidayTypes: ['school'] });

    // Act
    const names = ['2026-12-18', '2026-12-19', '2027-01-01', '2027-01-27', '2027-01-28'].map((date) =>
      vicSchool.holidayOn(date),
    );

    // Assess
    expect(names).toEqual([undefined, 'Term 4 holidays', 'Term 4 holidays', 'Term 4 holidays', undefined]);
  });

  it('does not count a holiday that starts part-way through the day', () => {
    // Prepare: in Queensland, Christmas Eve is a public holiday from 18:00 only.
    const qld = publicHolidayCalendar({ country: 'AU', state: 'QLD' });

    // Act & Assess
    expect(qld.holidayOn('2026-12-24')).toBeUndefined();
    expect(qld.holidayOn('2026-12-25')).toBe('Christmas Day');
  });

  it('names the kinds counted, the jurisdiction, the data version and where the kinds come from', () => {
    // Act & Assess
    expect(nsw.description).toMatch(
      /^public holidays and bank holidays in New South Wales, Australia \(AU-NSW\), per date-holidays \d+\.\d+\.\d+ \(the kinds Acts Interpretation Act 1901 \(Cth\) s 36\(2\) names: "a public holiday or bank holiday in the place"\)$/,
    );
    expect(nswPublicOnly.description).toMatch(
      /^public holidays in New South Wales, Australia \(AU-NSW\), per date-holidays \S+ \(the kinds this jurisdiction's rule counts: public\)$/,
    );
  });

  it('counts the NSW Bank Holiday (first Monday in August) by default, as AIA s 36(2) says', () => {
    // Act & Assess
    expect(nsw.holidayOn('2026-08-03')).toBe('Bank Holiday');
    expect(nsw.holidayOn('2027-08-02')).toBe('Bank Holiday');
    expect(vic.holidayOn('2027-08-02')).toBeUndefined();
  });

  it('refuses a date that is not YYYY-MM-DD', () => {
    // Act & Assess
    expect(() => nsw.holidayOn('25/12/2026')).toThrow(RangeError);
  });

  it.each([
    ['an unknown state', { country: 'AU', state: 'XX' }, 'state', 'known states: ACT, NSW, NT, QLD, SA, TAS, VIC, WA'],
    ['an unknown country', { country: 'ZZ' }, 'country', 'No public holiday data for country "ZZ"'],
    ['a country the holiday tables leave out', { country: 'FR' }, 'country', 'one of AU, GB, IE, NZ, SG, US'],
    ['a state of a country without states', { country: 'SG', state: 'X' }, 'state', 'leave the state out'],
  ])('refuses %s with a clear error', (_label, jurisdiction, path, message) => {
    // Act
    const act = () => publicHolidayCalendar(jurisdiction);

    // Assess
    expect(act).toThrow(ValidationFailed);
    expect(act).toThrow(message);
    try {
      act();
    } catch (error) {
      expect((error as ValidationFailed).issues.map((i) => i.path)).toEqual([path]);
    }
  });

  it('gives the deadline engine the same answer as the fixed NSW list', () => {
    // Prepare: 10:00 AEDT on Fri 27 Nov 2026; day 28 is Christmas Day.
    const givenAt = new Date('2026-11-26T23:00:00Z');

    // Act
    const { dueAt, explanation } = computeDeadline({
      givenAt,
      timeZone: 'Australia/Sydney',
      rule: { period: { amount: 28, unit: 'calendar-days' }, cutOff: 'end-of-day', rollToBusinessDay: true },
      holidays: nsw,
    });

    // Assess
    expect(dueAt.toISOString()).toBe('2026-12-29T12:59:59.999Z');
    expect(explanation[1]).toContain(
      'public holidays and bank holidays in New South Wales, Australia (AU-NSW), per date-holidays',
    );
  });
});

describe('AIA s 36(2) and bank holidays: worked examples', () => {
  // A transparency notice's rule: 28 calendar days, the day of giving not counted, end of day, s 36(2) roll-forward.
  const rule = {
    period: { amount: 28, unit: 'calendar-days' as const },
    cutOff: 'end-of-day' as const,
    rollToBusinessDay: true,
  };
  // 12:00 AEST on Mon 5 Jul 2027: day 28 is Mon 2 Aug 2027, the NSW Bank Holiday.
  const givenAt = new Date('2027-07-05T02:00:00Z');

  it('makes a notice given Mon 5 Jul 2027 12:00 AEST in NSW due at the end of Tue 3 Aug 2027, saying why', () => {
    // Act
    const { dueAt, explanation } = computeDeadline({ givenAt, timeZone: 'Australia/Sydney', rule, holidays: nsw });

    // Assess
    expect(dueAt.toISOString()).toBe('2027-08-03T13:59:59.999Z');
    expect(explanation.join('\n')).toContain('public holidays and bank holidays in New South Wales');
    expect(explanation.join('\n')).toContain('s 36(2) names: "a public holiday or bank holiday in the place"');
    expect(explanation.join('\n')).toContain(
      'The last day, Mon 2 Aug 2027, is not a business day (Bank Holiday); the period ends on the next business day, Tue 3 Aug 2027',
    );
  });

  it('keeps Mon 2 Aug 2027 when the jurisdiction counts public holidays only, and in Victoria, which has no bank holiday then', () => {
    // Act
    const publicOnly = computeDeadline({ givenAt, timeZone: 'Australia/Sydney', rule, holidays: nswPublicOnly });
    const victoria = computeDeadline({ givenAt, timeZone: 'Australia/Melbourne', rule, holidays: vic });

    // Assess
    expect(publicOnly.dueAt.toISOString()).toBe('2027-08-02T13:59:59.999Z');
    expect(publicOnly.explanation.join('\n')).toContain("the kinds this jurisdiction's rule counts: public");
    expect(victoria.dueAt.toISOString()).toBe('2027-08-02T13:59:59.999Z');
  });

  it('counts business days past the bank holiday: 5 business days from Wed 28 Jul 2027 end on Thu 5 Aug', () => {
    // Act: Thu 29, Fri 30, (Sat, Sun, Mon 2 Aug bank holiday), Tue 3, Wed 4, Thu 5.
    const { dueAt, explanation } = computeDeadline({
      givenAt: new Date('2027-07-28T02:00:00Z'),
      timeZone: 'Australia/Sydney',
      rule: { period: { amount: 5, unit: 'business-days' }, cutOff: { hour: 17, minute: 0 }, rollToBusinessDay: true },
      holidays: nsw,
    });

    // Assess
    expect(dueAt.toISOString()).toBe('2027-08-05T07:00:00.000Z');
    expect(explanation.join('\n')).toContain('Mon 2 Aug 2027 (Bank Holiday)');
  });
});

describe('JurisdictionSchema', () => {
  it('accepts a country with one of its states, and a country alone', () => {
    // Act & Assess
    expect(JurisdictionSchema.parse({ country: 'AU', state: 'NSW' })).toEqual({ country: 'AU', state: 'NSW' });
    expect(JurisdictionSchema.parse({ country: 'GB' })).toEqual({ country: 'GB' });
  });

  it.each([
    ['a lower-case country code', { country: 'au' }, 'country', 'ISO 3166-1 alpha-2'],
    ['an unknown state', { country: 'AU', state: 'XX' }, 'state', 'known states'],
    ['an unknown country', { country: 'ZZ' }, 'country', 'No public holiday data'],
    ['an unexpected field', { country: 'AU', region: 'Sydney' }, '', 'region'],
    ['an unknown kind of holiday', { country: 'AU', holidayTypes: ['public', 'festive'] }, 'holidayTypes.1', 'public'],
  ])('refuses %s, with one issue on the field', (_label, input, path, message) => {
    // Act
    const result = JurisdictionSchema.safeParse(input);

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues).toHaveLength(1);
    expect(result.error?.issues.at(0)?.path.join('.')).toBe(path);
    expect(JSON.stringify(result.error?.issues[0])).toContain(message);
  });
});
