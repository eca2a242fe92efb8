import { csvCell, toCsv } from '../../web/src/components/csv';
import { instantToWallTime, wallTimeToInstant } from '../../web/src/components/zoned-time';

describe('the notices CSV export', () => {
  it('quotes every cell and doubles quotes inside it', () => {
    expect(csvCell('Notice "A", part 1')).toBe('"Notice ""A"", part 1"');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(undefined)).toBe('""');
  });

  it('prefixes cells a spreadsheet would run as a formula with a quote', () => {
    for (const risky of ['=HYPERLINK("x")', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx']) {
      expect(csvCell(risky).startsWith(`"'`)).toBe(true);
    }
    expect(csvCell('ntc_123')).toBe('"ntc_123"');
  });

  it('writes a header row then one CRLF-terminated row per notice', () => {
    expect(toCsv(['Id', 'Title'], [['ntc_1', '=cmd']])).toBe('"Id","Title"\r\n"ntc_1","\'=cmd"\r\n');
  });
});

describe('wall times in the notice’s zone', () => {
  it('reads a datetime-local value in the named zone, across daylight saving', () => {
    expect(wallTimeToInstant('2026-07-01T17:00', 'Australia/Sydney')).toBe('2026-07-01T07:00:00.000Z');
    expect(wallTimeToInstant('2026-12-01T17:00', 'Australia/Sydney')).toBe('2026-12-01T06:00:00.000Z');
    expect(wallTimeToInstant('not a time', 'UTC')).toBeUndefined();
  });

  it('turns an instant back into the same wall time', () => {
    expect(instantToWallTime('2026-12-01T06:00:00.000Z', 'Australia/Sydney')).toBe('2026-12-01T17:00');
  });
});
