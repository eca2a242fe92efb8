'use strict';
/**
 * Loads one Lambda bundle the way the Node.js runtime does at a cold start — `require` it, which runs its module
 * scope — and checks that it exports `handler` as a function. Run in a fresh process with exactly the function's
 * environment (see tests/infra/synthesized-functions.ts); used by the Node 24 parity test and the cold-start
 * benchmark. Plain CommonJS with no imports, so any Node version runs it as is and nothing of it adds to the
 * figures.
 *
 * Usage: node load-bundle.cjs <bundle>/index.js
 * Prints one line `LOAD-BUNDLE {json}` (the handler may log lines of its own): ok, and the figures of the load
 * (wall and CPU time of the `require`, the process's CPU time and peak RSS so far), or the error. Exit code 1 when
 * the bundle did not start.
 */
const bootCpu = process.cpuUsage();
const started = process.hrtime.bigint();
const bundle = process.argv[2];

/**
 * The process's peak resident memory. On Linux from VmHWM, which starts afresh at exec: getrusage's maxRSS is
 * carried over from the forked parent, so a loader started by a large parent (jest, tsx) would report the parent's.
 */
function peakRssKiB() {
  try {
    const hwm = require('node:fs')
      .readFileSync('/proc/self/status', 'utf8')
      .match(/^VmHWM:\s+(\d+) kB/m);
    if (hwm) return Number(hwm[1]);
  } catch {}
  return process.resourceUsage().maxRSS;
}

function report(result) {
  const total = process.cpuUsage();
  const line = {
    ...result,
    node: process.version,
    wallMs: Number(process.hrtime.bigint() - started) / 1e6,
    userMs: (total.user - bootCpu.user) / 1000,
    sysMs: (total.system - bootCpu.system) / 1000,
    processCpuMs: (total.user + total.system) / 1000,
    maxRssKiB: peakRssKiB(),
  };
  process.stdout.write(`LOAD-BUNDLE ${JSON.stringify(line)}\n`, () => process.exit(result.ok ? 0 : 1));
}

// An error thrown by a promise the module scope started (e.g. a configuration check in an async builder) is a
// failed start too: the Lambda runtime would report it as an init error.
process.on('unhandledRejection', (error) => report({ ok: false, error: String(error?.stack ?? error) }));

try {
  if (!bundle) throw new Error('usage: node load-bundle.cjs <bundle>/index.js');
  const mod = require(require('node:path').resolve(bundle));
  if (typeof mod.handler !== 'function') throw new Error(`handler is ${typeof mod.handler}, not a function`);
  // Let promises the module scope started settle one turn before reporting, without waiting for any network.
  setImmediate(() => report({ ok: true }));
} catch (error) {
  report({ ok: false, error: String(error?.stack ?? error) });
}
