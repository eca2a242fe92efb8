/**
 * NSW public holidays 2026–2027 as date-holidays 3.37.0 lists them, counting the `public` kind only: the fixed
 * calendar of the deadline engine's tests (tests/unit/deadline-engine.test.ts), which
 * tests/unit/public-holidays.test.ts checks against the library. Anzac Day 2026 (Sat) and 2027 (Sun) each have an
 * additional Monday, gazetted for those two years.
 */
export const NSW_PUBLIC_HOLIDAYS_2026_2027: Readonly<Record<string, string>> = {
  '2026-01-01': "New Year's Day",
  '2026-01-26': 'Australia Day',
  '2026-04-03': 'Good Friday',
  '2026-04-04': 'Easter Saturday',
  '2026-04-05': 'Easter Sunday',
  '2026-04-06': 'Easter Monday',
  '2026-04-25': 'Anzac Day',
  '2026-04-27': 'Anzac Day (substitute day)',
  '2026-06-08': "King's Birthday",
  '2026-10-05': 'Labour Day',
  '2026-12-25': 'Christmas Day',
  '2026-12-26': 'Boxing Day',
  '2026-12-28': 'Boxing Day (substitute day)',
  '2027-01-01': "New Year's Day",
  '2027-01-26': 'Australia Day',
  '2027-03-26': 'Good Friday',
  '2027-03-27': 'Easter Saturday',
  '2027-03-28': 'Easter Sunday',
  '2027-03-29': 'Easter Monday',
  '2027-04-25': 'Anzac Day',
  '2027-04-26': 'Anzac Day (substitute day)',
  '2027-06-14': "King's Birthday",
  '2027-10-04': 'Labour Day',
  '2027-12-25': 'Christmas Day',
  '2027-12-26': 'Boxing Day',
  '2027-12-27': 'Christmas Day (substitute day)',
  '2027-12-28': 'Boxing Day (substitute day)',
};
