/**
 * Failures the CLI explains to its user. Anything else that escapes a command is a bug: it is shown as one line,
 * with the stack only under `--debug`.
 */

/** Exit codes: 0 success, 1 refused or invalid, 2 wrong usage, 3 interrupted (resumable), 130 Ctrl-C. */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 3, sigint: 130 } as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
    /** Extra lines printed under the message, e.g. one per field the portal refused. */
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}

/** Wrong flags or arguments: exit 2 and point at `--help`. */
export class UsageError extends CliError {
  constructor(message: string, command?: string) {
    super(message, EXIT.usage, [`See: notice-portal ${command ? `${command} ` : ''}--help`]);
  }
}

/** The upload stopped before it finished; the state file lets a rerun pick it up. */
export class Interrupted extends CliError {
  constructor(message: string, exitCode: number = EXIT.interrupted) {
    super(message, exitCode);
  }
}

/** For a value that must be present in a file the user named: a missing file is their mistake, not a bug. */
export function fileProblem(what: string, path: string, error: unknown): CliError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new CliError(`${what} ${path} does not exist.`);
  if (code === 'EACCES') return new CliError(`${what} ${path} cannot be read (permission denied).`);
  if (code === 'EISDIR') return new CliError(`${what} ${path} is a folder, not a file.`);
  return new CliError(`${what} ${path} cannot be read: ${(error as Error).message}`);
}

/** Why a fetch failed, as the network layer puts it (`ECONNREFUSED`, `bad port`, …); fetch itself only says "fetch failed". */
export function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
}
