import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { ROUTES } from '../../lambdas/api/routes';
import { HANDLER_BUILD_OPTIONS, HANDLERS_DIR, PROJECT_ROOT } from '../../lib/constructs/handler-bundles';
import { BUNDLE_TARGET } from '../../lib/constructs/portal-function';

/**
 * Bundle-size budgets: every function's bundle (`index.js`, built with the options `cdk synth` deploys) must stay
 * within its budget in bundle-budgets.json, so that a dependency that drags a large package into a function (as
 * date-holidays once did into every notice function) fails here instead of showing up as a slower cold start.
 * The budgets are the sizes measured when they were last set plus {@link HEADROOM}; after a deliberate change, set
 * them again with `UPDATE_BUNDLE_BUDGETS=1 npx jest tests/infra/bundle-budgets.test.ts` and commit the file (its
 * diff shows what grew). bench:cold-start measures what the sizes cost at a cold start.
 */
const BUDGETS_FILE = path.join(__dirname, 'bundle-budgets.json');
/** Room for ordinary changes: 5% of a bundle, at least 8 KiB. */
const HEADROOM = (bytes: number) => Math.max(bytes * 0.05, 8 * 1024);
/**
 * Packages no function may carry: they are build-time inputs only (the holiday table and the OpenAPI document are
 * derived from them by scripts/).
 */
const BUILD_TIME_ONLY = ['date-holidays', 'date-holidays-parser', 'moment-timezone', 'astronomia', '@redocly'];
/**
 * Packages no function may carry at all: the X-Ray SDK (and Powertools Tracer, which loads it) cost 0.1–0.3× of
 * every function's cold start and enable a process-wide async hook; lambdas/observability/tracer.ts sends X-Ray
 * segments itself instead (docs/PERFORMANCE.md, "Lambda cold start").
 */
const NEVER_BUNDLED = ['aws-xray-sdk-core', 'cls-hooked', '@aws-lambda-powertools/tracer'];
/**
 * zod's classic API: the functions validate with zod/mini (lambdas/domain/zod.ts), whose module and schemas cost
 * a cold start ~12–16 ms less; one classic import would bring the classic module back into that function.
 */
const CLASSIC_ZOD = ['zod/v4/classic', 'zod/v3'];

/** Every handler module, as handler-bundles.ts builds them for a synthesis. */
function handlerEntries(): Record<string, string> {
  const files = fs
    .readdirSync(HANDLERS_DIR)
    .filter((file) => /\.[cm]?[jt]s$/.test(file) && !/\.(d|test)\.[cm]?[jt]s$/.test(file));
  return Object.fromEntries(files.map((file) => [`${path.parse(file).name}/index`, path.join(HANDLERS_DIR, file)]));
}

// One esbuild run over every handler (a few seconds), in memory.
const built = buildSync({
  ...HANDLER_BUILD_OPTIONS,
  target: BUNDLE_TARGET,
  entryPoints: handlerEntries(),
  outdir: path.join(PROJECT_ROOT, 'cdk.out', 'bundle-budgets'),
  write: false,
  metafile: true,
});
/** Each function's minified `index.js`, as text. */
const texts = Object.fromEntries(
  (built.outputFiles ?? [])
    .filter((file) => file.path.endsWith('/index.js'))
    .map((file) => [path.basename(path.dirname(file.path)), file.text]),
);
const outputs = Object.entries(built.metafile.outputs).filter(([file]) => file.endsWith('/index.js'));
const measured = Object.fromEntries(
  outputs.map(([file, output]) => [path.basename(path.dirname(file)), { bytes: output.bytes, inputs: output.inputs }]),
);

if (process.env.UPDATE_BUNDLE_BUDGETS) {
  const budgets = Object.fromEntries(
    Object.entries(measured)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, { bytes }]) => [name, Math.ceil((bytes + HEADROOM(bytes)) / 1024)]),
  );
  fs.writeFileSync(BUDGETS_FILE, `${JSON.stringify({ unit: 'KiB', budgets }, null, 2)}\n`);
}
const { budgets } = JSON.parse(fs.readFileSync(BUDGETS_FILE, 'utf8')) as { budgets: Record<string, number> };

describe('function bundle sizes', () => {
  it('has a budget for every function and none for a function that is gone', () => {
    // Assess
    expect(Object.keys(budgets).sort()).toEqual(Object.keys(measured).sort());
  });

  it.each(Object.keys(measured).sort())('keeps %s within its budget', (name) => {
    // Act
    const kib = Math.round((measured[name]?.bytes ?? 0) / 1024);

    // Assess: over the budget means the bundle grew; see the comment at the top for what to do.
    expect(kib).toBeLessThanOrEqual(budgets[name] ?? 0);
  });

  it.each([
    ['build-time-only package', BUILD_TIME_ONLY],
    ['X-Ray SDK package', NEVER_BUNDLED],
    ["part of zod's classic API", CLASSIC_ZOD],
  ])('carries no %s in any function', (_kind, packages) => {
    // Act
    const carried = Object.entries(measured).flatMap(([name, { inputs }]) =>
      Object.keys(inputs)
        .filter((file) => packages.some((pkg) => file.includes(`node_modules/${pkg}/`)))
        .map((file) => `${name}: ${file}`),
    );

    // Assess
    expect(carried).toEqual([]);
  });

  it('carries the Lambda client only in the functions that start evidence bundle builds', () => {
    // Arrange: the builder and the status read share the request's service but never start a build, and the
    // client is ~110 KiB of every cold start (docs/PERFORMANCE.md, "Lambda cold start")
    const carriesLambdaClient = Object.entries(measured)
      .filter(([, { inputs }]) =>
        Object.keys(inputs).some((file) => file.includes('node_modules/@aws-sdk/client-lambda/')),
      )
      .map(([name]) => name);

    // Assess
    expect(carriesLambdaClient.sort()).toEqual(
      ROUTES.filter((route) => route.startsBundleBuilds)
        .map((route) => route.handler)
        .sort(),
    );
    expect(carriesLambdaClient).toEqual(['request-evidence-bundle']);
  });

  it('builds into a function only the API schemas it can reach', () => {
    // Arrange: the contract's schemas carry their OpenAPI ids as string literals, which minification keeps
    // (tests/unit/module-level-schemas.test.ts says why the others are left out)
    const carries = (name: string, id: string) => (texts[name] ?? '').includes(`id:"${id}"`);

    // Assess
    expect(carries('get-notice', 'NoticePath')).toBe(true);
    expect(carries('request-extension', 'ExtensionRequest')).toBe(true);
    expect(carries('get-notice', 'ExtensionRequest')).toBe(false);
    expect(carries('get-notice', 'CreateDraftRequest')).toBe(false);
    expect(carries('health', 'NoticePath')).toBe(false);
  });
});
