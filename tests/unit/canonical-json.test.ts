import { canonicalJson } from '../../lambdas/domain/canonical-json';

/** The IEEE 754 double with the given bit pattern, as RFC 8785 Appendix B lists its test values. */
function double(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

describe('canonicalJson', () => {
  it('sorts object keys and leaves no whitespace', () => {
    // Prepare
    const value = { title: 'Notice', platformId: 'x-corp', amount: 1 };

    // Act
    const text = canonicalJson(value);

    // Assess
    expect(text).toBe('{"amount":1,"platformId":"x-corp","title":"Notice"}');
  });

  it('gives the same text whatever order the keys were written in', () => {
    // Prepare
    const one = { a: 1, b: { c: [1, 2], d: 'x' } };
    const other = { b: { d: 'x', c: [1, 2] }, a: 1 };

    // Act
    const texts = [canonicalJson(one), canonicalJson(other)];

    // Assess
    expect(texts[0]).toBe(texts[1]);
  });

  it('sorts keys by UTF-16 code units, as in the RFC 8785 example', () => {
    // Prepare: RFC 8785 section 3.2.3.
    const value = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };

    // Act
    const keys = [...canonicalJson(value).matchAll(/"((?:[^"\\]|\\.)*)":/g)].map((m) => JSON.parse(`"${m[1]}"`));

    // Assess
    expect(keys).toEqual(['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
  });

  it('canonicalises the RFC 8785 sample object', () => {
    // Prepare: RFC 8785 section 3.2.2, parsed from its JSON text.
    const input = String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`;

    // Act
    const text = canonicalJson(JSON.parse(input));

    // Assess
    expect(text).toBe(
      String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
    );
  });

  it('keeps array order and canonicalises objects nested inside arrays', () => {
    // Prepare
    const value = { items: [{ z: 1, a: [3, 2, 1] }, [{ y: true, b: null }], 'last'] };

    // Act
    const text = canonicalJson(value);

    // Assess
    expect(text).toBe('{"items":[{"a":[3,2,1],"z":1},[{"b":null,"y":true}],"last"]}');
  });

  it('drops undefined members of objects, as JSON.stringify does', () => {
    // Prepare
    const value = { reason: undefined, kind: 'issued', data: { dueAt: undefined } };

    // Act
    const text = canonicalJson(value);

    // Assess
    expect(text).toBe('{"data":{},"kind":"issued"}');
  });

  it('writes undefined array elements as null, as JSON.stringify does', () => {
    // Act
    const text = canonicalJson([1, undefined, 3]);

    // Assess
    expect(text).toBe('[1,null,3]');
  });

  it.each([
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ])('writes the double 0x%s as %s (RFC 8785 Appendix B)', (bits, expected) => {
    // Act
    const text = canonicalJson({ n: double(bits) });

    // Assess
    expect(text).toBe(`{"n":${expected}}`);
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
  ])('refuses %s, which JSON cannot represent', (_name, value) => {
    // Act
    const attempt = () => canonicalJson({ data: { amounts: [1, value] } });

    // Assess
    expect(attempt).toThrow(TypeError);
  });
});
