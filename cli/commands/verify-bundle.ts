import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type BundleVerificationOptions, verifyBundle } from '../../lambdas/domain/bundle-verification';
import type { BundleVerificationReport, CheckReport } from '../../lambdas/domain/bundle-verification-report';
import { parseCommandArgs } from '../args';
import { CliError, EXIT, fileProblem, UsageError } from '../errors';
import type { Io } from '../io';
import { ZipBundleReader } from '../zip-bundle-reader';

export const VERIFY_BUNDLE_HELP = `Usage: notice-portal verify-bundle BUNDLE.zip [--keys regulator-keys.json] [--checkpoint checkpoint.json] [--json] [--verbose]

Checks an evidence bundle offline: every signature, hash, chain link, checkpoint and inclusion proof, the keys
in force at each signing, every included file, the due time (recomputed from the rule and holidays in the
bundle) and each filing's on-time verdict. Nothing is fetched: it needs no network.

  --keys FILE        the regulator's published keys (/.well-known/regulator-keys.json, saved independently);
                     without it the keys come from the bundle itself and their thumbprints are printed to compare
  --checkpoint FILE  a checkpoint you hold (GET /checkpoints/{seq}), or a JSON array of checkpoints ending with
                     it; proves the regulator did not re-sign a rewritten history after it
  --json             print the whole report as JSON
  --verbose          list everything each check covered

Exit status: 0 every check passed, 1 a check failed (each failing check is named), 2 wrong usage.
`;

async function readJson(what: string, path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw fileProblem(what, path, error);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError(`${what} ${path} is not JSON.`);
  }
}

export async function verifyBundleCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'verify-bundle',
    argv,
    {
      keys: { type: 'string' },
      checkpoint: { type: 'string' },
      json: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
    },
    true,
  );
  if (values.help) {
    io.out(VERIFY_BUNDLE_HELP);
    return EXIT.ok;
  }
  const [bundleFile, ...others] = positionals;
  if (bundleFile === undefined || others.length > 0) {
    throw new UsageError('Give exactly one bundle: notice-portal verify-bundle BUNDLE.zip', 'verify-bundle');
  }
  const options: BundleVerificationOptions = {};
  if (values.keys) {
    options.trustedKeys = (await readJson(
      'The keys file',
      resolve(values.keys),
    )) as BundleVerificationOptions['trustedKeys'];
  }
  if (values.checkpoint) {
    options.trustedCheckpoint = (await readJson(
      'The checkpoint file',
      resolve(values.checkpoint),
    )) as BundleVerificationOptions['trustedCheckpoint'];
  }

  const path = resolve(bundleFile);
  let reader: ZipBundleReader;
  try {
    reader = await ZipBundleReader.open(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code) throw fileProblem('The bundle', path, error);
    throw new CliError(`The bundle ${path} is not a readable ZIP archive: ${(error as Error).message}`);
  }
  let report: BundleVerificationReport;
  try {
    report = await verifyBundle(reader, options);
  } finally {
    reader.close();
  }

  if (values.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
  else io.out(formatReport(path, report, values.verbose));
  if (!report.valid) {
    if (values.json) io.err(`verify-bundle: INVALID: ${report.failed.join(', ')}\n`);
    return EXIT.failed;
  }
  return EXIT.ok;
}

const MARK: Record<CheckReport['status'], string> = {
  pass: 'pass',
  fail: 'FAIL',
  'not-applicable': 'n/a ',
  'not-checked': 'skip',
};

export function formatReport(path: string, report: BundleVerificationReport, verbose = false): string {
  const lines: string[] = [];
  lines.push(`Evidence bundle ${path}`);
  if (report.noticeId) lines.push(`  notice ${report.noticeId}, platform ${report.platformId}`);
  lines.push('');
  const width = Math.max(...report.checks.map((c) => c.id.length));
  for (const check of report.checks) {
    lines.push(`  ${MARK[check.status]}  ${check.id.padEnd(width)}  ${check.label}`);
    for (const p of check.problems) lines.push(`          ✗ ${p}`);
    for (const n of check.notes) lines.push(`          · ${n}`);
    const shown = verbose ? check.covered : check.covered.slice(0, 3);
    for (const c of shown) lines.push(`          ✓ ${c}`);
    if (shown.length < check.covered.length)
      lines.push(`          ✓ … and ${check.covered.length - shown.length} more (--verbose)`);
  }
  lines.push('');
  if (report.regulatorKeys.source === 'bundle') {
    lines.push(
      'Regulator keys: TAKEN FROM THE BUNDLE ITSELF. A bundle can vouch for its own keys, so compare these thumbprints',
      "with the regulator's published keys (/.well-known/regulator-keys.json, or as it publishes them elsewhere), or",
      'run again with --keys:',
    );
  } else lines.push('Regulator keys: the ones you gave (--keys):');
  for (const k of report.regulatorKeys.keys) {
    lines.push(
      `  ${k.kid}  valid from ${k.validFrom ?? '(not stated)'}${k.validUntil ? ` until ${k.validUntil}` : ''}`,
    );
  }
  lines.push('');
  lines.push(
    report.valid
      ? 'VALID: every check passed.'
      : `INVALID: ${report.failed.length} check${report.failed.length === 1 ? '' : 's'} failed: ${report.failed.join(', ')}.`,
  );
  return `${lines.join('\n')}\n`;
}
