import { type FieldIssue, ValidationFailed } from './errors';
import * as z from './zod';
import { instantOfWallTime, isValidTimeZone, utcOffsetMs, type WallTime, wallTimeAt } from './zoned-time';

/**
 * When a notice falls due under a configurable rule, and a step-by-step account of why, written for a lawyer.
 * X Corp v eSafety showed that how a period is counted gets litigated, and FOI-portal users ask for exactly this
 * explanation, so every rule applied (and every day passed over) is recorded as a step.
 *
 * Defaults follow the Acts Interpretation Act 1901 (Cth): s 36(1) excludes the day of giving from the count, and
 * s 36(2) lets a thing due on a weekend day or holiday be done on the next business day. Both are configuration,
 * because other regulators and instruments say otherwise.
 *
 * Holidays come through {@link HolidayCalendar} so the domain stays free of any holiday data source. A calendar's
 * `holidayOn` may throw (the portal's tables refuse dates outside their years): the computation then fails rather
 * than count a period as if there were no holidays.
 */

/** Public holidays of one jurisdiction, looked up by local date. */
export interface HolidayCalendar {
  /** Name of the public holiday on this local date (YYYY-MM-DD) in the jurisdiction, or undefined. */
  holidayOn(date: string): string | undefined;
  /** Which holidays these are, as the explanation should name them ("public holidays in New South Wales …"). */
  readonly description: string;
}

/**
 * Kinds of holiday a jurisdiction's data can name (the `date-holidays` types). Which of them close the day for a
 * deadline is part of the jurisdiction's rule.
 */
export const HOLIDAY_TYPES = ['public', 'bank', 'optional', 'school', 'observance'] as const;
export type HolidayType = (typeof HOLIDAY_TYPES)[number];

/**
 * Acts Interpretation Act 1901 (Cth) s 36(2): the last day moves on if it "falls on a Saturday, on a Sunday or on
 * a day which is a public holiday or bank holiday in the place" — so both kinds count unless a rule says otherwise.
 */
export const AIA_HOLIDAY_TYPES: readonly HolidayType[] = ['public', 'bank'];

export const DEADLINE_UNITS = ['hours', 'calendar-days', 'business-days'] as const;
export type DeadlineUnit = (typeof DEADLINE_UNITS)[number];

/** Ten years either way: far beyond any notice, and it bounds the work a rule can ask for. */
const MAX_DAYS = 3650;
const MAX_HOURS = 87_600;

export const DeadlinePeriodSchema = /* @__PURE__ */ (() =>
  z
    .strictObject({
      amount: z.number().check(z.int(), z.gte(1)),
      unit: z.enum(DEADLINE_UNITS),
    })
    .check(
      z.refine((p) => p.amount <= (p.unit === 'hours' ? MAX_HOURS : MAX_DAYS), {
        message: `must be at most ${MAX_HOURS} hours or ${MAX_DAYS} days`,
        path: ['amount'],
      }),
    ))();
export type DeadlinePeriod = z.infer<typeof DeadlinePeriodSchema>;

/** The clock time in the notice's zone at which the last day ends; 'end-of-day' is 23:59:59.999. */
export const CutOffSchema = /* @__PURE__ */ (() =>
  z.union([
    z.literal('end-of-day'),
    z.strictObject({
      hour: z.number().check(z.int(), z.gte(0), z.lte(23)),
      minute: z.number().check(z.int(), z.gte(0), z.lte(59)),
    }),
  ]))();
export type CutOff = z.infer<typeof CutOffSchema>;

export const DeadlineRuleSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    period: DeadlinePeriodSchema,
    /** Ends a period of days (and a period of hours moved by `rollToBusinessDay`); ignored otherwise. */
    cutOff: CutOffSchema,
    /** A period whose last day is a weekend day or holiday ends on the next business day (AIA s 36(2)). */
    rollToBusinessDay: z.boolean(),
    /** The day the notice is given is not counted (AIA s 36(1)). @default true */
    excludeDayOfGiving: z._default(z.boolean(), true),
  }))();
/** A rule as stored (defaults filled in). */
export type DeadlineRule = z.infer<typeof DeadlineRuleSchema>;
/** A rule as written by a caller (`excludeDayOfGiving` may be left out). */
export type DeadlineRuleInput = z.input<typeof DeadlineRuleSchema>;

/** ISO weekdays: 1 = Monday … 7 = Sunday. */
export const DEFAULT_WEEKEND: readonly number[] = [6, 7];

export interface DeadlineInput {
  givenAt: Date;
  /** IANA zone of the notice; days, cut-offs and the explanation are read in it. */
  timeZone: string;
  rule: DeadlineRuleInput;
  holidays: HolidayCalendar;
  /** ISO weekdays that are not business days. @default [6, 7] */
  weekend?: readonly number[];
}

/** A day that was not counted, or was passed over, because it is not a business day. */
export interface SkippedDay {
  date: string;
  weekend: boolean;
  /** Name of the public holiday, when it is one. */
  holiday?: string;
}

/** One step of the computation; `explanation[i]` is the text of `steps[i]`. Dates are local, YYYY-MM-DD. */
export type DeadlineStep =
  | { kind: 'given'; at: Date; date: string; timeZone: string }
  | { kind: 'calendar'; weekend: number[]; holidays: string }
  | { kind: 'day-of-giving'; date: string; counted: boolean }
  | { kind: 'count'; unit: DeadlineUnit; amount: number; firstDay?: string; lastDay: string; endsAt?: Date }
  | { kind: 'skip-non-business-day'; days: SkippedDay[] }
  | { kind: 'business-day'; date: string }
  | { kind: 'roll-forward'; from: string; to: string; days: SkippedDay[] }
  | { kind: 'cut-off'; date: string; cutOff: CutOff; at: Date; clockChange?: 'gap' | 'overlap' }
  | { kind: 'due'; at: Date }
  | { kind: 'set-by-officer'; at: Date };

export interface Deadline {
  dueAt: Date;
  /** One line per step, for the notice and the record. */
  explanation: string[];
  steps: DeadlineStep[];
}

const AIA = 'Acts Interpretation Act 1901 (Cth)';
const HOUR_MS = 3_600_000;
/** A calendar with a whole year of non-business days is misconfigured; stop rather than loop for ever. */
const MAX_CONSECUTIVE_NON_BUSINESS_DAYS = 366;

/**
 * The due time under `rule` for a notice given at `givenAt`.
 *
 * - `hours`: exactly N × 3600 s of elapsed time after `givenAt`; clock changes neither add nor remove time.
 *   With `rollToBusinessDay`, if that instant falls on a local date that is not a business day, the notice is due
 *   at the cut-off of the next business day. Reading: s 36(2) says the thing "may be done on the next day" that is
 *   a business day, which gives the whole of that day (up to the rule's cut-off), not the same clock time and not
 *   its first instant (which would give nothing). A consequence: a longer period of hours can end earlier than a
 *   shorter one that rolled over a weekend.
 * - `calendar-days`: the last day is the Nth day after the day of giving (or day N counting the day of giving as
 *   day 1 when `excludeDayOfGiving` is false); with `rollToBusinessDay` it moves to the next business day; the
 *   period ends at the cut-off on that day.
 * - `business-days`: only days that are neither weekend days nor holidays are counted; the Nth ends at the cut-off.
 *
 * Cut-offs are wall-clock times in `timeZone`, resolved like {@link instantOfWallTime}: in a spring-forward gap the
 * reading moves forward by the gap; in a fall-back overlap the first occurrence wins, unless the notice was given
 * between the two (then the second). Either is stated in the text.
 *
 * @throws ValidationFailed for an invalid zone, rule or weekend, or a period that would end before it starts.
 */
export function computeDeadline(input: DeadlineInput): Deadline {
  const { givenAt, timeZone, holidays } = input;
  const rule = parseInputs(input);
  const calendar = new BusinessCalendar(
    holidays,
    [...new Set(input.weekend ?? DEFAULT_WEEKEND)].sort((a, b) => a - b),
  );
  const account = new Account(timeZone);
  const givenDate = localDateOf(givenAt, timeZone);

  account.add(
    { kind: 'given', at: givenAt, date: givenDate, timeZone },
    `Notice given ${formatInstant(givenAt, timeZone)} (${timeZone}).`,
  );
  const { amount, unit } = rule.period;
  if (unit === 'business-days' || rule.rollToBusinessDay) {
    account.add(
      { kind: 'calendar', weekend: calendar.weekend, holidays: holidays.description },
      `Business days exclude ${weekendNames(calendar.weekend)} and these holidays: ${holidays.description}.`,
    );
  }

  if (unit === 'hours') return hoursDeadline(account, rule, givenAt, calendar);

  recordDayOfGiving(account, rule, givenDate);
  const firstDay = rule.excludeDayOfGiving ? plusDays(givenDate, 1) : givenDate;
  const lastDay =
    unit === 'calendar-days'
      ? lastCalendarDay(account, calendar, rule, firstDay)
      : lastBusinessDay(account, calendar, amount, firstDay);
  const dueAt = cutOffOn(account, rule.cutOff, lastDay, givenAt);
  assertEndsAfterGiving(dueAt, givenAt, timeZone);
  return account.result(dueAt);
}

/** Whether the day of giving counts (s 36(1) says it does not, unless the rule says otherwise). */
function recordDayOfGiving(account: Account, rule: DeadlineRule, givenDate: string): void {
  if (rule.excludeDayOfGiving) {
    account.add(
      { kind: 'day-of-giving', date: givenDate, counted: false },
      `Day of giving not counted (${AIA} s 36(1)); counting starts ${formatDate(plusDays(givenDate, 1))}.`,
    );
    return;
  }
  const condition = rule.period.unit === 'business-days' ? ' if it is a business day' : '';
  account.add(
    { kind: 'day-of-giving', date: givenDate, counted: true },
    `Day of giving, ${formatDate(givenDate)}, counts as day 1${condition}: the rule displaces ${AIA} s 36(1).`,
  );
}

/** The last day of a period of calendar days, moved to a business day if the rule says so. */
function lastCalendarDay(account: Account, calendar: BusinessCalendar, rule: DeadlineRule, firstDay: string): string {
  const { amount, unit } = rule.period;
  const lastDay = plusDays(firstDay, amount - 1);
  account.add(
    { kind: 'count', unit, amount, firstDay, lastDay },
    `Counting ${plural(amount, 'calendar day')} from ${formatDate(firstDay)}: the last day is ${formatDate(lastDay)}.`,
  );
  return rule.rollToBusinessDay ? rollForward(account, calendar, lastDay, 'days') : lastDay;
}

/** The `amount`th business day from `firstDay`, naming every day passed over. */
function lastBusinessDay(account: Account, calendar: BusinessCalendar, amount: number, firstDay: string): string {
  const skipped: SkippedDay[] = [];
  let counted = 0;
  let day = firstDay;
  let run = 0;
  for (;;) {
    const skip = calendar.nonBusinessDay(day);
    if (skip) {
      skipped.push(skip);
      calendar.assertRun(++run, day);
    } else {
      run = 0;
      if (++counted === amount) break;
    }
    day = plusDays(day, 1);
  }
  account.add(
    { kind: 'count', unit: 'business-days', amount, firstDay, lastDay: day },
    `Counting ${plural(amount, 'business day')} from ${formatDate(firstDay)}: day ${amount} is ${formatDate(day)}.`,
  );
  if (skipped.length > 0) {
    account.add(
      { kind: 'skip-non-business-day', days: skipped },
      `Not counted, as not business days: ${skipped.map(describeSkipped).join(', ')}.`,
    );
  }
  return day;
}

function assertEndsAfterGiving(dueAt: Date, givenAt: Date, timeZone: string): void {
  if (dueAt.getTime() > givenAt.getTime()) return;
  throw new ValidationFailed(
    [
      {
        path: 'rule',
        message: `the period would end (${formatInstant(dueAt, timeZone)}) before the notice is given (${formatInstant(givenAt, timeZone)})`,
      },
    ],
    'The deadline rule gives no time to respond.',
  );
}

/** The record for a due time chosen by the issuing officer instead of a rule. */
export function explicitDeadline(givenAt: Date, dueAt: Date, timeZone: string): Deadline {
  assertTimeZone(timeZone);
  const account = new Account(timeZone);
  account.add(
    { kind: 'given', at: givenAt, date: localDateOf(givenAt, timeZone), timeZone },
    `Notice given ${formatInstant(givenAt, timeZone)} (${timeZone}).`,
  );
  account.add(
    { kind: 'set-by-officer', at: dueAt },
    `Due time set by the issuing officer: ${formatInstant(dueAt, timeZone)} (${dueAt.toISOString()}).`,
  );
  return account.result(dueAt);
}

/** A calendar without holidays: only the weekend is not a business day. */
export const NO_HOLIDAYS: HolidayCalendar = {
  description: 'none (no public holidays configured)',
  holidayOn: () => undefined,
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A fixed list of holidays, keyed by local date (YYYY-MM-DD) → name. */
export function holidaysFromList(description: string, dates: Record<string, string>): HolidayCalendar {
  const bad = Object.keys(dates).filter((d) => !isIsoDate(d));
  if (bad.length > 0) throw new RangeError(`Holiday dates must be YYYY-MM-DD; got ${bad.join(', ')}.`);
  const byDate = new Map(Object.entries(dates));
  return { description, holidayOn: (date) => byDate.get(date) };
}

/**
 * `base` as varied by the regulator: `add` declares extra closures (a one-off office closure), `remove` takes
 * holidays out. The description lists both, so the explanation shows that the calendar was varied and how.
 */
export function withOverrides(
  base: HolidayCalendar,
  overrides: { add?: Record<string, string>; remove?: string[] },
): HolidayCalendar {
  const added = new Map(Object.entries(overrides.add ?? {}));
  const removed = new Set(overrides.remove ?? []);
  const bad = [...added.keys(), ...removed].filter((d) => !isIsoDate(d));
  if (bad.length > 0) throw new RangeError(`Override dates must be YYYY-MM-DD; got ${bad.join(', ')}.`);
  const both = [...added.keys()].filter((d) => removed.has(d));
  if (both.length > 0) throw new RangeError(`A date cannot be both added and removed: ${both.join(', ')}.`);

  const changes = [
    ...(added.size > 0
      ? [`added ${[...added].map(([date, name]) => `${formatDate(date)} (${name})`).join(', ')}`]
      : []),
    ...(removed.size > 0 ? [`removed ${[...removed].map(formatDate).join(', ')}`] : []),
  ];
  return {
    description:
      changes.length > 0 ? `${base.description}; as varied by the regulator: ${changes.join('; ')}` : base.description,
    holidayOn: (date) => added.get(date) ?? (removed.has(date) ? undefined : base.holidayOn(date)),
  };
}

// ---------------------------------------------------------------------------------------------------------------

function hoursDeadline(account: Account, rule: DeadlineRule, givenAt: Date, calendar: BusinessCalendar): Deadline {
  const { timeZone } = account;
  const { amount } = rule.period;
  const endsAt = new Date(givenAt.getTime() + amount * HOUR_MS);
  const endDate = localDateOf(endsAt, timeZone);
  const clocksChanged = utcOffsetMs(givenAt, timeZone) !== utcOffsetMs(endsAt, timeZone);
  account.add(
    { kind: 'count', unit: 'hours', amount, lastDay: endDate, endsAt },
    `Counting ${plural(amount, 'hour')} of elapsed time from the moment of giving: the period ends ` +
      `${formatInstant(endsAt, timeZone)}` +
      (clocksChanged ? ' (the clocks changed in between, which neither adds nor removes time).' : '.'),
  );
  if (!rule.rollToBusinessDay) {
    account.add({ kind: 'due', at: endsAt }, `Due ${formatInstant(endsAt, timeZone)} (${endsAt.toISOString()}).`);
    return account.result(endsAt);
  }
  const dueDate = rollForward(account, calendar, endDate, 'hours');
  if (dueDate === endDate) {
    account.add({ kind: 'due', at: endsAt }, `Due ${formatInstant(endsAt, timeZone)} (${endsAt.toISOString()}).`);
    return account.result(endsAt);
  }
  return account.result(cutOffOn(account, rule.cutOff, dueDate, givenAt));
}

/** Moves `date` to the next business day if it is not one, recording either outcome (AIA s 36(2)). */
function rollForward(account: Account, calendar: BusinessCalendar, date: string, unit: 'days' | 'hours'): string {
  const passedOver: SkippedDay[] = [];
  let day = date;
  for (let skip = calendar.nonBusinessDay(day); skip; skip = calendar.nonBusinessDay(day)) {
    passedOver.push(skip);
    calendar.assertRun(passedOver.length, day);
    day = plusDays(day, 1);
  }
  const subject =
    unit === 'days' ? `The last day, ${formatDate(date)},` : `The period ends on ${formatDate(date)}, which`;
  const [first, ...rest] = passedOver;
  if (first === undefined) {
    account.add({ kind: 'business-day', date }, `${subject} is a business day, so ${AIA} s 36(2) does not move it.`);
    return date;
  }
  const alsoSkipped = rest.length > 0 ? `, nor are ${rest.map(describeSkipped).join(', ')}` : '';
  const outcome =
    unit === 'days'
      ? `the period ends on the next business day, ${formatDate(day)}`
      : `the notice may be complied with on the next business day, ${formatDate(day)}`;
  account.add(
    { kind: 'roll-forward', from: date, to: day, days: passedOver },
    `${subject} is not a business day (${reasonsOf(first)})${alsoSkipped}; ${outcome} (${AIA} s 36(2)).`,
  );
  return day;
}

/**
 * The instant of the cut-off on `date`. A reading that occurs twice (clocks going back) is its first occurrence,
 * unless the notice was given between the two: then only the second is after the giving, and the period ends there
 * rather than before it began (a notice given at the second 02:00 with a cut-off of 02:01 that day).
 */
function cutOffOn(account: Account, cutOff: CutOff, date: string, givenAt: Date): Date {
  const { timeZone } = account;
  const [year, month, day] = datePartsOf(date);
  const endOfDay = cutOff === 'end-of-day';
  const wanted: WallTime = endOfDay
    ? { year, month, day, hour: 23, minute: 59, second: 59 }
    : { year, month, day, hour: cutOff.hour, minute: cutOff.minute, second: 0 };
  const first = instantOfWallTime(wanted, timeZone, endOfDay ? 999 : 0);
  const change = clockChangeAt(first, wanted, timeZone);
  const clockChange = change?.kind;
  const second = change?.kind === 'overlap' ? new Date(first.getTime() + change.repeatsAfterMs) : undefined;
  const givenBetween = second !== undefined && first <= givenAt && second > givenAt;
  const at = givenBetween ? second : first;

  const reading = `${pad(wanted.hour)}:${pad(wanted.minute)}`;
  const lead = endOfDay
    ? `Due at the end of ${formatDate(date)}`
    : `Due at the cut-off, ${reading} on ${formatDate(date)}`;
  const note =
    clockChange === 'gap'
      ? ` ${reading} does not occur that day because the clocks go forward; the cut-off moves forward by the change, to ${clockReading(at, timeZone)}.`
      : clockChange === 'overlap'
        ? givenBetween
          ? ` ${reading} occurs twice that day because the clocks go back, and the notice was given between the two: the second occurrence is used.`
          : ` ${reading} occurs twice that day because the clocks go back; the first occurrence is used.`
        : '';
  account.add(
    { kind: 'cut-off', date, cutOff, at, ...(clockChange ? { clockChange } : {}) },
    `${lead}: ${formatInstant(at, timeZone)} (${at.toISOString()}).${note}`,
  );
  return at;
}

function clockChangeAt(
  at: Date,
  wanted: WallTime,
  timeZone: string,
): { kind: 'gap' } | { kind: 'overlap'; repeatsAfterMs: number } | undefined {
  const same = (w: WallTime) =>
    w.year === wanted.year &&
    w.month === wanted.month &&
    w.day === wanted.day &&
    w.hour === wanted.hour &&
    w.minute === wanted.minute &&
    w.second === wanted.second;
  if (!same(wallTimeAt(at, timeZone))) return { kind: 'gap' };
  // Clocks go back by 30 minutes (Lord Howe Island) or an hour: a second reading follows the first by that much.
  const repeatsAfterMs = [HOUR_MS / 2, HOUR_MS].find((delta) =>
    same(wallTimeAt(new Date(at.getTime() + delta), timeZone)),
  );
  return repeatsAfterMs === undefined ? undefined : { kind: 'overlap', repeatsAfterMs };
}

class BusinessCalendar {
  constructor(
    private readonly holidays: HolidayCalendar,
    readonly weekend: number[],
  ) {}

  /** Why `date` is not a business day, or undefined when it is one. */
  nonBusinessDay(date: string): SkippedDay | undefined {
    const weekend = this.weekend.includes(isoWeekday(date));
    const holiday = this.holidays.holidayOn(date);
    if (!weekend && holiday === undefined) return undefined;
    return { date, weekend, ...(holiday === undefined ? {} : { holiday: holiday || 'public holiday' }) };
  }

  assertRun(length: number, date: string): void {
    if (length > MAX_CONSECUTIVE_NON_BUSINESS_DAYS) {
      throw new Error(
        `No business day in the ${MAX_CONSECUTIVE_NON_BUSINESS_DAYS} days up to ${date} (weekend ` +
          `${this.weekend.join(',')}; holidays: ${this.holidays.description}); the calendar is misconfigured.`,
      );
    }
  }
}

/** Collects steps and their text side by side, so the two can never drift apart. */
class Account {
  private readonly steps: DeadlineStep[] = [];
  private readonly lines: string[] = [];

  constructor(readonly timeZone: string) {}

  add(step: DeadlineStep, line: string): void {
    this.steps.push(step);
    this.lines.push(line);
  }

  result(dueAt: Date): Deadline {
    return { dueAt, explanation: [...this.lines], steps: [...this.steps] };
  }
}

const WeekendSchema = /* @__PURE__ */ (() =>
  z
    .array(z.number().check(z.int(), z.gte(1), z.lte(7)))
    .check(z.refine((days) => new Set(days).size < 7, 'must leave at least one business day in the week')))();

function parseInputs(input: DeadlineInput): DeadlineRule {
  const issues: FieldIssue[] = [];
  if (!isValidTimeZone(input.timeZone)) issues.push(timeZoneIssue(input.timeZone));
  if (!(input.givenAt instanceof Date) || Number.isNaN(input.givenAt.getTime())) {
    issues.push({ path: 'givenAt', message: 'must be a valid instant' });
  }
  const rule = DeadlineRuleSchema.safeParse(input.rule);
  if (!rule.success) {
    for (const issue of rule.error.issues) {
      issues.push({ path: ['rule', ...issue.path.map(String)].join('.'), message: issue.message });
    }
  }
  const weekend = WeekendSchema.safeParse(input.weekend ?? DEFAULT_WEEKEND);
  if (!weekend.success) {
    for (const issue of weekend.error.issues) {
      issues.push({ path: ['weekend', ...issue.path.map(String)].join('.'), message: issue.message });
    }
  }
  if (issues.length > 0 || !rule.success) throw new ValidationFailed(issues, 'The deadline rule is invalid.');
  return rule.data;
}

function assertTimeZone(timeZone: string): void {
  if (!isValidTimeZone(timeZone)) throw new ValidationFailed([timeZoneIssue(timeZone)]);
}

function timeZoneIssue(timeZone: string): FieldIssue {
  return { path: 'timeZone', message: `"${timeZone}" is not an IANA time zone such as "Australia/Sydney"` };
}

// Local dates are YYYY-MM-DD strings; arithmetic runs on UTC midnights, where every day has 24 hours.

function isIsoDate(date: string): boolean {
  if (!ISO_DATE.test(date)) return false;
  const [year, month, day] = datePartsOf(date);
  return toIsoDate(new Date(Date.UTC(year, month - 1, day))) === date;
}

function toIsoDate(utcMidnight: Date): string {
  return utcMidnight.toISOString().slice(0, 10);
}

/** Year, month and day of a YYYY-MM-DD date; every date reaching here has passed ISO_DATE or was made by toIsoDate. */
function datePartsOf(date: string): [year: number, month: number, day: number] {
  const [year, month, day] = date.split('-').map(Number);
  if (year === undefined || month === undefined || day === undefined) {
    throw new Error(`invariant: "${date}" is not a YYYY-MM-DD date`);
  }
  return [year, month, day];
}

function utcMidnightOf(date: string): Date {
  const [year, month, day] = datePartsOf(date);
  return new Date(Date.UTC(year, month - 1, day));
}

function plusDays(date: string, days: number): string {
  const d = utcMidnightOf(date);
  d.setUTCDate(d.getUTCDate() + days);
  return toIsoDate(d);
}

/** 1 = Monday … 7 = Sunday. */
function isoWeekday(date: string): number {
  return ((utcMidnightOf(date).getUTCDay() + 6) % 7) + 1;
}

function localDateOf(instant: Date, timeZone: string): string {
  const w = wallTimeAt(instant, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

// Text. Formatted by hand rather than with a locale, so the record reads the same wherever it is produced.

const WEEKDAYS = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const WEEKDAY_NAMES = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = ['', 'Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** "Tue 24 Nov 2026". */
function formatDate(date: string): string {
  const [year, month, day] = datePartsOf(date);
  return `${WEEKDAYS[isoWeekday(date)]} ${day} ${MONTHS[month]} ${year}`;
}

/** "Tue 24 Nov 2026, 14:00:00 AEDT"; milliseconds only when there are some ("23:59:59.999"). */
function formatInstant(instant: Date, timeZone: string): string {
  const w = wallTimeAt(instant, timeZone);
  const ms = ((instant.getTime() % 1000) + 1000) % 1000;
  const clock = `${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${ms ? `.${pad(ms, 3)}` : ''}`;
  return `${formatDate(`${w.year}-${pad(w.month)}-${pad(w.day)}`)}, ${clock} ${zoneName(instant, timeZone)}`;
}

const zoneNameFormatters = new Map<string, Intl.DateTimeFormat[]>();

/** The zone's short name ("AEDT", "BST", "EDT"), trying the locales that know it before falling back to "GMT+x". */
function zoneName(instant: Date, timeZone: string): string {
  let formatters = zoneNameFormatters.get(timeZone);
  if (!formatters) {
    formatters = ['en-AU', 'en-GB', 'en-US'].map(
      (locale) => new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' }),
    );
    zoneNameFormatters.set(timeZone, formatters);
  }
  const names = formatters.map(
    (f) => f.formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? timeZone,
  );
  // One name per formatter, and there are three, so the last fallback is never reached.
  return names.find((name) => !/^GMT[+-]/.test(name)) ?? names[0] ?? timeZone;
}

function reasonsOf(day: SkippedDay): string {
  return [...(day.weekend ? ['weekend'] : []), ...(day.holiday ? [day.holiday] : [])].join('; ');
}

/** "03:30 AEDT". */
function clockReading(instant: Date, timeZone: string): string {
  const w = wallTimeAt(instant, timeZone);
  return `${pad(w.hour)}:${pad(w.minute)} ${zoneName(instant, timeZone)}`;
}

function describeSkipped(day: SkippedDay): string {
  return `${formatDate(day.date)} (${reasonsOf(day)})`;
}

function weekendNames(weekend: number[]): string {
  const names = weekend.map((d) => `${WEEKDAY_NAMES[d]}s`);
  const last = names.pop();
  if (last === undefined) return 'no weekend days';
  return names.length === 0 ? last : `${names.join(', ')} and ${last}`;
}
