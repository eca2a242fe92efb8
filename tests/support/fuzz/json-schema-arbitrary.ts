import fc from 'fast-check';
import * as z from 'zod';

/**
 * Valid-shaped values for a zod schema, through its JSON Schema (the same `z.toJSONSchema` conversion the OpenAPI
 * document publishes), so the fuzzer generates from what the API says it accepts. Shape-faithful, not
 * validity-faithful: patterns the generator cannot honour fall back to plain text, and cross-field rules are not
 * known at all. Whether a generated value is valid is decided by the zod schema itself (see route-cases.ts), never
 * by this generator.
 */
export type JsonSchema = Record<string, unknown> & {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
};

/** The JSON Schema of a zod schema as clients see it (`io: 'input'`), with its `$defs`. */
export function inputJsonSchema(schema: z.core.$ZodType): JsonSchema {
  return z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

/** Long strings and arrays are capped: the point is shape, and huge values are the hostile generators' job. */
const MAX_GENERATED_CHARS = 64;
const MAX_GENERATED_ITEMS = 3;

export function arbitraryFor(root: JsonSchema): fc.Arbitrary<unknown> {
  const defs = root.$defs ?? {};
  const cache = new Map<string, fc.Arbitrary<unknown>>();
  const build = (schema: JsonSchema, depth: number): fc.Arbitrary<unknown> => {
    if (schema.$ref) {
      const name = schema.$ref.replace(/^#\/\$defs\//, '');
      const cached = cache.get(name);
      if (cached) return cached;
      const def = defs[name];
      if (!def) return fc.constant({});
      // Recursive schemas (none today) stop growing at a fixed depth.
      const built = depth > 6 ? fc.constant({}) : build(def, depth + 1);
      cache.set(name, built);
      return built;
    }
    if ('const' in schema) return fc.constant(schema.const);
    if (schema.enum) return fc.constantFrom(...schema.enum);
    const alternatives = schema.anyOf ?? schema.oneOf;
    if (alternatives?.length) return fc.oneof(...alternatives.map((s) => build(s, depth + 1)));
    if (schema.allOf?.length) return build(Object.assign({}, ...schema.allOf), depth + 1);
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    switch (type) {
      case 'object':
        return objectArbitrary(schema, (s) => build(s, depth + 1));
      case 'array': {
        const minLength = schema.minItems ?? 0;
        const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? MAX_GENERATED_ITEMS, MAX_GENERATED_ITEMS));
        return fc.array(build(schema.items ?? {}, depth + 1), { minLength, maxLength });
      }
      case 'string':
        return stringArbitrary(schema);
      case 'integer':
        return fc.integer({
          min: Math.max(schema.minimum ?? -1_000_000, Number.MIN_SAFE_INTEGER),
          max: Math.min(schema.maximum ?? 1_000_000, Number.MAX_SAFE_INTEGER),
        });
      case 'number':
        return fc.double({
          min: schema.minimum ?? -1e6,
          max: schema.maximum ?? 1e6,
          noNaN: true,
          noDefaultInfinity: true,
        });
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      default:
        // `unrepresentable: 'any'` and `{}`: anything JSON.
        return fc.jsonValue({ maxDepth: 2 });
    }
  };
  return build(root, 0);
}

function objectArbitrary(schema: JsonSchema, build: (s: JsonSchema) => fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const required = schema.required ?? [];
  const record = Object.fromEntries(Object.entries(properties).map(([name, s]) => [name, build(s)]));
  return fc.record(record, { requiredKeys: required.filter((k) => k in properties) });
}

/** Formats with a pattern zod also checks; the generator only needs plausible values. */
const FORMAT_SAMPLES: Record<string, fc.Arbitrary<string>> = {
  'date-time': fc
    .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  email: fc.emailAddress(),
  uuid: fc.uuid(),
};

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? MAX_GENERATED_CHARS, MAX_GENERATED_CHARS));
  const format = schema.format ? FORMAT_SAMPLES[schema.format] : undefined;
  if (format) return format;
  // The portal's "printable text" patterns (`[^\p{Cc}\p{Cs}\uFFFD]`) are honoured by generating printable text;
  // fast-check's stringMatching does not take \p classes.
  if (schema.pattern && !schema.pattern.includes('\\p{')) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= (schema.maxLength ?? 10_000));
    } catch {
      // A pattern fast-check cannot generate from: fall back to text.
    }
  }
  return fc.string({ unit: 'grapheme', minLength, maxLength }).filter((s) => s.trim().length >= minLength);
}
