import * as z from '../../lambdas/domain/zod';

describe("the portal's zod (zod/mini)", () => {
  it('answers in English, as the classic API does', () => {
    // Act
    const result = z.strictObject({ name: z.string().check(z.maxLength(3)) }).safeParse({ name: 'four', extra: 1 });

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message).sort()).toEqual([
      'Too big: expected string to have <=3 characters',
      'Unrecognized key: "extra"',
    ]);
  });

  describe('described', () => {
    it('registers the metadata on a copy, leaving the original as it was', () => {
      // Arrange
      const original = z.string();

      // Act
      const copy = z.described(original, { description: 'a name' });

      // Assess
      expect(copy).not.toBe(original);
      expect(z.globalRegistry.get(copy)).toEqual({ description: 'a name' });
      expect(z.globalRegistry.get(original)).toBeUndefined();
      expect(copy.safeParse('x').success).toBe(true);
      expect(copy.safeParse(1).success).toBe(false);
    });

    it("inherits the original's metadata but not its id, as the classic .meta() did", () => {
      // Arrange
      const named = z.described(z.string(), { id: 'Named', description: 'first', examples: ['a'] });

      // Act
      const copy = z.described(named, { description: 'second' });

      // Assess
      expect(z.globalRegistry.get(copy)).toEqual({ description: 'second', examples: ['a'] });
      expect(z.globalRegistry.get(named)).toEqual({ id: 'Named', description: 'first', examples: ['a'] });
    });
  });

  describe('strict', () => {
    it('refuses unknown keys and keeps the checks of the object it is given', () => {
      // Arrange: an object with a check of its own
      const loose = z
        .object({ from: z.number(), to: z.number() })
        .check(z.refine((range) => range.from <= range.to, { message: 'must not end before it starts', path: ['to'] }));

      // Act
      const strict = z.strict(loose);

      // Assess
      expect(strict.safeParse({ from: 1, to: 2 }).success).toBe(true);
      expect(strict.safeParse({ from: 1, to: 2, extra: true }).error?.issues[0]?.code).toBe('unrecognized_keys');
      expect(strict.safeParse({ from: 2, to: 1 }).error?.issues[0]?.message).toBe('must not end before it starts');
      expect(loose.safeParse({ from: 1, to: 2, extra: true }).success).toBe(true);
    });
  });
});
