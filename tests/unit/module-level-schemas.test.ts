import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

/**
 * Every module-level schema in the modules all functions share (the domain and the API contract) is marked
 * `/* @__PURE__ *\/`, so that esbuild leaves out of a function's bundle every schema the function cannot reach. A
 * zod call chain such as `z.object({...}).strict()` looks to a bundler like code with side effects, so without the
 * mark every function built every schema of the whole API at its cold start: get-notice built ~1,700 zod objects,
 * ~1,100 of them for other routes (docs/PERFORMANCE.md, "Lambda cold start"). tests/infra/bundle-budgets.test.ts
 * checks the effect on the bundles themselves.
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

function unmarkedSchemas(file: string): string[] {
  const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const tree = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  return tree.statements
    .filter(ts.isVariableStatement)
    .flatMap((statement) => [...statement.declarationList.declarations])
    .filter((declaration) => declaration.initializer && ts.isCallExpression(declaration.initializer))
    .filter((declaration) => buildsSchema(declaration.initializer!))
    .filter((declaration) => {
      const init = declaration.initializer!;
      return !source.slice(init.getFullStart(), init.getStart()).includes('@__PURE__');
    })
    .map((declaration) => `${file}: ${declaration.name.getText(tree)}`);
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
      'const A = z.object({}).strict();\nconst B = text({ max: 1 }).optional();\nconst C = ASchema.extend({});\nconst D = /* @__PURE__ */ z.string();\nconst E = Date.now();\n',
    );
    try {
      // Act
      const found = unmarkedSchemas(probe);

      // Assess
      expect(found).toEqual([`${probe}: A`, `${probe}: B`, `${probe}: C`]);
    } finally {
      fs.rmSync(path.join(ROOT, probe));
    }
  });

  it('marks every one of them pure, so a function bundles only the schemas it reaches', () => {
    // Act
    const unmarked = files.flatMap(unmarkedSchemas);

    // Assess: add `/* @__PURE__ */` before the initializer of each one named
    expect(files.length).toBeGreaterThan(20);
    expect(unmarked).toEqual([]);
  });
});
