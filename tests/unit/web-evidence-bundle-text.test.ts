import { bundleProgressText, bundleSizeText } from '../../web/src/components/notice/evidence-bundle-text';

/** What the notice page's evidence-bundle section says while a bundle is built and once it is ready. */
describe('the evidence bundle section’s words', () => {
  it('counts entries, not files, while building (records are entries too), with the bytes written', () => {
    expect(bundleProgressText({ entriesWritten: 7, bytesWritten: 25_165_824 })).toBe(
      'Building the evidence bundle: 7 entries (25.2 MB) written so far.',
    );
    expect(bundleProgressText({ entriesWritten: 1, bytesWritten: 0 })).toBe(
      'Building the evidence bundle: 1 entry (0 bytes) written so far.',
    );
  });

  it('writes sizes in decimal units, as the rest of the portal and the CLI do (200,018,805 bytes is 200.0 MB)', () => {
    expect(bundleSizeText(200_018_805)).toBe('200.0 MB');
    expect(bundleSizeText(12_398)).toBe('12.4 kB');
  });
});
