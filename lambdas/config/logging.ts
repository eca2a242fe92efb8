import * as z from 'zod';
import { ENV, parseEnvironment } from './env';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LoggingEnv = z.object({ [ENV.logLevel]: z.enum(['debug', 'info', 'warn', 'error']).default('info') });

/** The log level (observability/logger.ts reads it once, at load): a value it does not know stops the function. */
export function parseLoggingConfig(env: NodeJS.ProcessEnv): { logLevel: LogLevel } {
  return { logLevel: parseEnvironment(LoggingEnv, env)[ENV.logLevel] };
}
