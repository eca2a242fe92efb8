import { countdown } from '../../web/src/components/notice/countdown';

describe("the notice page's live countdown", () => {
  const due = '2026-12-10T12:00:00.000Z';
  it('counts down to the second within a day', () => {
    expect(countdown(due, new Date('2026-12-10T09:58:55.400Z'))).toEqual({
      text: '2 hours 1 minute 4 seconds left',
      overdue: false,
    });
  });
  it('drops seconds when days remain, and keeps zero units after the first', () => {
    expect(countdown(due, new Date('2026-12-08T12:00:30.000Z')).text).toBe('1 day 23 hours 59 minutes left');
    expect(countdown(due, new Date('2026-12-07T12:00:00.000Z')).text).toBe('3 days 0 hours 0 minutes left');
  });
  it('says how long ago the due time passed', () => {
    expect(countdown(due, new Date('2026-12-10T12:00:07.000Z'))).toEqual({
      text: 'Overdue by 7 seconds',
      overdue: true,
    });
    expect(countdown(due, new Date(due))).toEqual({ text: 'Overdue by 0 seconds', overdue: true });
  });
});
