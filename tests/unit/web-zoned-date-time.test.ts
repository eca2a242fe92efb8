import { fromZonedInputValue, toZonedInputValue } from '../../web/src/components/form/zoned-date-time';

/** Due times are typed on the notice's clocks (its time zone), whatever zone the browser is in. */
describe('due-time fields typed in the notice time zone', () => {
  it('reads a typed time as clocks in the notice zone read it', () => {
    expect(fromZonedInputValue('2026-12-24T17:00', 'Australia/Sydney')).toBe('2026-12-24T06:00:00.000Z');
    expect(fromZonedInputValue('2026-06-24T17:00', 'Australia/Sydney')).toBe('2026-06-24T07:00:00.000Z');
    expect(fromZonedInputValue('2026-12-24T17:00', 'Europe/Dublin')).toBe('2026-12-24T17:00:00.000Z');
  });

  it('shows an instant in the notice zone, the way the input expects it', () => {
    expect(toZonedInputValue('2026-12-24T06:00:00.000Z', 'Australia/Sydney')).toBe('2026-12-24T17:00');
    expect(toZonedInputValue('2026-12-24T06:00:00.000Z', 'Australia/Perth')).toBe('2026-12-24T14:00');
  });

  it('gives nothing for text that is not a date and time', () => {
    expect(fromZonedInputValue('', 'Australia/Sydney')).toBeUndefined();
    expect(fromZonedInputValue('24/12/2026 5pm', 'Australia/Sydney')).toBeUndefined();
    expect(fromZonedInputValue('2026-13-01T10:00', 'Australia/Sydney')).toBeUndefined();
  });
});
