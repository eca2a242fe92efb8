import { HOLIDAY_TABLE } from '../../lambdas/adapters/public-holiday-table.generated';
import { publicHolidayCalendar } from '../../lambdas/adapters/public-holidays';
import { HOLIDAY_TYPES, type HolidayType } from '../../lambdas/domain/deadline-engine';
import { ValidationFailed } from '../../lambdas/domain/errors';
import { deriveHolidayTable, FIRST_YEAR, LAST_YEAR, SUPPORTED_JURISDICTIONS } from '../../scripts/holiday-tables';
import {
  DATE_HOLIDAYS_VERSION,
  dateHolidaysCalendar,
  rememberingDateHolidays,
} from '../support/date-holidays-calendar';

/** Every supported jurisdiction, as `{ country, state? }`. */
const jurisdictions = Object.keys(HOLIDAY_TABLE.holidays).map((code) => {
  const [country = '', state] = code.split('-');
  return state ? { code, country, state } : { code, country };
});

/** The rules a jurisdiction may count by: the statute's default, each kind alone, and every kind. */
const TYPE_SETS: ReadonlyArray<readonly HolidayType[] | undefined> = [
  undefined,
  ...HOLIDAY_TYPES.map((type) => [type]),
  HOLIDAY_TYPES,
];

/** Every date from 1 January of `first` to 31 December of `last`. */
function everyDateFrom(first: number, last: number): string[] {
  const dates: string[] = [];
  for (let t = Date.UTC(first, 0, 1); t < Date.UTC(last + 1, 0, 1); t += 86_400_000) {
    dates.push(new Date(t).toISOString().slice(0, 10));
  }
  return dates;
}

describe('the public-holiday table (lambdas/adapters/public-holiday-table.generated.ts)', () => {
  // Both tests read the same lists; date-holidays computes each afresh, which dominates the run.
  const dateHolidays = rememberingDateHolidays();

  it('is what `npm run generate:holidays` derives from the installed date-holidays, and names its version', () => {
    // Act
    const derived = deriveHolidayTable(dateHolidays);

    // Assess: regenerate with `npm run generate:holidays` when this fails after a date-holidays upgrade.
    expect(HOLIDAY_TABLE).toEqual(derived);
    expect(HOLIDAY_TABLE.source).toBe(`date-holidays ${DATE_HOLIDAYS_VERSION}`);
    expect([HOLIDAY_TABLE.firstYear, HOLIDAY_TABLE.lastYear]).toEqual([FIRST_YEAR, LAST_YEAR]);
    expect(Object.keys(HOLIDAY_TABLE.countries)).toEqual(SUPPORTED_JURISDICTIONS.map((j) => j.country));
  });

  it('gives, for every supported jurisdiction, year, kind of holiday and date, the answer date-holidays gives', () => {
    // Prepare
    const mismatches: string[] = [];
    let compared = 0;

    // Act
    for (const { code, ...jurisdiction } of jurisdictions) {
      for (const holidayTypes of TYPE_SETS) {
        const rule = { ...jurisdiction, ...(holidayTypes ? { holidayTypes } : {}) };
        const [table, oracle] = [publicHolidayCalendar(rule), dateHolidaysCalendar(rule, dateHolidays)];
        const dates = everyDateFrom(FIRST_YEAR, LAST_YEAR);
        compared += dates.length;
        for (const date of dates.filter((d) => table.holidayOn(d) !== oracle.holidayOn(d))) {
          mismatches.push(
            `${code} ${holidayTypes ?? 'default'} ${date}: ${table.holidayOn(date)} ≠ ${oracle.holidayOn(date)}`,
          );
        }
      }
    }

    // Assess
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(compared).toBeGreaterThan(jurisdictions.length * TYPE_SETS.length * 365 * (LAST_YEAR - FIRST_YEAR));
  });

  it.each([
    ['before', `${FIRST_YEAR - 1}-12-31`, FIRST_YEAR - 1],
    ['after', `${LAST_YEAR + 1}-01-02`, LAST_YEAR + 1],
  ])(
    'refuses a date %s its years with a field error naming the range, never answering "no holiday"',
    (_when, date, year) => {
      // Prepare
      const calendar = publicHolidayCalendar({ country: 'AU', state: 'NSW' });

      // Act
      const act = () => calendar.holidayOn(date);

      // Assess
      expect(act).toThrow(ValidationFailed);
      try {
        act();
      } catch (error) {
        expect((error as ValidationFailed).issues).toEqual([
          {
            path: 'jurisdiction',
            message: `the public holidays of AU-NSW are known for ${FIRST_YEAR}–${LAST_YEAR} only (date-holidays ${DATE_HOLIDAYS_VERSION}); this due time needs those of ${year}`,
          },
        ]);
      }
    },
  );
});
