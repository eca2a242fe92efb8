/**
 * The portal's public-holiday tables, derived from the `date-holidays` package at build time: the Lambda bundles
 * carry the derived table (lambdas/adapters/public-holiday-table.generated.ts), not the package, whose rules engine
 * (moment-timezone's zone data, astronomia) was ~1.4 MiB of every due-time function's bundle and most of its cold
 * start.
 *
 *   npm run generate:holidays      # rewrites the table after a date-holidays upgrade or a change to the lists below
 *
 * tests/unit/public-holiday-table.test.ts derives the table again and fails if the checked-in one differs, so the
 * table cannot drift from the package version package.json locks.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Holidays from 'date-holidays';
import dateHolidaysPackage from 'date-holidays/package.json';
import { type HolidayTable, TYPE_CODES } from '../lambdas/adapters/public-holiday-table';
import { HOLIDAY_TYPES, type HolidayType } from '../lambdas/domain/deadline-engine';

/**
 * The jurisdictions whose holidays a due time can be counted in: Australia and each of its states and territories
 * (the places an Australian regulator's notices are complied with, Acts Interpretation Act 1901 (Cth) s 36(2)), and
 * a few other countries at national level. Add one here and regenerate; each costs a few KiB of every due-time
 * bundle.
 */
export const SUPPORTED_JURISDICTIONS: ReadonlyArray<{ country: string; states: 'all' | 'none' }> = [
  { country: 'AU', states: 'all' },
  { country: 'GB', states: 'none' },
  { country: 'IE', states: 'none' },
  { country: 'NZ', states: 'none' },
  { country: 'SG', states: 'none' },
  { country: 'US', states: 'none' },
];

/**
 * The years a due time can fall in (inclusive). The table also holds the year before the first, whose multi-day
 * holidays may run into it. A due time that reaches past the last year is refused, naming this range.
 */
export const FIRST_YEAR = 2024;
export const LAST_YEAR = 2050;

/** Holiday names in English where the data has them, so the explanation reads the same for every jurisdiction. */
const OPTIONS = { languages: ['en'] };
const DAY_MS = 86_400_000;

/** Month and day (`MMDD`) of a holiday dated from midnight ("2026-12-25 00:00:00"); undefined for any other. */
function midnightStart(date: string): string | undefined {
  return /^\d{4}-(\d{2})-(\d{2}) 00:00:00/.exec(date)?.slice(1, 3).join('');
}

/** What the table is derived from: date-holidays' list of one jurisdiction's holidays in a year. */
export type HolidaySource = Pick<Holidays, 'getHolidays'>;

/** A jurisdiction's holidays straight from date-holidays, with English names. */
export function openDateHolidays(country: string, state?: string): HolidaySource {
  return state ? new Holidays(country, state, OPTIONS) : new Holidays(country, OPTIONS);
}

/**
 * Derives the table from the installed date-holidays. `open` gives each jurisdiction's source (a test passes one
 * that remembers each year's list, so that its oracle need not ask date-holidays again).
 */
export function deriveHolidayTable(
  open: (country: string, state?: string) => HolidaySource = openDateHolidays,
): HolidayTable {
  const [supported, firstYear, lastYear] = [SUPPORTED_JURISDICTIONS, FIRST_YEAR, LAST_YEAR];
  const catalogue = new Holidays(OPTIONS);
  const countryNames = catalogue.getCountries('en');
  const names: string[] = [];
  const nameIndex = new Map<string, number>();
  const indexOf = (name: string) => {
    let i = nameIndex.get(name);
    if (i === undefined) {
      i = names.push(name) - 1;
      nameIndex.set(name, i);
    }
    return i;
  };
  const countries: HolidayTable['countries'] = {};
  const holidays: HolidayTable['holidays'] = {};

  for (const { country, states } of supported) {
    const name = countryNames[country];
    if (name === undefined) throw new Error(`date-holidays does not know the country ${country}`);
    const stateNames = states === 'all' ? (catalogue.getStates(country, 'en') ?? {}) : undefined;
    countries[country] = stateNames ? { name, states: stateNames } : { name };
    const yearsOf = (source: HolidaySource) =>
      Array.from({ length: lastYear - firstYear + 2 }, (_, i) =>
        yearEntries(source, firstYear - 1 + i, indexOf).join(';'),
      );
    for (const state of [undefined, ...Object.keys(stateNames ?? {})]) {
      holidays[state ? `${country}-${state}` : country] = yearsOf(open(country, state));
    }
  }
  return { source: `date-holidays ${dateHolidaysPackage.version}`, firstYear, lastYear, names, countries, holidays };
}

const KNOWN_TYPES = new Set<string>(HOLIDAY_TYPES);

/** One year's whole-day holidays as table entries, in date-holidays' order. */
function yearEntries(source: HolidaySource, year: number, indexOf: (name: string) => number): string[] {
  const entries: string[] = [];
  for (const holiday of source.getHolidays(year)) {
    const start = midnightStart(holiday.date);
    if (!start) continue;
    if (!KNOWN_TYPES.has(holiday.type)) throw new Error(`unknown holiday type ${holiday.type} (${holiday.name})`);
    const days = Math.max(1, Math.round((holiday.end.getTime() - holiday.start.getTime()) / DAY_MS));
    entries.push(`${start},${days},${TYPE_CODES[holiday.type as HolidayType]},${indexOf(holiday.name)}`);
  }
  return entries;
}

export const TABLE_MODULE = path.join(__dirname, '..', 'lambdas', 'adapters', 'public-holiday-table.generated.ts');

/** The table as the TypeScript module that is checked in. */
export function renderTableModule(table: HolidayTable): string {
  return [
    '// Generated by `npm run generate:holidays` (scripts/holiday-tables.ts) from the date-holidays package: do not',
    '// edit. tests/unit/public-holiday-table.test.ts fails when it differs from what the installed package derives.',
    "import type { HolidayTable } from './public-holiday-table';",
    '',
    `export const HOLIDAY_TABLE: HolidayTable = ${JSON.stringify(table, null, 1)};`,
    '',
  ].join('\n');
}

if (require.main === module) {
  const table = deriveHolidayTable();
  fs.writeFileSync(TABLE_MODULE, renderTableModule(table));
  // In the repository's own format, so `npm run lint` passes on it as on any other file.
  execFileSync('npx', ['biome', 'format', '--write', TABLE_MODULE], { stdio: 'ignore' });
  const entries = Object.values(table.holidays).reduce((n, years) => n + years.join(';').split(';').length, 0);
  console.log(
    `${path.relative(process.cwd(), TABLE_MODULE)}: ${Object.keys(table.holidays).length} jurisdictions, ` +
      `${table.firstYear}–${table.lastYear}, ${entries} entries, ${table.source}`,
  );
}
