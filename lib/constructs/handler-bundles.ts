import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AssetHashType, type BundlingOptions, DockerImage, type ILocalBundling } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { type BuildOptions, buildSync } from 'esbuild';

/** The repository root: bundling resolves `node_modules` from here, whatever the cwd. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** Where the handler modules live: `lambdas/handlers/<name>.ts`, each exporting `handler`. */
export const HANDLERS_DIR = path.join(PROJECT_ROOT, 'lambdas', 'handlers');

/**
 * The esbuild settings of every function bundle: what `NodejsFunction` ran with `minify`, `sourceMap`,
 * `sourcesContent: false` and `bundleAwsSDK` (nothing external: ship the SDK versions the tests ran against), so a
 * handler's bundle is byte for byte what it was under `NodejsFunction`. Exported for bench/cold-start.ts, which
 * builds the same bundles with a metafile to see what each one carries.
 */
export const HANDLER_BUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  minify: true,
  // Stack traces from the minified bundle point at the TypeScript sources (with NODE_OPTIONS=--enable-source-maps).
  sourcemap: true,
  // Line mappings are all a stack trace needs; embedding the sources would triple the upload.
  sourcesContent: false,
  absWorkingDir: PROJECT_ROOT,
  logLevel: 'warning',
} as const satisfies BuildOptions;

/** What every bundle directory holds. */
const BUNDLE_FILES = ['index.js', 'index.js.map'];

/**
 * Lambda code for a handler module: its own minimal bundle (`index.js` + `index.js.map`, handler `index.handler`).
 *
 * What `NodejsFunction` does, but fast: `NodejsFunction` starts esbuild once per function, one after the other,
 * and every run parses the AWS SDK again. Here the first function of a synthesis builds every handler module of
 * its entry's directory (for the portal, {@link HANDLERS_DIR}) in a single esbuild run — each entry point still gets
 * its own tree-shaken bundle, there is no code splitting — and each function's asset takes its own entry's output.
 * So every module in that directory must be a handler module.
 *
 * The asset is a CDK bundling asset, so CDK decides as for `NodejsFunction`: nothing is built for stacks excluded
 * by `aws:cdk:bundling-stacks` (the infrastructure tests pass `[]`; the asset then gets a placeholder hash and
 * nothing is copied), and the asset hash is the hash of the output (`AssetHashType.OUTPUT`), so the same sources
 * always give the same hash.
 */
export function handlerCode(entry: string, target: string): Code {
  const resolved = path.resolve(entry);
  if (!fs.existsSync(resolved)) throw new Error(`Cannot find the handler module ${resolved}`);
  return Code.fromAsset(path.dirname(resolved), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: handlerBundling(resolved, target),
  });
}

function handlerBundling(entry: string, target: string): BundlingOptions {
  const local: ILocalBundling = {
    tryBundle(outputDir: string): boolean {
      HandlerBundles.for(path.dirname(outputDir), path.dirname(entry), target).write(entry, outputDir);
      return true;
    },
  };
  return {
    // Never started: local bundling always succeeds or throws. CDK requires an image.
    image: DockerImage.fromRegistry('dummy'),
    // Documents the asset and sets its cache key apart from other entries' (CDK hashes these options).
    command: ['esbuild', path.relative(PROJECT_ROOT, entry), `--target=${target}`],
    local,
  };
}

/**
 * One esbuild run over every module of a handler directory, per cloud assembly directory. Each bundle is written to
 * a directory of its own directly in the assembly directory, one level deep like CDK's `bundling-temp-…` and
 * `asset.<hash>` directories, so `sourceMappingURL` and the relative source paths in the map stay right when its
 * files are moved into the asset. Bundles no function asked for are removed when the process exits.
 */
class HandlerBundles {
  private static readonly instances = new Map<string, HandlerBundles>();

  public static for(assemblyDir: string, handlersDir: string, target: string): HandlerBundles {
    const key = JSON.stringify([assemblyDir, handlersDir, target]);
    let bundles = HandlerBundles.instances.get(key);
    if (!bundles) {
      bundles = new HandlerBundles(assemblyDir, handlersDir, target);
      HandlerBundles.instances.set(key, bundles);
    }
    return bundles;
  }

  /**
   * The directory of each entry's bundle, until it is moved into its asset. Undefined until the first request;
   * empty after a failed shared build (each entry is then built alone).
   */
  private staged?: Map<string, string>;

  private constructor(
    private readonly assemblyDir: string,
    private readonly handlersDir: string,
    private readonly target: string,
  ) {}

  /** Puts the bundle of `entry` into `outputDir` (CDK's bundling directory of the entry's asset). */
  public write(entry: string, outputDir: string): void {
    this.staged ??= this.buildAll();
    const dir = this.staged.get(entry);
    if (dir === undefined) {
      // Not in the shared run (or that run failed): built alone, straight into the asset's bundling directory.
      this.build(new Map([[entry, outputDir]]));
      return;
    }
    this.staged.delete(entry);
    for (const file of BUNDLE_FILES) fs.renameSync(path.join(dir, file), path.join(outputDir, file));
    fs.rmdirSync(dir);
  }

  private buildAll(): Map<string, string> {
    const entries = fs
      .readdirSync(this.handlersDir)
      .filter((file) => /\.[cm]?[jt]s$/.test(file) && !/\.(d|test)\.[cm]?[jt]s$/.test(file))
      .sort()
      .map((file) => path.join(this.handlersDir, file));
    // Named after what they hold, so a directory left behind by a crashed synthesis is recognisable (and replaced).
    const digest = createHash('sha256')
      .update(JSON.stringify([this.handlersDir, this.target]))
      .digest('hex');
    const staged = new Map(
      entries.map((entry, n) => [
        entry,
        path.join(this.assemblyDir, `bundling-temp-handler-${digest.slice(0, 12)}-${n}-${path.parse(entry).name}`),
      ]),
    );
    for (const dir of staged.values()) fs.rmSync(dir, { recursive: true, force: true });
    process.once('exit', () => {
      for (const dir of this.staged?.values() ?? []) fs.rmSync(dir, { recursive: true, force: true });
    });

    const started = Date.now();
    try {
      this.build(staged);
      process.stderr.write(
        `Bundled ${entries.length} handler modules in one esbuild run (${Date.now() - started} ms)\n`,
      );
      return staged;
    } catch (error) {
      // A module no function uses must not break the synthesis: fall back to building each requested entry alone,
      // which reports errors only for the modules that are deployed.
      for (const dir of staged.values()) fs.rmSync(dir, { recursive: true, force: true });
      process.stderr.write(
        `One esbuild run over ${this.handlersDir} failed; bundling each function alone.\n${error}\n`,
      );
      return new Map();
    }
  }

  /** Builds each entry into its directory (`<dir>/index.js` and its map), all in one esbuild run. */
  private build(directories: ReadonlyMap<string, string>): void {
    const entryPoints: Record<string, string> = {};
    for (const [entry, dir] of directories) {
      if (path.dirname(dir) !== this.assemblyDir) throw new Error(`${dir} is not directly in ${this.assemblyDir}`);
      entryPoints[`${path.basename(dir)}/index`] = entry;
    }
    const result = buildSync({ ...HANDLER_BUILD_OPTIONS, target: this.target, outdir: this.assemblyDir, entryPoints });
    if (result.errors.length > 0) throw new Error(`esbuild failed: ${JSON.stringify(result.errors)}`);
    for (const [entry, dir] of directories) {
      const files = fs.readdirSync(dir).sort();
      if (JSON.stringify(files) !== JSON.stringify(BUNDLE_FILES)) {
        throw new Error(`esbuild wrote ${files.join(', ')} for ${entry}, expected ${BUNDLE_FILES.join(', ')}`);
      }
    }
  }
}
