import { CLOCK_SKEW_TOLERANCE_MS, signingClock } from '../../cli/portal-clock';

const DAY = 24 * 60 * 60 * 1000;

describe('the time the CLI signs with', () => {
  it("uses this machine's clock, silently, while the portal's is within the tolerance or unknown", () => {
    const notes: string[] = [];
    const near = signingClock(
      () => CLOCK_SKEW_TOLERANCE_MS - 1000,
      (n) => notes.push(n),
    );
    const unknown = signingClock(
      () => undefined,
      (n) => notes.push(n),
    );

    const before = Date.now();
    const times = [near.now().getTime(), unknown.now().getTime()];

    for (const t of times) expect(Math.abs(t - before)).toBeLessThan(1000);
    expect(notes).toEqual([]);
  });

  it("uses the portal's time when it is 22 days ahead, and says so once", () => {
    const notes: string[] = [];
    const clock = signingClock(
      () => 22 * DAY,
      (n) => notes.push(n),
    );

    const first = clock.now().getTime();
    clock.now();

    expect(Math.abs(first - (Date.now() + 22 * DAY))).toBeLessThan(1000);
    expect(notes).toEqual([
      "The portal's clock is 22 d ahead of this machine's (a development portal with a moved clock?); signing with the portal's time.",
    ]);
  });

  it("follows a portal clock that is behind this machine's", () => {
    const notes: string[] = [];
    const clock = signingClock(
      () => -(2 * 60 + 5) * 60_000,
      (n) => notes.push(n),
    );

    expect(Math.abs(clock.now().getTime() - (Date.now() - 125 * 60_000))).toBeLessThan(1000);
    expect(notes[0]).toContain("The portal's clock is 2 h 5 min behind this machine's");
  });
});
