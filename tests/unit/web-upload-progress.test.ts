import {
  AnnouncePacer,
  formatBytes,
  formatDuration,
  percent,
  SpeedMeter,
  secondsLeft,
} from '../../web/src/upload/progress';

describe('upload progress maths', () => {
  it('averages the speed over the last few seconds, not since the start', () => {
    // Prepare: a slow first 10 s (100 B/s), then 10 s at 1 000 B/s.
    const meter = new SpeedMeter(5000);
    for (let t = 0; t <= 10_000; t += 500) meter.sample(t, t / 10);
    for (let t = 10_500; t <= 20_000; t += 500) meter.sample(t, 1000 + (t - 10_000));

    // Act / Assess: the window sees only the fast part.
    expect(meter.bytesPerSecond()).toBeCloseTo(1000, 0);
  });

  it('knows no speed before a second of samples, nor after a reset', () => {
    const meter = new SpeedMeter();
    meter.sample(0, 0);
    meter.sample(400, 1000);
    expect(meter.bytesPerSecond()).toBeUndefined();
    meter.sample(2000, 4000);
    expect(meter.bytesPerSecond()).toBe(2000);
    meter.reset();
    expect(meter.bytesPerSecond()).toBeUndefined();
  });

  it('works out the time left, or says it cannot', () => {
    expect(secondsLeft(10_000, 1000)).toBe(10);
    expect(secondsLeft(10_001, 1000)).toBe(11);
    expect(secondsLeft(0, undefined)).toBe(0);
    expect(secondsLeft(5, undefined)).toBeUndefined();
    expect(secondsLeft(5, 0)).toBeUndefined();
  });

  it('never shows 100 % before the last byte', () => {
    expect(percent(0, 100)).toBe(0);
    expect(percent(999, 1000)).toBe(99);
    expect(percent(1000, 1000)).toBe(100);
    expect(percent(0, 0)).toBe(100);
  });

  it('writes sizes and durations for people', () => {
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(999)).toBe('999 bytes');
    expect(formatBytes(1536)).toBe('1.5 kB');
    expect(formatBytes(999_960)).toBe('1.0 MB');
    expect(formatBytes(73_400_320)).toBe('73.4 MB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.4 GB');
    expect(formatDuration(1)).toBe('1 second');
    expect(formatDuration(75)).toBe('1 minute 15 seconds');
    expect(formatDuration(120)).toBe('2 minutes');
    expect(formatDuration(3 * 3600 + 65)).toBe('3 hours 1 minute');
  });

  it('announces every 10 % step, and otherwise at most every 15 s while progress moves', () => {
    const pacer = new AnnouncePacer();
    expect(pacer.shouldAnnounce(0, 0)).toBe(true);
    expect(pacer.shouldAnnounce(4, 1000)).toBe(false);
    expect(pacer.shouldAnnounce(10, 2000)).toBe(true);
    expect(pacer.shouldAnnounce(12, 3000)).toBe(false);
    expect(pacer.shouldAnnounce(13, 17_000)).toBe(true);
    // No movement, no repeat.
    expect(pacer.shouldAnnounce(13, 40_000)).toBe(false);
    expect(pacer.shouldAnnounce(35, 41_000)).toBe(true);
  });
});
