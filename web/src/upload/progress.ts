/**
 * Progress maths for uploads and hashing, kept pure so it is unit-tested: a speed that does not jump with every
 * progress event (a moving average over the last few seconds), the time left at that speed, and when a screen
 * reader should hear about progress (every 10 % or 15 s, not on every event).
 */

/** Speed over a sliding window of (time, bytes) samples; robust to bursts (XHR reports progress in spurts). */
export class SpeedMeter {
  private samples: { at: number; bytes: number }[] = [];

  constructor(private readonly windowMs = 5000) {}

  /** Records the running total of bytes sent at time `at` (ms). Totals may go down (a failed part is undone). */
  sample(at: number, bytes: number): void {
    this.samples.push({ at, bytes });
    const cutoff = at - this.windowMs;
    while (this.samples.length > 2 && (this.samples[1]?.at ?? at) <= cutoff) this.samples.shift();
  }

  /** Bytes per second over the window, or undefined until there is a second's worth of samples. */
  bytesPerSecond(): number | undefined {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.at - first.at < 1000) return undefined;
    return Math.max(0, (last.bytes - first.bytes) / ((last.at - first.at) / 1000));
  }

  /** After a pause or a lost connection: the old rate says nothing about the next one. */
  reset(): void {
    this.samples = [];
  }
}

/** Seconds left for `remaining` bytes at `bytesPerSecond`; undefined when the speed is not known or is zero. */
export function secondsLeft(remaining: number, bytesPerSecond: number | undefined): number | undefined {
  if (remaining <= 0) return 0;
  if (!bytesPerSecond || bytesPerSecond <= 0) return undefined;
  return Math.ceil(remaining / bytesPerSecond);
}

// One size convention across the portal (decimal units): the files step, the check page and the CLI agree.
import { formatBytes } from '../../../lambdas/domain/byte-size';

export { formatBytes };

export function formatSpeed(bytesPerSecond: number | undefined): string | undefined {
  return bytesPerSecond === undefined ? undefined : `${formatBytes(Math.round(bytesPerSecond))}/s`;
}

/** 75 → "1 minute 15 seconds"; hours and minutes only above an hour (seconds do not matter then). */
export function formatDuration(seconds: number): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (seconds < 60) return plural(seconds, 'second');
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    const rest = seconds % 60;
    return rest ? `${plural(minutes, 'minute')} ${plural(rest, 'second')}` : plural(minutes, 'minute');
  }
  const hours = Math.floor(minutes / 60);
  const restMinutes = minutes % 60;
  return restMinutes ? `${plural(hours, 'hour')} ${plural(restMinutes, 'minute')}` : plural(hours, 'hour');
}

/** Whole percent, never 100 before the last byte (a bar at 100 % that is still working is a lie). */
export function percent(done: number, total: number): number {
  if (total <= 0) return 100;
  if (done >= total) return 100;
  return Math.min(99, Math.floor((done / total) * 100));
}

/**
 * Decides when a polite live region speaks: when progress crosses the next 10 % step, or 15 s after the last
 * announcement if it moved at all — often enough to reassure, rarely enough not to drown out everything else.
 */
export class AnnouncePacer {
  private lastStep = -1;
  private lastAt = Number.NEGATIVE_INFINITY;
  private lastPercent = -1;

  constructor(
    private readonly stepPercent = 10,
    private readonly intervalMs = 15_000,
  ) {}

  /** True when `pct` at time `at` is worth announcing (and records that it was). */
  shouldAnnounce(pct: number, at: number): boolean {
    const step = Math.floor(pct / this.stepPercent);
    const due = step > this.lastStep || (pct !== this.lastPercent && at - this.lastAt >= this.intervalMs);
    if (!due) return false;
    this.lastStep = Math.max(this.lastStep, step);
    this.lastAt = at;
    this.lastPercent = pct;
    return true;
  }

  reset(): void {
    this.lastStep = -1;
    this.lastAt = Number.NEGATIVE_INFINITY;
    this.lastPercent = -1;
  }
}
