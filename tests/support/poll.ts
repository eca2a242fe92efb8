/**
 * Reads `probe` until `settled` accepts what it returned or `timeoutMs` has passed, and returns the last reading,
 * so a test waits for the state it needs instead of sleeping a guessed time, and still asserts on the reading
 * (a deadline that passes shows up as the assertion's own failure, with what was seen).
 */
export async function pollUntil<T>(
  probe: () => T | Promise<T>,
  settled: (reading: T) => boolean,
  { timeoutMs = 5_000, intervalMs = 10 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let reading = await probe();
  while (!settled(reading) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    reading = await probe();
  }
  return reading;
}
