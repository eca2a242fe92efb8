import Holidays from 'date-holidays';
import dateHolidaysPackage from 'date-holidays/package.json';
import type { z } from 'zod';
import { AIA_HOLIDAY_TYPES, type HolidayCalendar, type HolidayType } from '../domain/deadline-engine';
import { type FieldIssue, ValidationFailed } from '../domain/errors';
import { JurisdictionSchema as DomainJurisdictionSchema } from '../domain/notice';

/**
 * Public holidays from the `date-holidays` package, behind the domain's {@link HolidayCalendar}. The package is
 * versioned data; its version is named in every explanation so a deadline can be recomputed as it was.
 */

/** Holiday names in English where the data has them, so the explanation reads the same for every jurisdiction. */
const OPTIONS = { languages: ['en'] };
const DAY_MS = 86_400_000;

let catalogue: Holidays | undefined;
/** Country and state names only; the calendars themselves are built per jurisdiction. */
function holidayData(): Holidays {
  catalogue ??= new Holidays(OPTIONS);
  return catalogue;
}

/** The domain's jurisdiction, additionally checked against the holiday data this adapter has. */
export const JurisdictionSchema = DomainJurisdictionSchema.superRefine((jurisdiction, ctx) => {
  // A malformed code already has its issue; looking it up would only repeat it.
  if (!/^[A-Z]{2}$/.test(jurisdiction.country)) return;
  for (const issue of jurisdictionIssues(jurisdiction)) {
    ctx.addIssue({ code: 'custom', path: [issue.path], message: issue.message });
  }
});
export type Jurisdiction = z.infer<typeof JurisdictionSchema>;

/**
 * The holidays of a country, or of one of its states, of the kinds the jurisdiction's rule counts: by default
 * public and bank holidays, the two AIA s 36(2) names (so NSW's Bank Holiday, the first Monday in August, counts).
 * School holidays, optional days and observances count only if the rule names them. Part-day holidays (e.g. from
 * 12:00 on Christmas Eve in some countries) never count: AIA s 36(2) asks whether a day is a holiday, and half of
 * it is not; a regulator that closes for one adds it with `withOverrides`.
 *
 * @throws ValidationFailed when date-holidays does not know the country or the state.
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
  const source = state ? new Holidays(country, state, OPTIONS) : new Holidays(country, OPTIONS);

  const byYear = new Map<number, Map<string, string>>();
  const holidaysIn = (year: number) => {
    let days = byYear.get(year);
    if (!days) {
      days = holidayDaysIn(source, year, counted);
      byYear.set(year, days);
    }
    return days;
  };

  const countryName = holidayData().getCountries('en')[country];
  const stateName = state ? holidayData().getStates(country, 'en')?.[state] : undefined;
  const place = stateName ? `${stateName}, ${countryName}` : countryName;
  const code = state ? `${country}-${state}` : country;
  return {
    description: `${describeTypes(types)} in ${place} (${code}), per date-holidays ${dateHolidaysPackage.version}${ruleOf(types)}`,
    holidayOn(date) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`Expected a date as YYYY-MM-DD, got "${date}".`);
      return holidaysIn(Number(date.slice(0, 4))).get(date);
    },
  };
}

function jurisdictionIssues(jurisdiction: { country: string; state?: string }): FieldIssue[] {
  const { country, state } = jurisdiction;
  const countries = holidayData().getCountries('en');
  if (!Object.hasOwn(countries, country)) {
    return [
      {
        path: 'country',
        message: `No public holiday data for country "${country}": use an upper-case ISO 3166-1 alpha-2 code such as "AU".`,
      },
    ];
  }
  if (state === undefined) return [];
  const states = holidayData().getStates(country, 'en') ?? {};
  if (Object.hasOwn(states, state)) return [];
  const known = Object.keys(states);
  return [
    {
      path: 'state',
      message:
        known.length > 0
          ? `No public holiday data for state "${state}" of ${countries[country]} (${country}); known states: ${known.join(', ')}.`
          : `No public holiday data for states of ${countries[country]} (${country}); leave the state out.`,
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

/** Year, month and day of a holiday dated from midnight ("2026-12-25 00:00:00"); undefined for any other. */
function midnightStart(date: string): [year: number, month: number, day: number] | undefined {
  const [, year, month, day] = /^(\d{4})-(\d{2})-(\d{2}) 00:00:00/.exec(date) ?? [];
  if (year === undefined || month === undefined || day === undefined) return undefined;
  return [Number(year), Number(month), Number(day)];
}

/**
 * Every local date of `year` on which a whole-day holiday of a counted kind falls. Holidays of several days (e.g. a three-day
 * Eid) are spread over their dates, including one that starts in December of the year before.
 */
function holidayDaysIn(source: Holidays, year: number, counted: ReadonlySet<string>): Map<string, string> {
  const days = new Map<string, string[]>();
  for (const holiday of [...source.getHolidays(year - 1), ...source.getHolidays(year)]) {
    const start = counted.has(holiday.type) ? midnightStart(holiday.date) : undefined;
    if (!start) continue;
    const length = Math.max(1, Math.round((holiday.end.getTime() - holiday.start.getTime()) / DAY_MS));
    const [y, m, d] = start;
    for (let i = 0; i < length; i++) {
      const date = new Date(Date.UTC(y, m - 1, d + i)).toISOString().slice(0, 10);
      if (Number(date.slice(0, 4)) !== year) continue;
      const names = days.get(date) ?? [];
      if (!names.includes(holiday.name)) names.push(holiday.name);
      days.set(date, names);
    }
  }
  return new Map([...days].map(([date, names]) => [date, names.join(' and ')]));
}
