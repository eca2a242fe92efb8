import fc from 'fast-check';

/**
 * Hostile building blocks for the route fuzzer: leaf values to put where a valid-shaped body has a string or a
 * number, whole bodies that are not what any route takes, header values, path segments and query strings.
 */

/** Strings a text field should refuse or survive: control characters, lone surrogates, odd unicode, huge. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\u0007\u001b[31mred',
    '\ud800',
    'x\udfffy',
    '\ufffd',
    '\u202eevil',
    '\u200b',
    '\ufeffbom',
    '𝕳𝖊𝖑𝖑𝖔',
    '👩‍👩‍👧‍👦',
    'e\u0301',
    '<script>alert(1)</script>',
    "'; DROP TABLE notices; --",
    '${jndi:ldap://x}',
    '../../etc/passwd',
    '%00',
    '__proto__',
    'constructor',
    'NaN',
    'Infinity',
    '-0',
    '1e308',
    '0x10',
    '9007199254740993',
    'null',
    'true',
    '2026-02-30T00:00:00Z',
    '9999-12-31T23:59:59.999999999Z',
    '0000-01-01T00:00:00Z',
    'ntc_00000000000000000000000000',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 8 }),
  fc.integer({ min: 200, max: 70_000 }).map((n) => 'A'.repeat(n)),
  fc.integer({ min: 1, max: 30 }).map((n) => '\ud83d'.repeat(n)),
);

/** Numbers at and past the boundaries (JSON can carry all of these but NaN and the infinities). */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    -1,
    0.5,
    1e308,
    -1e308,
    5e-324,
    2 ** 53,
    2 ** 53 + 1,
    -(2 ** 53) - 1,
    2 ** 31,
    2 ** 32,
    10_001,
    Number.MAX_VALUE,
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** A value of the wrong JSON type for almost any field. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.constant({ __proto__: { admin: true } }),
  fc.jsonValue({ maxDepth: 2 }),
);

export const hostileLeaf: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 3, arbitrary: hostileNumber },
  { weight: 2, arbitrary: wrongType },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 2_000 }).map((depth) => nested(depth)) },
);

/** `[[[…]]]` or `{"a":{"a":…}}` `depth` levels deep. */
export function nested(depth: number, kind: 'array' | 'object' = 'array'): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
}

/** Raw request bodies that are not valid JSON text, or not text at all. */
export const malformedBody: fc.Arbitrary<Buffer> = fc.oneof(
  fc
    .constantFrom(
      '{',
      '{"a":',
      '{"a":1,}',
      "{'a':1}",
      '{a:1}',
      '[1,2',
      'NaN',
      '{"a":NaN}',
      '{"a":Infinity}',
      '{"a":-Infinity}',
      '{"a":01}',
      '{"a":1e999}',
      '{"a":-1e999}',
      '{"a":0x10}',
      '{"a":"\\x41"}',
      '{"a":"\\ud800"}',
      '{"a":"\\u0000"}',
      '{"a":"unterminated}',
      'undefined',
      'null',
      'true',
      '0',
      '-0',
      '"string"',
      '[]',
      '\ufeff{}',
      '{}garbage',
      '{} {}',
      '/* comment */ {}',
      '{"__proto__":{"polluted":true}}',
      '{"constructor":{"prototype":{"polluted":true}}}',
    )
    .map((s) => Buffer.from(s, 'utf8')),
  // Invalid UTF-8: a lone continuation byte, an overlong encoding, a truncated sequence, a UTF-16 surrogate in UTF-8.
  fc
    .constantFrom(
      [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0x80, 0x22, 0x7d],
      [0xc0, 0xaf],
      [0xe2, 0x82],
      [0xed, 0xa0, 0x80],
    )
    .map((bytes) => Buffer.from(bytes)),
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  // Deep nesting as text: far past what a hand-written recursive walk survives.
  fc.integer({ min: 1_000, max: 20_000 }).map((depth) => Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`)),
  fc.integer({ min: 1_000, max: 10_000 }).map((depth) => Buffer.from(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)),
);

/** Bodies past the 64 KiB handler limit, as valid JSON so only the size can be what is refused. */
export const hugeBody: fc.Arbitrary<Buffer> = fc
  .constantFrom(64 * 1024 + 1, 200_000, 1024 * 1024)
  .map((size) => Buffer.from(JSON.stringify({ reason: 'r'.repeat(size) })));

/** Content types other than JSON, and JSON-looking ones the handler must not take for JSON. */
export const wrongContentType: fc.Arbitrary<string | undefined> = fc.constantFrom(
  undefined,
  '',
  'text/plain',
  'text/html',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/octet-stream',
  'application/jsonx',
  'json',
  '*/*',
);

/** Path segments that are not ids: long, unicode, traversal, encoded separators, bad percent-encoding. */
export const hostilePathSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '..',
    '.',
    '%2e%2e',
    '..%2f..%2fetc%2fpasswd',
    '%2F',
    '%00',
    '%',
    '%zz',
    '%E0%A4%A',
    '%ED%A0%80',
    '%C0%AF',
    '%F0%9F%92%A9',
    '%20',
    'ntc_',
    'NTC_00000000000000000000000000',
    'ntc_0000000000000000000000000I',
    'sub_00000000000000000000000000',
    '-1',
    '1e3',
    '0x1',
    '01',
    'NaN',
    'Infinity',
    '9007199254740993',
    '__proto__',
    'constructor',
    'counts',
  ),
  fc.integer({ min: 100, max: 5_000 }).map((n) => 'a'.repeat(n)),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).map(encodeURIComponent),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }).map(encodeURIComponent),
);

/** Query strings: repeated keys, unknown keys, bad encodings, boundary numbers, huge values. */
export const hostileQuery: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'limit=0',
    'limit=-1',
    'limit=1e308',
    'limit=NaN',
    'limit=101',
    'limit=1.5',
    'limit=9007199254740993',
    'limit=1&limit=2',
    'cursor=',
    'cursor=%',
    'cursor=%E0%A4%A',
    'cursor=eyJhIjoxfQ',
    'cursor=AAAA',
    'status=lost',
    'status=issued&status=draft',
    'dueBefore=tomorrow',
    'dueBefore=2026-02-30T00:00:00Z',
    'platformId=..%2F',
    'platformId=%00',
    '__proto__=1',
    'constructor=1',
    '=',
    '&&&',
    'a=%ED%A0%80',
  ),
  fc
    .dictionary(
      fc.constantFrom('limit', 'cursor', 'status', 'dueBefore', 'platformId', 'after', 'x'),
      fc.oneof(hostileString, hostileNumber.map(String)),
      { maxKeys: 3 },
    )
    .map((entries) => new URLSearchParams(entries as Record<string, string>).toString())
    .filter((q) => q.length < 20_000),
);
