import fc from 'fast-check';
import { firstDuplicateKey } from '../../lambdas/http/duplicate-keys';

describe('firstDuplicateKey', () => {
  it.each([
    ['{"a":1,"a":2}', { path: [], key: 'a' }],
    ['{"a":{"b":1,"c":[{"d":1},{"e":1,"e":2}]}}', { path: ['a', 'c', 1], key: 'e' }],
    ['[{"x":1},[{"y":1,"y":1}]]', { path: [1, 0], key: 'y' }],
    // The same key once decoded: an escape is no way around the check.
    ['{"a":1,"\\u0061":2}', { path: [], key: 'a' }],
    ['{"a\\"b":1,"a\\"b":2}', { path: [], key: 'a"b' }],
    ['{"":1,"":2}', { path: [], key: '' }],
  ])('finds the repeated key in %s', (json, expected) => {
    expect(firstDuplicateKey(json)).toEqual(expected);
  });

  it.each([
    '{"a":"a","b":"a"}',
    '{"a":{"a":{"a":1}}}',
    '[{"a":1},{"a":1}]',
    '{"a":["a","a"],"b":"{\\"a\\":1,\\"a\\":2}"}',
    '"{\\"a\\":1,\\"a\\":2}"',
    '{"a" : 1 , "b" : { } , "c" : [ ] }',
    '{}',
    '[]',
    '1',
  ])('accepts %s: values, nesting and strings that look like keys are not repeats', (json) => {
    expect(firstDuplicateKey(json)).toBeUndefined();
  });

  it('follows 30,000 levels of nesting without recursion', () => {
    const deep = `${'{"a":['.repeat(30_000)}1${']}'.repeat(30_000)}`;
    expect(firstDuplicateKey(deep)).toBeUndefined();
    expect(firstDuplicateKey(`${'['.repeat(30_000)}{"k":1,"k":2}${']'.repeat(30_000)}`)?.key).toBe('k');
  });

  it('never reports a repeat in what JSON.stringify writes, whatever the value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(firstDuplicateKey(JSON.stringify(value))).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});

describe('firstDuplicateKey on generated bodies', () => {
  it('finds a key written twice into any object, at its path', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 }),
        fc.array(fc.string({ minLength: 1 }), { maxLength: 4 }),
        (object, outer) => {
          const [key] = Object.keys(object) as [string];
          const inner = `${JSON.stringify(object).slice(0, -1)},${JSON.stringify(key)}:null}`;
          const json = outer.reduceRight((body, name) => `{${JSON.stringify(name)}:${body}}`, inner);
          expect(firstDuplicateKey(json)).toEqual({ path: outer, key });
        },
      ),
      { numRuns: 300 },
    );
  });
});
