import type { Context } from 'aws-lambda';
import { logger } from './logger';
import { publishMetrics } from './metrics';
import { inHandlerSegment } from './tracer';

/**
 * Wraps a Lambda handler with what every portal function does per invocation: the Lambda context on every log
 * line (request id, cold start, function name), a tracing subsegment, and one flush of the invocation's metrics,
 * also when the handler throws. The local portal calls the same wrapped handlers, with no context (or none at all
 * for scheduled jobs: `handler()`), so the signature is the handler's own.
 */
export function instrumented<A extends unknown[], R>(handler: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    const context = args[1];
    if (isLambdaContext(context)) logger.addContext(context);
    try {
      return await inHandlerSegment(() => handler(...args));
    } finally {
      publishMetrics();
    }
  };
}

function isLambdaContext(value: unknown): value is Context {
  return typeof value === 'object' && value !== null && typeof (value as Context).awsRequestId === 'string';
}
