import { formatBytes, formatBytesExact } from '../../lambdas/domain/byte-size';

describe('file sizes in words (web pages and the CLI alike)', () => {
  it('uses decimal units with one decimal, and states the exact count where a record shows a size', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1000)).toBe('1.0 kB');
    expect(formatBytes(1_000_000_000_000_000)).toBe('1000.0 TB');
    expect(formatBytesExact(31)).toBe('31 bytes');
    expect(formatBytesExact(73_400_320)).toBe('73.4 MB (73,400,320 bytes)');
  });
});
