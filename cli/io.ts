/**
 * Where a command writes. Results go to stdout and nothing else does; progress, hints and errors go to stderr, so
 * `notice-portal submit … --json | jq` works and CI logs still show what happened.
 */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Redraw progress in place only on a terminal; CI logs get one line per 10 %. */
  stderrIsTty: boolean;
  env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C, so uploads stop promptly and the state file stays consistent. */
  signal?: AbortSignal;
}

export function processIo(signal?: AbortSignal): Io {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    stderrIsTty: Boolean(process.stderr.isTTY),
    env: process.env,
    signal,
  };
}

/** An Io that keeps what is written, for running commands in-process (tests, embedding). */
export function memoryIo(env: NodeJS.ProcessEnv = {}): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out(text: string) {
      io.stdout += text;
    },
    err(text: string) {
      io.stderr += text;
    },
    stderrIsTty: false,
    env,
  };
  return io;
}
