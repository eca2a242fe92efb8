import type { Context } from 'aws-lambda';
import { type LogLevel, parseLoggingConfig } from '../config/logging';
import { formatLogLine, type InvocationKeys } from './log-line';
import { METRIC_SERVICE } from './metric-names';
import { currentRequestLogKeys } from './request-context';
import { currentTraceHeaderValue, parseTraceHeader } from './xray-trace-header';

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** A line's own fields; an `Error` may be passed alone, and is then the line's `error` field. */
export type LogFields = Record<string, unknown> | Error;

/**
 * The portal's one logger: one JSON object per line (log-line.ts), debug and info on stdout, warn and error on
 * stderr, with the Lambda context once a handler has added it (instrumented-handler.ts) and, during an API request,
 * its request id, route and caller (request-context.ts). Only what is passed in is written: never a request body or
 * a token.
 *
 * The portal's own, not Powertools Logger, which it replaced: every function loads a logger at cold start, and
 * Powertools' Logger and Metrics cost about 14 ms of each one (docs/PERFORMANCE.md, "Logger and metrics"), for
 * features (buffering, sampling, child loggers, correlation ids) the portal does not use.
 */
export class PortalLogger {
  #level: LogLevel;
  #invocation: InvocationKeys | undefined;
  #invocations = 0;

  constructor(
    level: LogLevel,
    private readonly service: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.#level = level;
  }

  get level(): LogLevel {
    return this.#level;
  }

  /** Lines below `level` are not written from now on (the local portal's `--log-level`). */
  setLogLevel(level: LogLevel): void {
    this.#level = level;
  }

  /**
   * The Lambda invocation every later line belongs to. Only the first invocation of a process is a cold start,
   * and none is in a provisioned-concurrency environment, whose start-up happened before any request.
   */
  addContext(context: Pick<Context, 'awsRequestId' | 'functionName'>): void {
    this.#invocations += 1;
    const provisioned = this.env.AWS_LAMBDA_INITIALIZATION_TYPE === 'provisioned-concurrency';
    this.#invocation = {
      coldStart: this.#invocations === 1 && !provisioned,
      functionName: context.functionName,
      requestId: context.awsRequestId,
    };
  }

  debug(message: string, fields?: LogFields): void {
    this.write('debug', message, fields);
  }

  info(message: string, fields?: LogFields): void {
    this.write('info', message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    this.write('warn', message, fields);
  }

  error(message: string, fields?: LogFields): void {
    this.write('error', message, fields);
  }

  private write(level: LogLevel, message: string, fields: LogFields | undefined): void {
    if (RANK[level] < RANK[this.#level]) return;
    const line = formatLogLine(
      {
        level,
        message,
        time: new Date(),
        service: this.service,
        invocation: this.#invocation,
        traceId: parseTraceHeader(currentTraceHeaderValue(this.env))?.root,
        request: currentRequestLogKeys(),
      },
      fields instanceof Error ? { error: fields } : fields,
    );
    // Looked up at each line, not kept: a test (or the local portal) may replace a stream's write.
    const stream = RANK[level] >= RANK.warn ? process.stderr : process.stdout;
    stream.write(`${line}\n`);
  }
}

// Every function logs, so this is where a bad LOG_LEVEL stops it at cold start, as any other bad setting does.
const { logLevel } = parseLoggingConfig(process.env);

/**
 * Call it as `logger.info('message', { field: value })`; an `Error` goes in a field of its own
 * (`logger.error('…', { error })`, or `logger.error('…', error)`), formatted with its name, message and stack.
 */
export const logger = new PortalLogger(logLevel, METRIC_SERVICE);
