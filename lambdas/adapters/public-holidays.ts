import { AIA_HOLIDAY_TYPES, type HolidayCalendar, type HolidayType } from '../domain/deadline-engine';
import { type FieldIssue, ValidationFailed } from '../domain/errors';
import { JurisdictionSchema as DomainJurisdictionSchema } from '../domain/notice';
import * as z from '../domain/zod';
import { TYPE_CODES } from './public-holiday-table';
import { HOLIDAY_TABLE } from './public-holiday-table.generated';

/**
 * Public holidays behind the domain's {@link HolidayCalendar}, from the table that scripts/holiday-tables.ts derives
 * from the `date-holidays` package at build time (public-holiday-table.generated.ts; a unit test derives it again
 * and fails if they differ). The package is versioned data; its version is named in every explanation so a deadline
 * can be recomputed as it was. The table covers the jurisdictions and years listed in scripts/holiday-tables.ts:
 * any other jurisdiction is refused as a field error, and a date outside its years stops the computation with an
 * error naming the range, never a due time counted without holidays.
 */

const TYPE_OF_CODE = new Map(Object.entries(TYPE_CODES).map(([type, code]) => [code, type as HolidayType]));

/** The domain's jurisdiction, additionally checked against the holiday data this adapter has. */
export const JurisdictionSchema = DomainJurisdictionSchema.check(
  z.superRefine((jurisdiction, ctx) => {
    // A malformed code already has its issue; looking it up would only repeat it.
    if (!/^[A-Z]{2}$/.test(jurisdiction.country)) return;
    for (const issue of jurisdictionIssues(jurisdiction)) {
      ctx.addIssue({ code: 'custom', path: [issue.path], message: issue.message });
    }
  }),
);
export type Jurisdiction = z.infer<typeof JurisdictionSchema>;

/**
 * The holidays of a country, or of one of its states, of the kinds the jurisdiction's rule counts: by default
 * public and bank holidays, the two AIA s 36(2) names (so NSW's Bank Holiday, the first Monday in August, counts).
 * School holidays, optional days and observances count only if the rule names them. Part-day holidays (e.g. from
 * 12:00 on Christmas Eve in some countries) never count: AIA s 36(2) asks whether a day is a holiday, and half of
 * it is not; a regulator that closes for one adds it with `withOverrides`.
 *
 * @throws ValidationFailed when the table has no holidays for the country or the state. The calendar's `holidayOn`
 * throws ValidationFailed for a date outside the table's years.
 */
export function publicHolidayCalendar(jurisdiction: {
  country: string;
  state?: string;
  holidayTypes?: readonly HolidayType[];
}): HolidayCalendar {
  const issues = jurisdictionIssues(jurisdiction);
  if (issues.length > 0) throw new ValidationFailed(issues, issues.map((i) => i.message).join('; '));
  const { country, state } = jurisdiction;
  const types = jurisdiction.holidayTypes ?? AIA_HOLIDAY_TYPES;
  const counted = new Set<string>(types);
  const code = state ? `${country}-${state}` : country;
  const years = HOLIDAY_TABLE.holidays[code];
  // jurisdictionIssues found the jurisdiction in the table; a table without its years would be a generator bug.
  if (!years) throw new Error(`invariant: no holiday table for ${code}`);

  const byYear = new Map<number, Map<string, string>>();
  const holidaysIn = (year: number) => {
    let days = byYear.get(year);
    if (!days) {
      days = holidayDaysIn(code, years, year, counted);
      byYear.set(year, days);
    }
    return days;
  };

  const countryName = HOLIDAY_TABLE.countries[country]?.name;
  const stateName = state ? HOLIDAY_TABLE.countries[country]?.states?.[state] : undefined;
  const place = stateName ? `${stateName}, ${countryName}` : countryName;
  return {
    description: `${describeTypes(types)} in ${place} (${code}), per ${HOLIDAY_TABLE.source}${ruleOf(types)}`,
    holidayOn(date) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`Expected a date as YYYY-MM-DD, got "${date}".`);
      return holidaysIn(Number(date.slice(0, 4))).get(date);
    },
  };
}

function jurisdictionIssues(jurisdiction: { country: string; state?: string }): FieldIssue[] {
  const { country, state } = jurisdiction;
  const entry = Object.hasOwn(HOLIDAY_TABLE.countries, country) ? HOLIDAY_TABLE.countries[country] : undefined;
  if (!entry) {
    return [
      {
        path: 'country',
        message: `No public holiday data for country "${country}": use an upper-case ISO 3166-1 alpha-2 code of one of ${Object.keys(HOLIDAY_TABLE.countries).join(', ')} (the portal's holiday tables).`,
      },
    ];
  }
  if (state === undefined) return [];
  const states = entry.states ?? {};
  if (Object.hasOwn(states, state)) return [];
  const known = Object.keys(states);
  return [
    {
      path: 'state',
      message:
        known.length > 0
          ? `No public holiday data for state "${state}" of ${entry.name} (${country}); known states: ${known.join(', ')}.`
          : `No public holiday data for states of ${entry.name} (${country}); leave the state out.`,
    },
  ];
}

/** "public holidays and bank holidays"; "no holidays" when the rule counts none. */
function describeTypes(types: readonly HolidayType[]): string {
  const names = types.map((t) => `${t} holidays`);
  const last = names.pop();
  if (last === undefined) return 'no holidays';
  return names.length === 0 ? last : `${names.join(', ')} and ${last}`;
}

/** Says where the choice of kinds comes from, so the explanation shows whether the statute's default applies. */
function ruleOf(types: readonly HolidayType[]): string {
  const statutory = types.length === AIA_HOLIDAY_TYPES.length && AIA_HOLIDAY_TYPES.every((t) => types.includes(t));
  return statutory
    ? ' (the kinds Acts Interpretation Act 1901 (Cth) s 36(2) names: "a public holiday or bank holiday in the place")'
    : ` (the kinds this jurisdiction's rule counts: ${types.length > 0 ? types.join(', ') : 'none'})`;
}

/**
 * Every local date of `year` on which a whole-day holiday of a counted kind falls. Holidays of several days (e.g. a
 * three-day Eid) are spread over their dates, including one that starts in December of the year before. The same
 * walk date-holidays' own list would take: the table keeps that list's order.
 */
function holidayDaysIn(
  code: string,
  years: readonly string[],
  year: number,
  counted: ReadonlySet<string>,
): Map<string, string> {
  if (year < HOLIDAY_TABLE.firstYear || year > HOLIDAY_TABLE.lastYear) throw outOfRange(code, year);
  const days = new Map<string, string[]>();
  const holidays = [year - 1, year].flatMap((y) => entriesOf(years[y - HOLIDAY_TABLE.firstYear + 1] ?? '', y));
  for (const holiday of holidays.filter((h) => counted.has(h.type))) {
    for (const date of holiday.dates.filter((d) => Number(d.slice(0, 4)) === year)) {
      const names = days.get(date) ?? [];
      if (!names.includes(holiday.name)) names.push(holiday.name);
      days.set(date, names);
    }
  }
  return new Map([...days].map(([date, names]) => [date, names.join(' and ')]));
}

/** The holidays of one year's `MMDD,days,type,name` entries, each with the dates it covers. */
function entriesOf(entries: string, year: number): Array<{ type: HolidayType; name: string; dates: string[] }> {
  if (entries === '') return [];
  return entries.split(';').map((entry) => {
    const [monthDay = '', length, typeCode = '', nameIndex] = entry.split(',');
    const type = TYPE_OF_CODE.get(typeCode);
    if (type === undefined) throw new Error(`invariant: unknown holiday type code "${typeCode}" in the table`);
    const [month, day] = [Number(monthDay.slice(0, 2)), Number(monthDay.slice(2))];
    const dates = Array.from({ length: Number(length) }, (_, i) =>
      new Date(Date.UTC(year, month - 1, day + i)).toISOString().slice(0, 10),
    );
    return { type, name: HOLIDAY_TABLE.names[Number(nameIndex)] ?? '', dates };
  });
}

/** A due time that would need holidays the table does not hold: refused, never counted without them. */
function outOfRange(code: string, year: number): ValidationFailed {
  const range = `${HOLIDAY_TABLE.firstYear}–${HOLIDAY_TABLE.lastYear}`;
  return new ValidationFailed(
    [
      {
        path: 'jurisdiction',
        message: `the public holidays of ${code} are known for ${range} only (${HOLIDAY_TABLE.source}); this due time needs those of ${year}`,
      },
    ],
    `No public holiday data for ${year}: the portal's holiday tables cover ${range}.`,
  );
}
