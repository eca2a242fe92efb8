import fc from 'fast-check';
import type * as z from 'zod/mini';
import { IdempotencyKeySchema } from '../../../lambdas/api/contract';
import { OPERATIONS, type OperationShape } from '../../../lambdas/api/openapi-document';
import { ROUTES, type RouteDefinition } from '../../../lambdas/api/routes';
import { MAX_BODY_BYTES } from '../../../lambdas/http/api-handler';
import { compileRoute, matchRoute } from '../../../local/http-adapter';
import { callerRule, type FuzzCaller } from './fuzz-callers';
import {
  hostileLeaf,
  hostilePathSegment,
  hostileQuery,
  hostileString,
  hugeBody,
  malformedBody,
  wrongContentType,
  wrongType,
} from './hostile-values';
import { arbitraryFor, inputJsonSchema } from './json-schema-arbitrary';

/**
 * One generated request to one route, and the oracle that says whether it is valid. The oracle is the route's own
 * zod schemas (OPERATIONS, which the handlers parse with), applied to exactly what the portal will see after
 * routing, URL decoding and JSON parsing: a case is `valid` only if the caller is permitted and every part passes.
 * A valid case may succeed; every other case is hostile and must be refused with a 4xx and change nothing.
 */
export interface FuzzCase {
  operationId: string;
  method: 'GET' | 'POST';
  /** The request target as sent on the wire: path (not normalised) and query. */
  target: string;
  caller: FuzzCaller;
  contentType: string | undefined;
  idempotencyKey: string | undefined;
  body: Buffer;
  /** What the generator meant to try, for the report and failure messages. */
  kind: string;
}

export interface Verdict {
  valid: boolean;
  /** Why a case is hostile (the first part that fails), or 'valid'. */
  reason: string;
  /** The route the portal dispatches the target to (another one than meant when a segment is e.g. `counts`). */
  dispatchedTo?: string;
}

/** Real resource ids for path parameters, so valid-shaped requests also reach existing records. */
export type PathFixtures = Record<string, string[]>;

const COMPILED = ROUTES.map(compileRoute);

export function shapeOf(operationId: string): OperationShape {
  const shape = OPERATIONS[operationId];
  if (!shape) throw new Error(`No OPERATIONS entry for ${operationId}`);
  return shape;
}

/** Percent-encodes like encodeURIComponent, byte by byte where a string has lone surrogates (which it refuses). */
function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return [...Buffer.from(value, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
}

function pathArbitrary(route: RouteDefinition, shape: OperationShape, fixtures: PathFixtures) {
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
  const properties = (shape.params?.shape ?? {}) as Record<string, z.ZodMiniType>;
  const segments = names.map((name) => {
    const schema = properties[name];
    const generated = schema
      ? arbitraryFor(inputJsonSchema(schema)).map((v) => encodeSegment(String(v)))
      : fc.constant('x');
    const real = fixtures[name]?.length
      ? fc.constantFrom(...(fixtures[name] as string[])).map(encodeSegment)
      : generated;
    return fc
      .oneof(
        { weight: 4, arbitrary: real.map((v) => ({ v, hostile: false })) },
        { weight: 3, arbitrary: generated.map((v) => ({ v, hostile: false })) },
        { weight: 2, arbitrary: hostilePathSegment.map((v) => ({ v, hostile: true })) },
      )
      .map((s) => [name, s] as const);
  });
  return fc.tuple(...segments).map((pairs) => {
    const values = Object.fromEntries(pairs);
    const path = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => values[name]?.v ?? 'x');
    const hostile = pairs.some(([, s]) => s.hostile);
    return { path, hostile };
  });
}

function queryArbitrary(shape: OperationShape): fc.Arbitrary<{ query: string; kind: string }> {
  const none = fc.constant({ query: '', kind: '' });
  const hostile = hostileQuery.map((query) => ({ query, kind: 'hostile-query' }));
  if (!shape.query) return fc.oneof({ weight: 8, arbitrary: none }, { weight: 1, arbitrary: hostile });
  const generated = arbitraryFor(inputJsonSchema(shape.query)).map((value) => {
    const entries = Object.entries((value ?? {}) as Record<string, unknown>).filter(
      ([, v]) => v !== undefined && (typeof v !== 'object' || v === null),
    );
    return {
      query: new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])).toString(),
      kind: 'schema-query',
    };
  });
  return fc.oneof(
    { weight: 3, arbitrary: none },
    { weight: 4, arbitrary: generated },
    { weight: 3, arbitrary: hostile },
  );
}

type Json = unknown;

/** Every place in a JSON value that can be replaced: the root, each property and each array item. */
function slots(value: Json, path: (string | number)[] = []): (string | number)[][] {
  const here = [path];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => slots(v, [...path, i]))];
  if (value && typeof value === 'object') {
    return [...here, ...Object.entries(value).flatMap(([k, v]) => slots(v, [...path, k]))];
  }
  return here;
}

function replaceAt(value: Json, path: (string | number)[], replacement: Json): Json {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? replaceAt(v, rest, replacement) : v));
  if (value && typeof value === 'object') {
    return {
      ...(value as Record<string, Json>),
      [head]: replaceAt((value as Record<string, Json>)[head], rest, replacement),
    };
  }
  return replacement;
}

/** A valid-shaped value with one to three places replaced by hostile values (deepest slots are most often leaves). */
function mutated(valid: fc.Arbitrary<Json>): fc.Arbitrary<Json> {
  return valid.chain((value) => {
    const places = slots(value);
    const mutation = fc.tuple(fc.nat({ max: places.length - 1 }), hostileLeaf);
    return fc
      .array(mutation, { minLength: 1, maxLength: 3 })
      .map((mutations) => mutations.reduce<Json>((acc, [i, leaf]) => replaceAt(acc, places[i] ?? [], leaf), value));
  });
}

/** JSON text of an object with one key repeated: `{"k": first, …, "k": second}` (JSON.parse keeps the last). */
function withDuplicateKey(valid: fc.Arbitrary<Json>): fc.Arbitrary<string> {
  return fc.tuple(valid, hostileLeaf, fc.boolean()).map(([value, leaf, hostileLast]) => {
    if (!value || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length === 0) {
      return `{"reason":${JSON.stringify(leaf)},"reason":"a valid-looking reason"}`;
    }
    const entries = Object.entries(value as Record<string, Json>);
    const [key, original] = entries[0] as [string, Json];
    const [first, last] = hostileLast ? [original, leaf] : [leaf, original];
    const rest = entries.slice(1).map(([k, v]) => `,${JSON.stringify(k)}:${JSON.stringify(v)}`);
    return `{${JSON.stringify(key)}:${JSON.stringify(first)}${rest.join('')},${JSON.stringify(key)}:${JSON.stringify(last)}}`;
  });
}

const JSON_TYPE = 'application/json';
const contentTypes = fc.oneof(
  { weight: 12, arbitrary: fc.constant<string | undefined>(JSON_TYPE) },
  { weight: 1, arbitrary: fc.constantFrom('application/json; charset=utf-8', 'application/merge-patch+json') },
  { weight: 1, arbitrary: fc.constantFrom('application/json; charset=utf-16', 'APPLICATION/JSON') },
  { weight: 2, arbitrary: wrongContentType },
);

interface BodyChoice {
  body: Buffer;
  contentType: string | undefined;
  kind: string;
}

const text = (s: string) => Buffer.from(s, 'utf8');

function jsonBodyArbitrary(schema: z.ZodMiniType): fc.Arbitrary<BodyChoice> {
  const valid = arbitraryFor(inputJsonSchema(schema));
  const choice = (arbitrary: fc.Arbitrary<Buffer>, kind: string) =>
    fc.tuple(arbitrary, contentTypes).map(([body, contentType]) => ({ body, contentType, kind }));
  return fc.oneof(
    {
      weight: 4,
      arbitrary: choice(
        mutated(valid).map((v) => text(JSON.stringify(v) ?? 'null')),
        'hostile-values',
      ),
    },
    {
      weight: 2,
      arbitrary: choice(
        valid.map((v) => text(JSON.stringify(v))),
        'schema-shaped',
      ),
    },
    {
      weight: 1,
      arbitrary: choice(
        fc
          .tuple(valid, fc.constantFrom('surprise', '__proto__', 'constructor', 'id', 'status', 'version'), hostileLeaf)
          .map(([v, key, leaf]) =>
            text(
              v && typeof v === 'object' && !Array.isArray(v)
                ? `${JSON.stringify(v).slice(0, -1)}${Object.keys(v).length ? ',' : ''}${JSON.stringify(key)}:${JSON.stringify(leaf)}}`
                : JSON.stringify({ [key]: leaf }),
            ),
          ),
        'unknown-key',
      ),
    },
    { weight: 1, arbitrary: choice(withDuplicateKey(valid).map(text), 'duplicate-key') },
    { weight: 2, arbitrary: choice(malformedBody, 'malformed') },
    { weight: 1, arbitrary: choice(hugeBody, 'huge') },
    { weight: 1, arbitrary: choice(fc.constant(Buffer.alloc(0)), 'empty') },
    {
      weight: 1,
      arbitrary: choice(
        fc.oneof(hostileLeaf, wrongType).map((v) => text(JSON.stringify(v) ?? 'null')),
        'wrong-root',
      ),
    },
  );
}

function formBodyArbitrary(schema: z.ZodMiniType): fc.Arbitrary<BodyChoice> {
  const valid = arbitraryFor(inputJsonSchema(schema));
  const form = (value: Json) =>
    new URLSearchParams(
      Object.entries((value ?? {}) as Record<string, unknown>).map(([k, v]): [string, string] => [
        k,
        typeof v === 'string' ? v : JSON.stringify(v),
      ]),
    ).toString();
  const formType = fc.oneof(
    { weight: 6, arbitrary: fc.constant<string | undefined>('application/x-www-form-urlencoded') },
    { weight: 1, arbitrary: fc.constantFrom<string | undefined>(JSON_TYPE, undefined, 'text/plain') },
  );
  const choice = (arbitrary: fc.Arbitrary<Buffer>, kind: string) =>
    fc.tuple(arbitrary, formType).map(([body, contentType]) => ({ body, contentType, kind }));
  return fc.oneof(
    {
      weight: 3,
      arbitrary: choice(
        mutated(valid).map((v) => text(form(v))),
        'hostile-values',
      ),
    },
    {
      weight: 2,
      arbitrary: choice(
        valid.map((v) => text(form(v))),
        'schema-shaped',
      ),
    },
    {
      weight: 1,
      arbitrary: choice(
        fc
          .tuple(hostileString, hostileString)
          .map(([a, b]) => text(`grant_type=client_credentials&client_id=${a}&client_secret=${b}`)),
        'raw-form',
      ),
    },
    { weight: 1, arbitrary: choice(malformedBody, 'malformed') },
    { weight: 1, arbitrary: choice(hugeBody, 'huge') },
  );
}

function noBodyArbitrary(): fc.Arbitrary<BodyChoice> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant<BodyChoice>({ body: Buffer.alloc(0), contentType: undefined, kind: '' }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.oneof(
            malformedBody,
            fc.jsonValue({ maxDepth: 2 }).map((v) => text(JSON.stringify(v) ?? 'null')),
          ),
          contentTypes,
        )
        .map(([body, contentType]) => ({ body, contentType, kind: 'unwanted-body' })),
    },
  );
}

const idempotencyKeys = fc.oneof(
  { weight: 6, arbitrary: fc.constant<string | undefined>(undefined) },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9._:-]{8,40}$/) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'x',
      'short',
      'a'.repeat(129),
      'has space',
      'semi;colon',
      '%00',
      '../../..',
      'ü-umlaut-key',
    ),
  },
);

export function caseArbitrary(operationId: string, fixtures: PathFixtures): fc.Arbitrary<FuzzCase> {
  const route = ROUTES.find((r) => r.operationId === operationId);
  if (!route) throw new Error(`No route ${operationId}`);
  const shape = shapeOf(operationId);
  const rule = callerRule(operationId);
  const caller = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...rule.permitted) },
    { weight: 1, arbitrary: fc.constant(rule.refused) },
  );
  const body = shape.body
    ? jsonBodyArbitrary(shape.body)
    : shape.formBody
      ? formBodyArbitrary(shape.formBody)
      : noBodyArbitrary();
  return fc
    .tuple(
      caller,
      pathArbitrary(route, shape, fixtures),
      queryArbitrary(shape),
      body,
      shape.idempotent ? idempotencyKeys : fc.constant(undefined),
    )
    .map(([who, path, query, b, idempotencyKey]) => ({
      operationId,
      method: route.method,
      target: query.query ? `${path.path}?${query.query}` : path.path,
      caller: who,
      contentType: b.contentType,
      idempotencyKey,
      body: b.body,
      kind: [path.hostile ? 'hostile-path' : '', query.kind, b.kind].filter(Boolean).join('+') || 'plain',
    }));
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The oracle: valid exactly when the portal, seeing what this case sends, should pass every check. */
export function verdict(c: FuzzCase): Verdict {
  const hostile = (reason: string, dispatchedTo?: string): Verdict => ({ valid: false, reason, dispatchedTo });
  const rule = callerRule(c.operationId);
  // As the portal does: the WHATWG URL parser resolves `.`/`..` (and `%2e%2e`) before routing.
  const url = new URL(c.target, 'http://127.0.0.1');
  let matched: ReturnType<typeof matchRoute>;
  try {
    matched = matchRoute(COMPILED, c.method, url.pathname);
  } catch {
    return hostile('path-encoding');
  }
  if (!matched) return hostile('no-route');
  const operationId = matched.route.operationId;
  if (operationId !== c.operationId) {
    // Another route took the path (e.g. a segment `counts`): judged as that route, by the same rules.
    return verdict({ ...c, operationId });
  }
  const shape = shapeOf(operationId);
  if (!rule.permitted.includes(c.caller)) return hostile('caller', operationId);
  if (shape.params && !shape.params.safeParse(matched.pathParameters).success) return hostile('path', operationId);
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  if (shape.query && !shape.query.safeParse(query).success) return hostile('query', operationId);
  if (c.idempotencyKey !== undefined && !IdempotencyKeySchema.safeParse(c.idempotencyKey).success) {
    return hostile('idempotency-key', operationId);
  }
  const bodyVerdict = bodyIsValid(c, shape);
  return bodyVerdict === 'valid'
    ? { valid: true, reason: 'valid', dispatchedTo: operationId }
    : hostile(bodyVerdict, operationId);
}

function bodyIsValid(c: FuzzCase, shape: OperationShape): string {
  if (shape.formBody) {
    if (!/^application\/x-www-form-urlencoded\b/i.test(c.contentType ?? '') || c.body.length > 4096) return 'form-type';
    const form = Object.fromEntries(new URLSearchParams(c.body.toString('utf8')));
    return shape.formBody.safeParse(form).success ? 'valid' : 'form';
  }
  if (!shape.body) return c.body.length === 0 ? 'valid' : 'unwanted-body';
  if (c.body.length > MAX_BODY_BYTES) return 'too-large';
  if (shape.bodyOptional && c.body.length === 0) return shape.body.safeParse({}).success ? 'valid' : 'body';
  if (c.body.length > 0 && !/^application\/([a-z.+-]*\+)?json\b/i.test(c.contentType ?? '')) return 'content-type';
  if (c.body.length === 0) return 'empty-body';
  return jsonBodyVerdict(c, shape.body);
}

function jsonBodyVerdict(c: FuzzCase, body: z.ZodMiniType): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(UTF8.decode(c.body));
  } catch {
    return 'not-json';
  }
  // The generator knows when it wrote a key twice; the portal must refuse such a body whatever the values.
  if (c.kind.split('+').includes('duplicate-key')) return 'duplicate-key';
  return body.safeParse(parsed).success ? 'valid' : 'body';
}
