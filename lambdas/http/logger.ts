import { parseLoggingConfig } from '../config/logging';

/**
 * One JSON object per line, the shape CloudWatch Logs Insights queries best. Only what is passed in is written:
 * never a request body or a token.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export function createLogger(
  base: Record<string, unknown> = {},
  /** Fixed level; when absent, LOG_LEVEL is read at each line, so it can be changed in a running process. */
  level?: Level,
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Logger {
  const threshold = () => ORDER[level ?? (process.env.LOG_LEVEL as Level)] ?? ORDER.info;
  const emit = (lvl: Level, message: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < threshold()) return;
    write(JSON.stringify({ level: lvl, time: new Date().toISOString(), message, ...base, ...fields }));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger({ ...base, ...fields }, level, write),
  };
}

// Every function logs, so this is where a bad LOG_LEVEL stops it at cold start, as any other bad setting does,
// instead of quietly logging at `info`.
parseLoggingConfig(process.env);

export const logger = createLogger({ service: 'notice-portal' });
