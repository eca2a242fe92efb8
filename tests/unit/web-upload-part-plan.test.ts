import { partRange, planParts, storedBytes, withPart } from '../../lambdas/domain/upload-parts';
import { matchFiles } from '../../web/src/upload/file-match';

const MIB = 1024 * 1024;

describe("the browser's multipart plan", () => {
  it('slices a file into parts of the portal’s size, the last one short', () => {
    expect(partRange(80 * MIB, 16 * MIB, 1)).toEqual({ start: 0, end: 16 * MIB, length: 16 * MIB });
    expect(partRange(70 * MIB, 16 * MIB, 5)).toEqual({ start: 64 * MIB, end: 70 * MIB, length: 6 * MIB });
  });

  it('sends only the parts the portal does not have, trusting its list over the local record', () => {
    // Prepare: 5 parts; this browser recorded 1–3, but the portal has 1, 2 and 4 (3 was lost, 4 finished unrecorded).
    const plan = planParts({
      fileSize: 80 * MIB,
      partSize: 16 * MIB,
      partCount: 5,
      recorded: [1, 2, 3].map((n) => ({ partNumber: n, etag: `"local-${n}"` })),
      stored: [1, 2, 4].map((n) => ({ partNumber: n, etag: `"s3-${n}"`, size: 16 * MIB })),
    });

    // Assess
    expect(plan.missing).toEqual([3, 5]);
    expect(plan.stored).toEqual([1, 2, 4].map((n) => ({ partNumber: n, etag: `"s3-${n}"` })));
  });

  it('resends a stored part cut short and ignores parts out of range', () => {
    const plan = planParts({
      fileSize: 40 * MIB,
      partSize: 16 * MIB,
      partCount: 3,
      recorded: [],
      stored: [
        { partNumber: 1, etag: '"a"', size: 10 },
        { partNumber: 3, etag: '"c"', size: 8 * MIB },
        { partNumber: 9, etag: '"z"', size: 16 * MIB },
      ],
    });
    expect(plan.missing).toEqual([1, 2]);
    expect(plan.stored).toEqual([{ partNumber: 3, etag: '"c"' }]);
  });

  it('falls back to the local record when the portal cannot list the parts', () => {
    const plan = planParts({
      fileSize: 48 * MIB,
      partSize: 16 * MIB,
      partCount: 3,
      recorded: [{ partNumber: 2, etag: '"b"' }],
    });
    expect(plan.missing).toEqual([1, 3]);
    expect(storedBytes(48 * MIB, 16 * MIB, plan.stored)).toBe(16 * MIB);
  });

  it('keeps finished parts in part order, replacing a part sent twice', () => {
    const parts = withPart(withPart([{ partNumber: 3, etag: '"c"' }], { partNumber: 1, etag: '"a"' }), {
      partNumber: 3,
      etag: '"c2"',
    });
    expect(parts).toEqual([
      { partNumber: 1, etag: '"a"' },
      { partNumber: 3, etag: '"c2"' },
    ]);
  });
});

describe('matching re-chosen files to the declared ones', () => {
  it('recognises the same files by name, size and time; a look-alike must be hashed; others are strangers', () => {
    // Prepare
    const declared = [
      { index: 0, name: 'a.pdf', size: 10, lastModified: 1 },
      { index: 1, name: 'b.pdf', size: 20, lastModified: 2 },
      { index: 2, name: 'c.pdf', size: 30 },
      { index: 3, name: 'd.pdf', size: 40, lastModified: 4 },
    ];
    const chosen = [
      { name: 'b.pdf', size: 20, lastModified: 99 },
      { name: 'a.pdf', size: 10, lastModified: 1 },
      { name: 'c.pdf', size: 30, lastModified: 3 },
      { name: 'e.pdf', size: 50, lastModified: 5 },
    ];

    // Act
    const result = matchFiles(declared, chosen);

    // Assess
    expect(result.matches.map((m) => [m.index, m.file.name, m.certain])).toEqual([
      [0, 'a.pdf', true],
      [1, 'b.pdf', false],
      [2, 'c.pdf', false],
    ]);
    expect(result.unmatched).toEqual([3]);
    expect(result.strangers.map((f) => f.name)).toEqual(['e.pdf']);
  });
});
