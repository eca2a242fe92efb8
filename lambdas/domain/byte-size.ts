/**
 * File sizes in words, one convention everywhere a person reads them (web pages, the CLI, receipts shown): decimal
 * units as file managers and S3's console show them (1 kB = 1,000 bytes), one decimal. A record states the exact
 * byte count; `formatBytesExact` adds it. Pure, so the CLI and the browser share it.
 */
const UNITS = ['kB', 'MB', 'GB', 'TB'] as const;

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  // 999.95 kB would round to "1000.0 kB": say "1.0 MB" instead.
  if (value >= 999.95 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** "73.4 MB (73,400,320 bytes)": for what a record states, where the exact size is evidence. */
export function formatBytesExact(bytes: number): string {
  return bytes < 1000 ? formatBytes(bytes) : `${formatBytes(bytes)} (${bytes.toLocaleString('en-AU')} bytes)`;
}
