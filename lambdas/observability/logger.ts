import { Logger } from '@aws-lambda-powertools/logger';
import { parseLoggingConfig } from '../config/logging';
import { PortalLogFormatter } from './log-formatter';
import { METRIC_SERVICE } from './metric-names';

// Every function logs, so this is where a bad LOG_LEVEL stops it at cold start, as any other bad setting does.
// (Powertools itself would quietly fall back to INFO.)
const { logLevel } = parseLoggingConfig(process.env);

/**
 * The portal's one logger (Powertools Logger): one JSON object per line, with the Lambda context once a handler
 * has added it (see instrumented-handler.ts) and, during an API request, its request id, route and caller
 * (request-context.ts). Only what is passed in is written: never a request body or a token.
 *
 * Call it as `logger.info('message', { field: value })`; an `Error` goes in a field of its own
 * (`logger.error('…', { error })`), which Powertools formats with its name, message and stack.
 */
export const logger = new Logger({
  serviceName: METRIC_SERVICE,
  logLevel: logLevel.toUpperCase() as Uppercase<typeof logLevel>,
  logFormatter: new PortalLogFormatter(),
});
