import { ACKNOWLEDGE_HELP, acknowledgeCommand } from './commands/acknowledge';
import { EXPORT_BUNDLE_HELP, exportBundle } from './commands/export-bundle';
import { KEYGEN_HELP, keygen } from './commands/keygen';
import { SIGN_MANIFEST_HELP, signManifestCommand } from './commands/sign-manifest';
import { SUBMIT_HELP, submit } from './commands/submit';
import { VERIFY_BUNDLE_HELP, verifyBundleCommand } from './commands/verify-bundle';
import { VERIFY_NOTICE_HELP, verifyNoticeCommand } from './commands/verify-notice';
import { VERIFY_RECEIPT_HELP, verifyReceiptCommand } from './commands/verify-receipt';
import { CliError, EXIT } from './errors';
import type { Io } from './io';

/** The `notice-portal` command: dispatches to a command and turns failures into a message and an exit status. */
const COMMANDS: Record<string, { run: (argv: string[], io: Io) => Promise<number>; help: string; summary: string }> = {
  keygen: { run: keygen, help: KEYGEN_HELP, summary: 'create the key pair your platform signs responses with' },
  'sign-manifest': {
    run: signManifestCommand,
    help: SIGN_MANIFEST_HELP,
    summary: 'sign a manifest downloaded from the web app; attach the signature there',
  },
  submit: { run: submit, help: SUBMIT_HELP, summary: 'upload, sign and file a response to a notice; save the receipt' },
  'export-bundle': {
    run: exportBundle,
    help: EXPORT_BUNDLE_HELP,
    summary: "download a notice's evidence bundle (ZIP), with its files or only their hashes",
  },
  'verify-receipt': {
    run: verifyReceiptCommand,
    help: VERIFY_RECEIPT_HELP,
    summary: "check a receipt against the regulator's public keys (and the files against it)",
  },
  'verify-notice': {
    run: verifyNoticeCommand,
    help: VERIFY_NOTICE_HELP,
    summary: "check a signed notice against the regulator's keys and their validity windows",
  },
  acknowledge: {
    run: acknowledgeCommand,
    help: ACKNOWLEDGE_HELP,
    summary: 'acknowledge receipt of a notice, optionally countersigning the signed notice',
  },
  'verify-bundle': {
    run: verifyBundleCommand,
    help: VERIFY_BUNDLE_HELP,
    summary: "check a notice's evidence bundle offline: signatures, chains, checkpoints, keys, files, due time",
  },
};

export const MAIN_HELP = `Usage: notice-portal <command> [options]

Files responses to regulator notices through the notice-response portal.

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(16)}${c.summary}`)
  .join('\n')}

Run "notice-portal <command> --help" for a command's options.
Environment: NOTICE_PORTAL_API (the portal's URL), NOTICE_PORTAL_TOKEN (your access token).
Exit status: 0 success, 1 failed or invalid, 2 wrong usage, 3 stopped before finishing (rerun to resume).
`;

export async function runCli(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  const debug = argv.includes('--debug');
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic && COMMANDS[topic]) io.out(COMMANDS[topic].help);
    else io.out(MAIN_HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`notice-portal: unknown command "${name}".\n\n${MAIN_HELP}`);
    return EXIT.usage;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    return reportFailure(io, error, debug);
  }
}

function reportFailure(io: Io, error: unknown, debug: boolean): number {
  if (io.signal?.aborted && !(error instanceof CliError)) {
    io.err('\nInterrupted. Progress is saved: run the same command again to resume.\n');
    return EXIT.sigint;
  }
  if (error instanceof CliError) {
    io.err(`error: ${error.message}\n`);
    for (const line of error.details) io.err(`  ${line}\n`);
    if (debug && error.stack) io.err(`${error.stack}\n`);
    return error.exitCode;
  }
  io.err(`error: ${(error as Error)?.message ?? String(error)}\n`);
  io.err(debug ? `${(error as Error)?.stack ?? ''}\n` : 'Run again with --debug for details.\n');
  return EXIT.failed;
}
