/**
 * `npm run lint:cfn`: synthesizes both stages with the real CDK CLI, each into a temporary directory, and runs
 * cfn-lint on every template of each (the portal stack, its nested stacks and any other stack of the app). Exits
 * non-zero if cfn-lint reports an error or a warning, or cannot be run.
 *
 * cfn-lint is a Python tool (`pip install cfn-lint`); it is not an npm package, so it is not part of `npm test`.
 * Set CFN_LINT to its path if it is not on PATH.
 *
 * Ignored: W3005 ("DependsOn is not needed, the dependency is already enforced by a Ref/GetAtt"), which CDK's own
 * output triggers (its custom resources and nested stacks declare explicit DependsOn next to references); the
 * duplicate is harmless to CloudFormation and not the portal's to change.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');
const CFN_LINT = process.env.CFN_LINT ?? 'cfn-lint';
const IGNORED_CHECKS = ['W3005'];

/** The stages and the context each needs; the address is a placeholder, only its form is checked at synth. */
const STAGES: Record<string, string[]> = {
  dev: ['-c', 'stage=dev'],
  prod: ['-c', 'stage=prod', '-c', 'opsEmail=ops@regulator.example'],
};

/** The built web app if there is one, else the tests' stand-in: the web app only changes an asset's hash. */
function webAppContext(): string[] {
  if (fs.existsSync(path.join(ROOT, 'web', 'dist', 'index.html'))) return [];
  console.log("web/dist is not built: synthesizing with the infrastructure tests' stand-in web app");
  return ['-c', `webAppDirectory=${path.join(ROOT, 'tests', 'infra', 'fixtures', 'web-dist')}`];
}

function run(command: string, args: string[]): { status: number; output: string } {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new Error(`${command} could not be run: ${result.error.message}`);
  return { status: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
}

function main(): number {
  const version = spawnSync(CFN_LINT, ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) {
    console.error(`${CFN_LINT} not found: install it with "pip install cfn-lint", or set CFN_LINT to its path`);
    return 1;
  }
  console.log(version.stdout.trim());
  const web = webAppContext();
  let failed = false;
  for (const [stage, context] of Object.entries(STAGES)) {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `notice-portal-${stage}-`));
    try {
      const synth = run('npx', ['cdk', 'synth', '--quiet', ...context, ...web, '--output', outdir]);
      if (synth.status !== 0) {
        console.error(`${stage}: cdk synth failed\n${synth.output}`);
        failed = true;
        continue;
      }
      const templates = fs
        .readdirSync(outdir)
        .filter((file) => file.endsWith('.template.json'))
        .sort()
        .map((file) => path.join(outdir, file));
      const lint = run(CFN_LINT, ['--format', 'parseable', '--', ...templates]);
      // Parseable lines are `file:line:column:endLine:endColumn:RULE:message`; anything else is cfn-lint failing.
      const lines = lint.output
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => line.replace(`${outdir}${path.sep}`, ''));
      const findings = lines.map((line) => ({ line, rule: /^[^:]+(?::\d+){4}:([EWI]\d{4}):/.exec(line)?.[1] }));
      const ignored = findings.filter(({ rule }) => rule !== undefined && IGNORED_CHECKS.includes(rule));
      const reported = findings.filter(({ rule }) => rule === undefined || !IGNORED_CHECKS.includes(rule));
      const count = (level: string) => reported.filter(({ rule }) => rule?.startsWith(level)).length;
      console.log(
        `${stage}: ${templates.length} templates (${templates.map((t) => path.basename(t)).join(', ')}): ` +
          `${count('E')} errors, ${count('W')} warnings, ${count('I')} informational ` +
          `(${ignored.length} ${IGNORED_CHECKS.join(', ')} ignored)`,
      );
      for (const { line } of reported) console.log(`  ${line}`);
      // cfn-lint's exit code is a bit mask: 1 it failed, 2 errors, 4 warnings, 8 informational (not a failure).
      const crashed = (lint.status & 1) !== 0 || reported.some(({ rule }) => rule === undefined);
      if (crashed || count('E') > 0 || count('W') > 0) failed = true;
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }
  console.log(failed ? 'cfn-lint: FAILED' : 'cfn-lint: no errors or warnings on either stage');
  return failed ? 1 : 0;
}

process.exitCode = main();
