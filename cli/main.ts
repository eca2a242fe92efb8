import { runCli } from './cli';
import { processIo } from './io';

/**
 * Entry point (`npm run cli -- …`, `npx notice-portal …` through notice-portal.cjs). Ctrl-C aborts the uploads in
 * flight; the state file already holds every finished part, so the rerun resumes. A second Ctrl-C quits at once.
 */
const interrupt = new AbortController();
process.once('SIGINT', () => {
  interrupt.abort();
  process.once('SIGINT', () => process.exit(130));
});

runCli(process.argv.slice(2), processIo(interrupt.signal)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`notice-portal: ${error?.stack ?? error}\n`);
    process.exitCode = 1;
  },
);
