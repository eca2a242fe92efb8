import type { Io } from './io';

/**
 * One progress line per file on stderr. On a terminal it is redrawn in place (at most ten times a second); in a
 * CI log, where `\r` only makes a mess, a line is printed at every 10 %, so a 5 GiB upload leaves 10 lines.
 */
export class ProgressBar {
  private done = 0;
  private readonly startedAt = Date.now();
  /** Bytes that were already there when this run started; not counted in the speed. */
  private readonly initial: number;
  private lastDraw = 0;
  private lastDecile = -1;
  private finished = false;
  private readonly quiet: boolean;

  constructor(
    private readonly io: Io,
    private readonly label: string,
    private readonly total: number,
    options: { initial?: number; quiet?: boolean } = {},
  ) {
    this.initial = options.initial ?? 0;
    this.done = this.initial;
    this.quiet = options.quiet ?? false;
    if (!this.quiet && !io.stderrIsTty) this.lastDecile = Math.floor(this.percent() / 10);
    this.draw(true);
  }

  /** Adds (or, after a failed attempt, takes back) transferred bytes. */
  add(bytes: number): void {
    this.done = Math.max(0, Math.min(this.total, this.done + bytes));
    this.draw(false);
  }

  finish(note = 'done'): void {
    if (this.finished) return;
    this.finished = true;
    this.done = this.total;
    if (this.quiet) return;
    const seconds = (Date.now() - this.startedAt) / 1000;
    const line = `${this.prefix()} 100%  ${note}${this.done > this.initial ? ` in ${seconds.toFixed(1)} s, ${this.speed()}` : ''}`;
    this.io.err(this.io.stderrIsTty ? `\r\x1b[2K${line}\n` : `${line}\n`);
  }

  /** Leaves the line as it is (an error follows on the next line). */
  abandon(): void {
    if (this.finished) return;
    this.finished = true;
    if (!this.quiet && this.io.stderrIsTty) this.io.err('\n');
  }

  private draw(first: boolean): void {
    if (this.quiet || this.finished) return;
    const percent = this.percent();
    if (this.io.stderrIsTty) {
      const now = Date.now();
      if (!first && now - this.lastDraw < 100) return;
      this.lastDraw = now;
      const width = 24;
      const filled = Math.round((percent / 100) * width);
      const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
      this.io.err(`\r\x1b[2K${this.prefix()} ${bar} ${String(Math.floor(percent)).padStart(3)}%  ${this.speed()}`);
      return;
    }
    const decile = Math.floor(percent / 10);
    if (first) {
      this.io.err(`${this.prefix()} ${String(Math.floor(percent)).padStart(3)}%  started\n`);
    } else if (decile > this.lastDecile && decile < 10) {
      this.lastDecile = decile;
      this.io.err(`${this.prefix()} ${String(decile * 10).padStart(3)}%  ${this.speed()}\n`);
    }
  }

  private percent(): number {
    return this.total === 0 ? 100 : (this.done / this.total) * 100;
  }

  private speed(): string {
    const seconds = Math.max((Date.now() - this.startedAt) / 1000, 0.001);
    return `${((this.done - this.initial) / 1024 ** 2 / seconds).toFixed(1)} MiB/s`;
  }

  private prefix(): string {
    const name = this.label.length > 32 ? `${this.label.slice(0, 31)}…` : this.label;
    return name.padEnd(32);
  }
}
