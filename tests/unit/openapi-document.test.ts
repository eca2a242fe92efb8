import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import ts from 'typescript';
import { buildOpenApiDocument } from '../../lambdas/api/openapi-document';
import { OPENAPI_DOCUMENT_JSON } from '../../lambdas/api/openapi-document.generated';
import { ROUTES } from '../../lambdas/api/routes';
import { defined } from '../support/defined';
import { VALID_REQUEST_BODIES } from '../support/request-fixtures';

type Document = ReturnType<typeof buildOpenApiDocument>;
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: { type?: string };
}
type Operation = { parameters?: Parameter[]; requestBody?: unknown };

function operationOf(document: Document, path: string, method: string): Operation {
  const operations = defined((document.paths as Record<string, Record<string, Operation>>)[path], `the path ${path}`);
  return defined(operations[method.toLowerCase()], `${method} ${path}`);
}

function templatedNames(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((match) => defined(match[1], `the name in ${match[0]}`));
}

/**
 * Redocly's strictest ruleset (every rule an error), which checks among much else that each operation declares
 * every templated path parameter (`path-parameters-defined`) — swagger-parser, used elsewhere, does not.
 * Three rules are off, each for a reason that holds for this API:
 */
const STRICT_RULES = {
  extends: ['recommended-strict'],
  rules: {
    // The document is served by the API itself, whose origin differs per stage and locally; clients use that one.
    'no-empty-servers': 'off',
    // A private regulator system, not licensed to anyone.
    'info-license': 'off',
    // Public key sets, the document and the health check answer every request; they have no 4xx to describe.
    'operation-4xx-response': 'off',
  },
} as const;

async function strictProblems(document: Document) {
  const config = await createConfig(STRICT_RULES as never);
  const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: 'openapi.json', config });
  return problems.map((p) => ({ rule: p.ruleId, message: p.message, at: p.location[0]?.pointer }));
}

describe('the OpenAPI document', () => {
  it('is served as the schemas build it (the checked-in lambdas/api/openapi-document.generated.ts is not stale)', () => {
    // Act
    const served = JSON.parse(OPENAPI_DOCUMENT_JSON);

    // Assess: after changing a schema or a route, run `npm run generate:api`.
    expect(served).toEqual(buildOpenApiDocument());
  });

  it('passes a strict validator that checks templated path parameters', async () => {
    expect(await strictProblems(buildOpenApiDocument())).toEqual([]);
  });

  it('is refused by that validator when one operation leaves out a path parameter', async () => {
    const document = buildOpenApiDocument();
    const getNotice = operationOf(document, '/notices/{noticeId}', 'GET');
    getNotice.parameters = (getNotice.parameters ?? []).filter((p) => p.name !== 'noticeId');

    const problems = await strictProblems(document);

    expect(problems).toEqual([
      expect.objectContaining({
        rule: 'path-parameters-defined',
        at: '#/paths/~1notices~1{noticeId}/get/parameters',
      }),
    ]);
  });

  it('declares every templated path parameter of every route as a required path parameter', () => {
    const document = buildOpenApiDocument();
    for (const route of ROUTES) {
      const declared = (operationOf(document, route.path, route.method).parameters ?? [])
        .filter((p) => p.in === 'path')
        .map((p) => ({ name: p.name, required: p.required }));
      expect({ route: route.operationId, declared }).toEqual({
        route: route.operationId,
        declared: templatedNames(route.path).map((name) => ({ name, required: true })),
      });
    }
  });

  it('generates a typed client through which every operation can be called', async () => {
    const document = buildOpenApiDocument();
    const dir = mkdtempSync(join(tmpdir(), 'openapi-client-'));
    try {
      generateTypes(document, join(dir, 'api.d.ts'));
      writeFileSync(join(dir, 'calls.ts'), clientCallsFor(document));

      const program = ts.createProgram([join(dir, 'calls.ts')], {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        types: [],
        skipLibCheck: true,
        paths: { 'openapi-fetch': [join(dirname(require.resolve('openapi-fetch')), 'index.d.mts')] },
      });
      const diagnostics = ts
        .getPreEmitDiagnostics(program)
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));

      expect(diagnostics).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * openapi-typescript's Node API, run in a child Node process: the package is ESM-only in parts (its CommonJS build
 * requires ESM dependencies), which Jest's CommonJS runtime cannot load.
 */
function generateTypes(document: Document, outFile: string): void {
  const script = [
    "import { readFileSync, writeFileSync } from 'node:fs';",
    "import openapiTS, { astToString } from 'openapi-typescript';",
    'const [documentFile, outFile] = process.argv.slice(1);',
    "writeFileSync(outFile, astToString(await openapiTS(JSON.parse(readFileSync(documentFile, 'utf8')))));",
  ].join('\n');
  const documentFile = `${outFile}.openapi.json`;
  writeFileSync(documentFile, JSON.stringify(document));
  execFileSync(process.execPath, ['--input-type=module', '-e', script, documentFile, outFile], {
    cwd: join(__dirname, '..', '..'),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/**
 * A TypeScript file that calls every route through openapi-fetch's client typed by the generated `paths`: each
 * call passes the route's path parameters (a number where the document says so) and, where the operation takes a
 * body, the fixture body — so a parameter the document leaves out, or a body it describes wrongly, is a type error.
 */
function clientCallsFor(document: Document): string {
  const calls = ROUTES.map((route) => {
    const operation = operationOf(document, route.path, route.method);
    // The names come from the route's path template, not from the document under test.
    const pathValues = templatedNames(route.path).map((name) => {
      const type = operation.parameters?.find((p) => p.in === 'path' && p.name === name)?.schema?.type;
      return `${JSON.stringify(name)}: ${type === 'number' || type === 'integer' ? 0 : "'x'"}`;
    });
    const init: string[] = [];
    if (templatedNames(route.path).length) init.push(`params: { path: { ${pathValues.join(', ')} } }`);
    if (operation.requestBody) {
      const body = VALID_REQUEST_BODIES[route.operationId];
      if (body === undefined) throw new Error(`No fixture body for ${route.operationId}`);
      init.push(`body: ${JSON.stringify(body)}`);
    }
    const args = [JSON.stringify(route.path), ...(init.length ? [`{ ${init.join(', ')} }`] : [])];
    return `  await client.${route.method}(${args.join(', ')}); // ${route.operationId}`;
  });
  return [
    "import createClient from 'openapi-fetch';",
    "import type { paths } from './api';",
    '',
    "const client = createClient<paths>({ baseUrl: 'http://127.0.0.1' });",
    'export async function callEveryOperation(): Promise<void> {',
    ...calls,
    '}',
    '',
  ].join('\n');
}
