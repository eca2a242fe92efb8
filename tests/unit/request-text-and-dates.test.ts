import * as z from 'zod/mini';
import { OPERATIONS } from '../../lambdas/api/openapi-document';
import { ROUTES } from '../../lambdas/api/routes';
import { IsoInstantSchema } from '../../lambdas/domain/notice';
import { MULTILINE_TEXT, multilineText, SINGLE_LINE_TEXT, text } from '../../lambdas/domain/text';
import { defined } from '../support/defined';
import { VALID_PATH_PARAMETERS, VALID_QUERIES, VALID_REQUEST_BODIES } from '../support/request-fixtures';

/**
 * One text rule and one date range for every request schema, checked by walking each schema of each route (path,
 * query and body) to every string leaf and corrupting a valid request there. A field added later without the
 * rule, or without a fixture value to test it with, fails here.
 */

type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  $defs?: Record<string, JsonSchema>;
};
type Segment = string | '*';
interface Leaf {
  path: Segment[];
  schema: JsonSchema;
}

function stringLeaves(root: JsonSchema): Leaf[] {
  const leaves: Leaf[] = [];
  const resolve = (schema: JsonSchema): JsonSchema =>
    schema.$ref ? resolve(root.$defs?.[schema.$ref.replace('#/$defs/', '')] ?? {}) : schema;
  const walk = (raw: JsonSchema, path: Segment[]) => {
    const schema = resolve(raw);
    for (const branch of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) {
      walk(branch, path);
    }
    if (schema.type === 'string') leaves.push({ path, schema });
    for (const [name, property] of Object.entries(schema.properties ?? {})) walk(property, [...path, name]);
    if (schema.items) walk(schema.items, [...path, '*']);
  };
  walk(root, []);
  return leaves;
}

/** The concrete path of the first value in `request` at `pattern` ('*' = any array index), if there is one. */
function locate(request: unknown, pattern: Segment[]): (string | number)[] | undefined {
  const [head, ...rest] = pattern;
  if (head === undefined) return typeof request === 'string' ? [] : undefined;
  if (head === '*') {
    if (!Array.isArray(request)) return undefined;
    for (let i = 0; i < request.length; i++) {
      const found = locate(request[i], rest);
      if (found) return [i, ...found];
    }
    return undefined;
  }
  if (request === null || typeof request !== 'object' || !(head in request)) return undefined;
  const found = locate((request as Record<string, unknown>)[head], rest);
  return found && [head, ...found];
}

function withValueAt(request: unknown, path: (string | number)[], change: (value: string) => string): unknown {
  const copy = structuredClone(request);
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = defined(path.at(-1), 'the last path segment');
  node[last] = change(node[last] as string);
  return copy;
}

/** Inside the value, never at an end, where trimming could remove what was inserted. */
function insertMiddle(bad: string): (value: string) => string {
  return (value) => {
    if (value.length < 2) return value + bad + value;
    const middle = Math.floor(value.length / 2);
    return value.slice(0, middle) + bad + value.slice(middle);
  };
}

function issuePaths(schema: z.ZodMiniType, request: unknown): string[] {
  const parsed = schema.safeParse(request);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join('.'));
}

interface Part {
  operationId: string;
  part: 'path' | 'query' | 'body';
  schema: z.ZodMiniType;
  valid: unknown;
}

const PARTS: Part[] = ROUTES.flatMap((route) => {
  const shape = defined(OPERATIONS[route.operationId], `the operation ${route.operationId}`);
  const parts: Part[] = [];
  const body = shape.body ?? shape.formBody;
  if (shape.params) {
    const valid = Object.fromEntries(
      Object.keys(shape.params.shape).map((name) => [name, VALID_PATH_PARAMETERS[name]]),
    );
    parts.push({ operationId: route.operationId, part: 'path', schema: shape.params, valid });
  }
  if (shape.query) {
    const valid = VALID_QUERIES[route.operationId];
    parts.push({ operationId: route.operationId, part: 'query', schema: shape.query, valid });
  }
  if (body)
    parts.push({
      operationId: route.operationId,
      part: 'body',
      schema: body,
      valid: VALID_REQUEST_BODIES[route.operationId],
    });
  return parts;
});

interface Case extends Part {
  field: string;
  at: (string | number)[];
  leaf: Leaf;
}

const CASES: Case[] = PARTS.flatMap((part) =>
  stringLeaves(z.toJSONSchema(part.schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema).map((leaf) => {
    const at = locate(part.valid, leaf.path);
    if (!at) throw new Error(`${part.operationId} ${part.part}: the fixture has no value at ${leaf.path.join('.')}`);
    return { ...part, field: at.join('.'), at, leaf };
  }),
);

describe('request fixtures', () => {
  it.each(PARTS.map((p) => [p.operationId, p.part, p]))('%s %s: the fixture is valid', (_op, _part, part) => {
    expect(issuePaths(part.schema, part.valid)).toEqual([]);
  });

  it('cover the string fields of every kind', () => {
    expect(CASES.filter((c) => c.leaf.schema.pattern === SINGLE_LINE_TEXT.source).length).toBeGreaterThan(10);
    expect(CASES.filter((c) => c.leaf.schema.pattern === MULTILINE_TEXT.source).length).toBeGreaterThan(10);
    expect(CASES.filter((c) => c.leaf.schema.format === 'date-time').length).toBeGreaterThan(5);
  });
});

describe('every string field of every request', () => {
  const named = CASES.map((c) => [`${c.operationId} ${c.part}.${c.field}`, c] as const);

  it.each(named)('%s is text with the rule, or has a pattern, format or enum of its own', (_name, c) => {
    const { pattern, format, enum: values, const: constant } = c.leaf.schema;
    expect(pattern ?? format ?? values ?? constant).toBeDefined();
  });

  const BAD = {
    'a lone high surrogate': '\uD800',
    'a lone low surrogate': '\uDC00',
    NUL: '\u0000',
    'a bell (C0 control)': '\u0007',
    DEL: '\u007F',
    'a C1 control (NEL)': '\u0085',
    'U+FFFD': '\uFFFD',
  };
  for (const [what, bad] of Object.entries(BAD)) {
    it.each(named)(`%s refuses ${what}, with an issue at that field`, (_name, c) => {
      expect(issuePaths(c.schema, withValueAt(c.valid, c.at, insertMiddle(bad)))).toContain(c.field);
    });
  }

  const multiline = named.filter(([, c]) => c.leaf.schema.pattern === MULTILINE_TEXT.source);
  const singleLine = named.filter(([, c]) => c.leaf.schema.pattern === SINGLE_LINE_TEXT.source);

  it.each(multiline)('%s keeps line breaks and tabs', (_name, c) => {
    expect(issuePaths(c.schema, withValueAt(c.valid, c.at, insertMiddle('\r\n\tand more\n')))).toEqual([]);
  });

  it.each(singleLine)('%s refuses a line break and a tab', (_name, c) => {
    expect(issuePaths(c.schema, withValueAt(c.valid, c.at, insertMiddle('\n')))).toContain(c.field);
    expect(issuePaths(c.schema, withValueAt(c.valid, c.at, insertMiddle('\t')))).toContain(c.field);
  });

  const dates = named.filter(([, c]) => c.leaf.schema.format === 'date-time');
  it.each(dates)('%s refuses year 0000 and instants outside 2000–2099', (_name, c) => {
    for (const outside of ['0000-01-01T00:00:00Z', '1999-12-31T23:59:59.999Z', '2100-01-01T00:00:00Z']) {
      expect(
        issuePaths(
          c.schema,
          withValueAt(c.valid, c.at, () => outside),
        ),
      ).toContain(c.field);
    }
  });
});

describe('the text rule', () => {
  it('accepts any well-formed Unicode, astral characters and right-to-left scripts included', () => {
    const sample = 'Ünïcödé 😀 中文 عربى עברית \u00A0non-breaking';
    expect(text({ max: 100 }).parse(sample)).toBe(sample);
    expect(multilineText({ max: 100 }).parse(`${sample}\r\n\tnext line`)).toBe(`${sample}\r\n\tnext line`);
  });

  it('trims surrounding white space unless told not to, before checking lengths', () => {
    expect(text({ min: 3, max: 5 }).parse('  abc \n')).toBe('abc');
    expect(text({ max: 5, trim: false }).safeParse(' abc ').data).toBe(' abc ');
    expect(text({ min: 3, max: 5, tooShort: 'too short' }).safeParse('  a  ').error?.issues.at(0)?.message).toBe(
      'too short',
    );
  });
});

describe('the instant range', () => {
  it('runs from 2000-01-01T00:00:00Z up to, not including, 2100-01-01T00:00:00Z, whatever the offset', () => {
    const accepts = (value: string) => IsoInstantSchema.safeParse(value).success;

    expect(accepts('2000-01-01T00:00:00Z')).toBe(true);
    expect(accepts('2099-12-31T23:59:59.999Z')).toBe(true);
    expect(accepts('2000-01-01T10:00:00+10:00')).toBe(true);
    expect(accepts('2000-01-01T09:59:59+10:00')).toBe(false);
    expect(accepts('2099-12-31T19:00:00-05:00')).toBe(false);
    expect(accepts('0000-01-01T00:00:00Z')).toBe(false);
  });
});
