'use strict';
/**
 * Loads one Lambda bundle the way the Node.js runtime does at a cold start — `require` it, which runs its module
 * scope — and checks that it exports `handler` as a function. Run in a fresh process with exactly the function's
 * environment (see tests/infra/synthesized-functions.ts); used by the Node 24 parity test and the cold-start
 * benchmark. Plain CommonJS with no imports, so any Node version runs it as is and nothing of it adds to the
 * figures.
 *
 * Usage: node load-bundle.cjs <bundle>/index.js [<event>.json]
 * Prints one line `LOAD-BUNDLE {json}` (the handler may log lines of its own): ok, and the figures of the load
 * (wall and CPU time of the `require`, the process's CPU time and peak RSS so far), or the error. Exit code 1 when
 * the bundle did not start.
 *
 * With an event file, the handler is then invoked once with that event and a Lambda context, as the runtime would,
 * and `invocation` in the report says how it ended: `returned` (with the response's `statusCode`, if any) or
 * `rejected` (with the error's name, message, code and causes). Either is a started function; what counts as an
 * ordinary outcome is the caller's to judge. A handler that has not settled by the context's deadline, or a
 * rejection nobody handles, is reported as a failure: the Lambda runtime would time out or crash.
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

let reported = false;
function report(result) {
  // One report per process: the first outcome (a settled handler, a timeout, a crash) is the one that counts.
  if (reported) return;
  reported = true;
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

/** An error as data: its name, message, code and, one level at a time, its causes (SDK errors wrap the socket's). */
function describeError(error, depth = 0) {
  if (error === null || typeof error !== 'object') return { message: String(error) };
  const described = {
    name: error.name,
    message: error.message,
    code: error.code,
    stack: typeof error.stack === 'string' ? error.stack.split('\n').slice(0, 6).join('\n') : undefined,
  };
  if (depth < 4 && error.cause !== undefined) described.cause = describeError(error.cause, depth + 1);
  if (depth < 4 && Array.isArray(error.errors)) described.errors = error.errors.map((e) => describeError(e, depth + 1));
  return described;
}

/** What the Lambda Node.js runtime passes as `context` (the fields handlers read). */
function lambdaContext(remainingMs) {
  const deadline = Date.now() + remainingMs;
  const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'function';
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:123456789012:function:${functionName}`,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '512',
    awsRequestId: '00000000-0000-4000-8000-000000000001',
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

/** Invokes the handler once with the event in `eventFile` and reports how the invocation ended. */
function invoke(handler, eventFile) {
  const event = JSON.parse(require('node:fs').readFileSync(eventFile, 'utf8'));
  // The context tells the handler the function's own timeout (LOAD_BUNDLE_REMAINING_MS), so a job that plans its
  // work by the time left does its real work; the loader gives up much sooner (LOAD_BUNDLE_INVOKE_TIMEOUT_MS).
  const remainingMs = Number(process.env.LOAD_BUNDLE_REMAINING_MS ?? 10000);
  const timeoutMs = Number(process.env.LOAD_BUNDLE_INVOKE_TIMEOUT_MS ?? 10000);
  const timer = setTimeout(
    () => report({ ok: false, error: `the handler did not settle within ${timeoutMs} ms` }),
    timeoutMs,
  );
  const settle = (invocation) => {
    clearTimeout(timer);
    report({ ok: true, invocation });
  };
  Promise.resolve()
    .then(() => handler(event, lambdaContext(remainingMs)))
    .then(
      (value) => settle({ outcome: 'returned', statusCode: value?.statusCode, isAuthorized: value?.isAuthorized }),
      (error) => settle({ outcome: 'rejected', error: describeError(error) }),
    );
}

try {
  if (!bundle) throw new Error('usage: node load-bundle.cjs <bundle>/index.js [<event>.json]');
  const mod = require(require('node:path').resolve(bundle));
  if (typeof mod.handler !== 'function') throw new Error(`handler is ${typeof mod.handler}, not a function`);
  // Let promises the module scope started settle one turn before reporting (or invoking), without waiting for
  // any network.
  const eventFile = process.argv[3];
  setImmediate(() => (eventFile ? invoke(mod.handler, eventFile) : report({ ok: true })));
} catch (error) {
  report({ ok: false, error: String(error?.stack ?? error) });
}
