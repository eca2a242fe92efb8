import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

/**
 * Every module-level schema in the modules all functions share (the domain and the API contract) is built so that
 * esbuild can leave it out of a function's bundle when the function cannot reach it. Without that, every function
 * built every schema of the whole API at its cold start (get-notice ~1,700 zod objects, ~1,100 of them for other
 * routes; docs/PERFORMANCE.md, "Lambda cold start"). esbuild drops an unused `/* @__PURE__ *\/` call only when its
 * arguments have no side effects, and to esbuild every call is one: zod/mini's `z.strictObject({ a: z.string() })`
 * holds one. So a schema whose initializer has a call among its arguments is a pure IIFE,
 * `/* @__PURE__ *\/ (() => z.strictObject({ a: z.string() }))()`, and any other is marked pure.
 * tests/infra/bundle-budgets.test.ts checks the effect on the bundles themselves.
 */
const ROOT = path.join(__dirname, '..', '..');
const SHARED = ['lambdas/domain', 'lambdas/api'];

/** The leftmost name of a call chain: `z` in `z.object({}).strict()`, `text` in `text({ max: 1 }).optional()`. */
function headOf(expression: ts.Expression): ts.Expression {
  let head = expression;
  while (ts.isCallExpression(head) || ts.isPropertyAccessExpression(head)) head = head.expression;
  return head;
}

/** A call chain that builds a schema: it starts at zod, a text schema builder or another schema. */
function buildsSchema(expression: ts.Expression): boolean {
  const head = headOf(expression);
  return ts.isIdentifier(head) && (/^(z|text|multilineText)$/.test(head.text) || /Schema$/.test(head.text));
}

/** Whether the call chain has a call among its arguments (one that runs when it does: not in a function's body). */
function callInArguments(expression: ts.Expression): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return;
    if (ts.isCallExpression(node) || ts.isNewExpression(node) || ts.isTaggedTemplateExpression(node)) found = true;
    else node.forEachChild(visit);
  };
  for (
    let link = expression;
    ts.isCallExpression(link) || ts.isPropertyAccessExpression(link);
    link = link.expression
  ) {
    if (ts.isCallExpression(link)) link.arguments.forEach(visit);
  }
  return found;
}

/** `(() => …)()`: an immediately invoked arrow function with no arguments. */
function isIife(call: ts.CallExpression): boolean {
  const callee = call.expression;
  return call.arguments.length === 0 && ts.isParenthesizedExpression(callee) && ts.isArrowFunction(callee.expression);
}

/** What a module-level initializer lacks for esbuild to leave it out, if it builds a schema. */
function lacks(init: ts.CallExpression, source: string): string | undefined {
  const marked = source.slice(init.getFullStart(), init.getStart()).includes('@__PURE__');
  if (isIife(init)) {
    const body = ((init.expression as ts.ParenthesizedExpression).expression as ts.ArrowFunction).body;
    return ts.isCallExpression(body) && buildsSchema(body) && !marked ? 'mark the IIFE pure' : undefined;
  }
  if (!buildsSchema(init)) return undefined;
  if (callInArguments(init)) return 'make it a pure IIFE';
  return marked ? undefined : 'mark it pure';
}

/** The module-level schemas esbuild could not leave out, with what each lacks. */
function unmarkedSchemas(file: string): string[] {
  const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const tree = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  return tree.statements
    .filter(ts.isVariableStatement)
    .flatMap((statement) => [...statement.declarationList.declarations])
    .flatMap((declaration) => {
      const init = declaration.initializer;
      const missing = init && ts.isCallExpression(init) ? lacks(init, source) : undefined;
      return missing ? [`${file}: ${declaration.name.getText(tree)} (${missing})`] : [];
    });
}

describe('module-level schemas in shared modules', () => {
  const files = SHARED.flatMap((dir) =>
    fs
      .readdirSync(path.join(ROOT, dir))
      .filter((name) => name.endsWith('.ts') && !name.endsWith('.generated.ts'))
      .map((name) => `${dir}/${name}`),
  );

  it('finds the schemas it is about (the check is not vacuous)', () => {
    // Arrange: a module with a schema of each kind of head, unmarked
    const probe = 'tests/unit/module-level-schemas.probe.ts';
    fs.writeFileSync(
      path.join(ROOT, probe),
      [
        'const A = z.strictObject({});',
        'const B = z.optional(text({ max: 1 }));',
        'const C = z.extend(ASchema, {});',
        'const D = /* @__PURE__ */ z.string();',
        'const E = Date.now();',
        'const F = /* @__PURE__ */ z.strictObject({ a: z.string() });',
        'const G = /* @__PURE__ */ (() => z.strictObject({ a: z.string() }))();',
        'const H = (() => z.strictObject({ a: z.string() }))();',
        'const I = /* @__PURE__ */ z.array(ASchema);',
        'const J = /* @__PURE__ */ z.string().check(z.maxLength(3));',
        '',
      ].join('\n'),
    );
    try {
      // Act
      const found = unmarkedSchemas(probe);

      // Assess
      expect(found).toEqual([
        `${probe}: A (mark it pure)`,
        `${probe}: B (make it a pure IIFE)`,
        `${probe}: C (mark it pure)`,
        `${probe}: F (make it a pure IIFE)`,
        `${probe}: H (mark the IIFE pure)`,
        `${probe}: J (make it a pure IIFE)`,
      ]);
    } finally {
      fs.rmSync(path.join(ROOT, probe));
    }
  });

  it('marks every one of them pure, so a function bundles only the schemas it reaches', () => {
    // Act
    const unmarked = files.flatMap(unmarkedSchemas);

    // Assess: do what each one named lacks (see the comment at the top)
    expect(files.length).toBeGreaterThan(20);
    expect(unmarked).toEqual([]);
  });
});
