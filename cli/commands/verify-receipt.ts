import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { API_OPTIONS, ENV_API, parseCommandArgs, resolveApi } from '../args';
import { CliError, EXIT, fileProblem, UsageError } from '../errors';
import type { Io } from '../io';
import { ProgressBar } from '../progress';
import { checkFiles, formatReceipt, InvalidReceipt, loadJwks, verifyReceipt } from '../receipt';

export const VERIFY_RECEIPT_HELP = `Usage: notice-portal verify-receipt RECEIPT.jws [--jwks URL|FILE] [--api URL] [--dir FOLDER] [--json]

Checks that a receipt was signed by the regulator's receipt key and shows what it states. With --dir, also
re-hashes the files in FOLDER and checks each against the receipt's SHA-256.

  --jwks URL|FILE   the regulator's public receipt keys (default: <api>/.well-known/receipt-keys.json)
  --api URL         the portal (default: $${ENV_API}); not needed with --jwks
  --dir FOLDER      the folder the response was filed from
  --json            print {"valid", "claims", "files"} as JSON
  --quiet           no progress output

Exit status: 0 valid (and, with --dir, every file matches), 1 invalid (the reason is printed), 2 wrong usage.
`;

function onlyReceiptFile(positionals: string[]): string {
  const [receiptFile, ...others] = positionals;
  if (receiptFile === undefined || others.length > 0) {
    throw new UsageError('Give exactly one receipt file: notice-portal verify-receipt RECEIPT.jws', 'verify-receipt');
  }
  return receiptFile;
}

export async function verifyReceiptCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'verify-receipt',
    argv,
    {
      ...API_OPTIONS,
      jwks: { type: 'string' },
      dir: { type: 'string' },
      json: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
    },
    true,
  );
  if (values.help) {
    io.out(VERIFY_RECEIPT_HELP);
    return EXIT.ok;
  }
  const receiptPath = resolve(onlyReceiptFile(positionals));
  const jwksSource = values.jwks ?? `${resolveApi('verify-receipt', values.api, io)}/.well-known/receipt-keys.json`;
  let jws: string;
  try {
    jws = await readFile(receiptPath, 'utf8');
  } catch (error) {
    throw fileProblem('The receipt', receiptPath, error);
  }

  let receipt: Awaited<ReturnType<typeof verifyReceipt>>;
  try {
    receipt = await verifyReceipt(jws, await loadJwks(jwksSource));
  } catch (error) {
    if (error instanceof InvalidReceipt && values.json) {
      io.out(`${JSON.stringify({ valid: false, reason: error.message, details: error.details })}\n`);
      return EXIT.failed;
    }
    throw error;
  }

  const files = values.dir
    ? await checkFiles(resolve(values.dir), receipt.claims.files, hashingProgress(io, values.quiet))
    : undefined;
  const mismatched = files?.filter((f) => !f.ok) ?? [];

  if (values.json) {
    io.out(
      `${JSON.stringify({ valid: mismatched.length === 0, alg: receipt.alg, kid: receipt.kid, claims: receipt.claims, files })}\n`,
    );
  } else {
    io.out(formatReceipt(receipt));
    if (files) io.out(formatFileChecks(resolve(values.dir as string), files));
  }
  if (mismatched.length > 0) {
    throw new CliError(
      `The receipt is genuine, but ${mismatched.length} of ${files?.length} files in the folder are not the files it receipts.`,
    );
  }
  return EXIT.ok;
}

/** A progress bar for each file large enough to take a while to hash. */
function hashingProgress(io: Io, quiet: boolean) {
  return (name: string, size: number) => {
    const bar = size >= 64 * 1024 ** 2 ? new ProgressBar(io, `${name} (hashing)`, size, { quiet }) : undefined;
    let seen = 0;
    return (bytes: number) => {
      seen += bytes;
      bar?.add(bytes);
      if (seen >= size) bar?.finish('hashed');
    };
  };
}

function formatFileChecks(dir: string, files: readonly { name: string; ok: boolean; problem?: string }[]): string {
  const lines = files.map(
    (f) => `    ${f.ok ? 'ok      ' : 'MISMATCH'}  ${f.name}${f.problem ? `: ${f.problem}` : ''}\n`,
  );
  return `  files in ${dir}:\n${lines.join('')}`;
}
