import dateHolidaysPackage from 'date-holidays/package.json';
import { AIA_HOLIDAY_TYPES, type HolidayCalendar, type HolidayType } from '../../lambdas/domain/deadline-engine';
import { type HolidaySource, openDateHolidays } from '../../scripts/holiday-tables';

/**
 * The oracle for the portal's holiday table: a calendar read from the `date-holidays` package at run time, as the
 * portal read it before the table (whole-day holidays of the counted kinds, several-day holidays spread over their
 * dates, including one that starts in December of the year before). tests/unit/public-holiday-table.test.ts holds
 * the table's answers to this one's, date by date.
 */
const DAY_MS = 86_400_000;

export const DATE_HOLIDAYS_VERSION = dateHolidaysPackage.version;

/**
 * date-holidays' lists, each year's asked for once per jurisdiction: date-holidays computes every year afresh, and
 * the table test reads each year of each jurisdiction many times (once per kind of holiday counted).
 */
export function rememberingDateHolidays(): (country: string, state?: string) => HolidaySource {
  const sources = new Map<string, HolidaySource>();
  return (country, state) => {
    const code = state ? `${country}-${state}` : country;
    let source = sources.get(code);
    if (!source) {
      const inner = openDateHolidays(country, state);
      const years = new Map<string, ReturnType<HolidaySource['getHolidays']>>();
      source = {
        getHolidays: (year) => {
          const key = String(year);
          let list = years.get(key);
          if (!list) {
            list = inner.getHolidays(year);
            years.set(key, list);
          }
          return list;
        },
      };
      sources.set(code, source);
    }
    return source;
  };
}

export function dateHolidaysCalendar(
  jurisdiction: { country: string; state?: string; holidayTypes?: readonly HolidayType[] },
  open: (country: string, state?: string) => HolidaySource = openDateHolidays,
): HolidayCalendar {
  const { country, state } = jurisdiction;
  const counted = new Set<string>(jurisdiction.holidayTypes ?? AIA_HOLIDAY_TYPES);
  const source = open(country, state);
  const byYear = new Map<number, Map<string, string>>();
  return {
    description: `date-holidays ${DATE_HOLIDAYS_VERSION}: ${state ? `${country}-${state}` : country}`,
    holidayOn(date) {
      const year = Number(date.slice(0, 4));
      let days = byYear.get(year);
      if (!days) {
        days = holidayDaysIn(source, year, counted);
        byYear.set(year, days);
      }
      return days.get(date);
    },
  };
}

function midnightStart(date: string): [year: number, month: number, day: number] | undefined {
  const [, year, month, day] = /^(\d{4})-(\d{2})-(\d{2}) 00:00:00/.exec(date) ?? [];
  if (year === undefined || month === undefined || day === undefined) return undefined;
  return [Number(year), Number(month), Number(day)];
}

function holidayDaysIn(source: HolidaySource, year: number, counted: ReadonlySet<string>): Map<string, string> {
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
