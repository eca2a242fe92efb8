import type { LogLevel } from '../config/logging';
import type { RequestLogKeys } from './request-context';

/** The Lambda invocation a line was written in, when a handler has been given one (instrumented-handler.ts). */
export interface InvocationKeys {
  coldStart: boolean;
  functionName: string;
  requestId: string;
}

/** What every line carries besides its own fields. */
export interface LineContext {
  level: LogLevel;
  message: string;
  time: Date;
  service: string;
  invocation?: InvocationKeys;
  /** The X-Ray trace id (the invocation's trace header's `Root`), when Lambda gave one. */
  traceId?: string;
  request?: RequestLogKeys;
}

/**
 * One log line: a JSON object with the standard keys first (level, message, timestamp, service, the Lambda
 * invocation, the X-Ray trace id), then the keys of the API request being answered (request id, route, caller),
 * then the line's own fields. The keys and their formats are the ones Powertools Logger wrote, which the portal
 * used before (docs/PERFORMANCE.md, "Logger and metrics"), so queries written against earlier lines still work.
 *
 * A field never replaces a standard key; it may replace a request key (its own `route`, say).
 */
export function formatLogLine(line: LineContext, fields: Record<string, unknown> | undefined): string {
  const item: Record<string, unknown> = {
    level: line.level.toUpperCase(),
    message: line.message,
    timestamp: line.time.toISOString(),
    service: line.service,
    cold_start: line.invocation?.coldStart,
    function_name: line.invocation?.functionName,
    function_request_id: line.invocation?.requestId,
    xray_trace_id: line.traceId,
  };
  const standard = new Set(Object.keys(item));
  // Copied: the caller object is the request's own, and a field must not change it for the lines after.
  if (line.request) Object.assign(item, { ...line.request, caller: { ...line.request.caller } });
  if (fields) for (const [key, value] of Object.entries(fields)) if (!standard.has(key)) item[key] = value;
  return JSON.stringify(item, jsonReplacer());
}

/**
 * An `Error` anywhere in a line becomes its name, code location, message, stack, cause (recursively) and own
 * fields (an SDK error's `$metadata`, say); a bigint its decimal string; a circular reference is left out rather
 * than failing the line.
 */
function jsonReplacer(): (this: unknown, key: string, value: unknown) => unknown {
  const ancestors: unknown[] = [];
  return function (this: unknown, _key: string, value: unknown): unknown {
    const replaced = value instanceof Error ? formatError(value) : value;
    if (typeof replaced === 'bigint') return replaced.toString();
    if (typeof replaced === 'object' && replaced !== null) {
      // `this` is the object holding the key: ancestors deeper than it are siblings' subtrees, already done.
      while (ancestors.length > 0 && ancestors.at(-1) !== this) ancestors.pop();
      if (ancestors.includes(replaced)) return undefined;
      ancestors.push(replaced);
    }
    return replaced;
  };
}

export function formatError(error: Error): Record<string, unknown> {
  const formatted: Record<string, unknown> = {
    name: error.name,
    location: codeLocation(error.stack),
    message: error.message,
    stack: error.stack,
    cause: error.cause instanceof Error ? formatError(error.cause) : error.cause,
  };
  for (const [key, value] of Object.entries(error)) {
    if (!['name', 'message', 'stack', 'cause'].includes(key)) formatted[key] = value;
  }
  return formatted;
}

/** `file:line` of the first stack frame that names one: where the error was made. */
function codeLocation(stack: string | undefined): string {
  for (const frame of stack?.split('\n') ?? []) {
    const match = /\(([^()]*?):(\d+?):(\d+?)\)\\?$/.exec(frame);
    if (match) return `${match[1]}:${Number(match[2])}`;
  }
  return '';
}
