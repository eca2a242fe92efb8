import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { handlerCode } from '../../lib/constructs/handler-bundles';

// The portal's handlers take seconds to bundle (that is `cdk synth`'s job); two tiny fixture handlers in a directory
// of their own exercise the same code path: one esbuild run over the directory, one asset per function.
const FIXTURE_HANDLERS = path.join(__dirname, 'fixtures', 'handlers');
const NAMES = ['count', 'greet'] as const;

interface Synthesized {
  outdir: string;
  /** The asset hash of each function's code. */
  hashes: Record<(typeof NAMES)[number], string>;
  /** What the synthesis wrote to stderr (CDK's and the bundler's progress lines). */
  stderr: string;
}

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) fs.rmSync(dir, { recursive: true, force: true });
});

function synthesize(context: Record<string, unknown> = {}): Synthesized {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'handler-bundles-'));
  outdirs.push(outdir);
  const written: string[] = [];
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(chunk.toString());
    return true;
  });
  try {
    const app = new App({ outdir, context });
    const stack = new Stack(app, 'Bundles');
    for (const name of NAMES) {
      new LambdaFunction(stack, name, {
        code: handlerCode(path.join(FIXTURE_HANDLERS, `${name}.ts`), 'node24'),
        handler: 'index.handler',
        runtime: Runtime.NODEJS_24_X,
      });
    }
    const template = app.synth().getStackByName('Bundles').template;
    const functions = Object.entries<any>(template.Resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
    const hashOf = (name: string): string => {
      const found = functions.filter(([id]) => id.startsWith(name));
      if (found.length !== 1) throw new Error(`expected one function ${name}, found ${found.length}`);
      return String(found[0]![1].Properties.Code.S3Key).replace(/\.zip$/, '');
    };
    return { outdir, hashes: { count: hashOf('count'), greet: hashOf('greet') }, stderr: written.join('') };
  } finally {
    stderr.mockRestore();
  }
}

const read = (outdir: string, hash: string, file: string) =>
  fs.readFileSync(path.join(outdir, `asset.${hash}`, file), 'utf8');

describe('handler bundles', () => {
  let first: Synthesized;
  beforeAll(() => {
    first = synthesize();
  });

  it('builds every handler of the directory in one esbuild run', () => {
    expect(first.stderr.match(/Bundled \d+ handler modules in one esbuild run/g)).toEqual([
      'Bundled 2 handler modules in one esbuild run',
    ]);
  });

  it('gives each function its own directory with index.js and its source map, and nothing else', () => {
    for (const name of NAMES) {
      // Act
      const files = fs.readdirSync(path.join(first.outdir, `asset.${first.hashes[name]}`)).sort();

      // Assess
      expect(files).toEqual(['index.js', 'index.js.map']);
      expect(read(first.outdir, first.hashes[name], 'index.js').trimEnd()).toMatch(
        /\n\/\/# sourceMappingURL=index\.js\.map$/,
      );
      const map = JSON.parse(read(first.outdir, first.hashes[name], 'index.js.map'));
      expect(map.sources).toEqual(
        expect.arrayContaining([expect.stringMatching(new RegExp(`handlers/${name}\\.ts$`))]),
      );
      // Line mappings only: the sources are not embedded.
      expect(map.sourcesContent).toBeUndefined();
    }
  });

  it('bundles only what each handler imports', () => {
    expect(read(first.outdir, first.hashes.greet, 'index.js')).toContain('greeting-module');
    expect(read(first.outdir, first.hashes.count, 'index.js')).not.toContain('greeting-module');
  });

  it('exports a working handler from a self-contained CommonJS bundle', async () => {
    // Act
    const greet = require(path.join(first.outdir, `asset.${first.hashes.greet}`, 'index.js'));
    const count = require(path.join(first.outdir, `asset.${first.hashes.count}`, 'index.js'));

    // Assess
    await expect(greet.handler({ name: 'eSafety' })).resolves.toBe('greeting-module: hello, eSafety');
    await expect(count.handler({ items: [1, 2, 3] })).resolves.toEqual({ count: 3 });
  });

  it('gives the same sources the same asset hashes in another synthesis', () => {
    // Act
    const second = synthesize();

    // Assess
    expect(second.outdir).not.toBe(first.outdir);
    expect(second.hashes).toEqual(first.hashes);
    expect(first.hashes.greet).not.toBe(first.hashes.count);
  });

  it('runs no esbuild and copies nothing for stacks excluded from bundling, as NodejsFunction does', () => {
    // Act
    const skipped = synthesize({ 'aws:cdk:bundling-stacks': [] });

    // Assess
    expect(skipped.stderr).not.toMatch(/Bundl/);
    expect(fs.readdirSync(skipped.outdir).filter((f) => f.startsWith('asset.'))).toEqual([]);
    expect(skipped.hashes.greet).not.toBe(skipped.hashes.count);
    expect(skipped.hashes.greet).not.toBe(first.hashes.greet);
  });
});
