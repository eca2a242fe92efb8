import type { HolidayType } from '../domain/deadline-engine';

/**
 * The shape of the public-holiday table that scripts/holiday-tables.ts derives from the `date-holidays` package at
 * build time and checks in as public-holiday-table.generated.ts: the functions that compute due times read it
 * (public-holidays.ts) instead of carrying the package.
 */
export interface HolidayTable {
  /** The data's source and version, named in every explanation ("date-holidays 3.37.0"). */
  source: string;
  /** The years (inclusive) a holiday can be looked up in; anything outside is refused. */
  firstYear: number;
  lastYear: number;
  /** Every holiday name, once; entries refer to them by index. */
  names: string[];
  /** By country code: its English name, and its states (code → name) when the table holds them. */
  countries: Record<string, { name: string; states?: Record<string, string> }>;
  /**
   * By jurisdiction code (`AU`, `AU-NSW`): one string per year from `firstYear - 1` (whose multi-day holidays may
   * run into `firstYear`) to `lastYear`, holding the whole-day holidays date-holidays lists for that year, in its
   * order, as `MMDD,days,type,name` entries joined by `;` — `days` ≥ 1 (a holiday of several days), `type` a
   * {@link TYPE_CODES} letter, `name` an index into `names`. Holidays that start part-way through a day are left
   * out: they never close a day.
   */
  holidays: Record<string, string[]>;
}

/** One letter per kind of holiday, in the table's entries. */
export const TYPE_CODES: Readonly<Record<HolidayType, string>> = {
  public: 'p',
  bank: 'b',
  optional: 'o',
  school: 's',
  observance: 'v',
};
