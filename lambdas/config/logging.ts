import * as z from '../domain/zod';
import { ENV, parseEnvironment } from './env';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LoggingEnv = z.object({ [ENV.logLevel]: z._default(z.enum(['debug', 'info', 'warn', 'error']), 'info') });

/** The log level; the logger itself reads LOG_LEVEL at each line, so this only checks the value is one it knows. */
export function parseLoggingConfig(env: NodeJS.ProcessEnv): { logLevel: LogLevel } {
  return { logLevel: parseEnvironment(LoggingEnv, env)[ENV.logLevel] };
}
