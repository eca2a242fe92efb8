import { type AwsCall, awsCallSubsegment, epochSeconds, newSegmentId } from './xray-segment-documents';
import { downstreamTraceHeader } from './xray-trace-header';
import type { ActiveTrace, TracingHooks } from './xray-tracing-hooks';

/**
 * An AWS SDK v3 middleware that records each operation as an X-Ray subsegment, shaped as aws-xray-sdk-core's
 * `captureAWSv3Client` does it (dist/lib/patchers/aws3_p.js): in the `build` step, so one subsegment covers the
 * operation with all of its retries (which run later, in `finalizeRequest`), and the `X-Amzn-Trace-Id` it sets
 * (parent: this subsegment) is in place before the request is signed. The SDK's own recursion-detection middleware
 * (same step, lower priority) leaves a header already set alone; on an unsampled invocation it still passes on
 * Lambda's header (`Sampled=0`), as the X-Ray SDK would.
 */
export const XRAY_MIDDLEWARE_NAME = 'PortalXRayTracing';

/** The little of an SDK client this middleware needs (structural, so it takes any v3 client). */
export interface TraceableClient {
  middlewareStack: {
    add(middleware: unknown, options: { step: 'build'; name: string; override?: boolean; tags?: string[] }): void;
    remove(nameOrMiddleware: string): boolean;
  };
  config: { region?: unknown };
}

interface HandlerContext {
  clientName?: string;
  commandName?: string;
}
interface BuildArgs {
  input?: Record<string, unknown>;
  request?: { headers?: Record<string, string> };
}
interface SdkMetadata {
  httpStatusCode?: number;
  requestId?: string;
  extendedRequestId?: string;
  attempts?: number;
}

/** Adds the middleware to `client` (once: adding it again replaces it) and returns the same client. */
export function instrumentClient<T>(client: T, hooks: TracingHooks): T {
  const { middlewareStack, config } = client as unknown as TraceableClient;
  middlewareStack.remove(XRAY_MIDDLEWARE_NAME);
  middlewareStack.add(
    xrayMiddleware(hooks, () => resolveRegion(config.region)),
    {
      step: 'build',
      name: XRAY_MIDDLEWARE_NAME,
      tags: ['X_RAY', 'TRACE_CONTEXT_PROPAGATION'],
    },
  );
  return client;
}

type Next = (args: BuildArgs) => Promise<{ output?: { $metadata?: SdkMetadata } }>;

/** Which call: `DynamoDB`/`GetItem` from the client's and the command's names, and its input (for the table). */
interface CallIdentity {
  service: string;
  operation: string;
  input?: Record<string, unknown>;
}

interface StartedCall {
  trace: ActiveTrace;
  id: string;
  startTime: number;
}

export function xrayMiddleware(hooks: TracingHooks, region: () => Promise<string | undefined>) {
  return (next: Next, context: HandlerContext) =>
    async (args: BuildArgs): Promise<Awaited<ReturnType<Next>>> => {
      const started = startCall(hooks, args);
      if (!started) return next(args);

      const call: CallIdentity = {
        service: trimSuffix(context.clientName, 'Client') ?? 'AWS',
        operation: trimSuffix(context.commandName, 'Command') ?? 'Unknown',
        input: args.input,
      };
      try {
        const result = await next(args);
        void record(hooks, region, started, call, result.output?.$metadata);
        return result;
      } catch (error) {
        const metadata = (error as { $metadata?: SdkMetadata } | undefined)?.$metadata;
        void record(hooks, region, started, call, metadata, error ?? 'error');
        throw error;
      }
    };
}

/** Opens the call's subsegment when the invocation is sampled, and passes it on downstream in the trace header. */
function startCall(hooks: TracingHooks, args: BuildArgs): StartedCall | undefined {
  try {
    const trace = hooks.activeTrace();
    if (!trace) return undefined;
    const started = { trace, id: newSegmentId(), startTime: epochSeconds() };
    if (args.request?.headers) {
      args.request.headers['X-Amzn-Trace-Id'] = downstreamTraceHeader(trace.header, started.id);
    }
    return started;
  } catch (error) {
    hooks.onFailure(error);
    return undefined;
  }
}

/**
 * Builds and sends the subsegment once the call has settled, off the call's path: the region is a provider that
 * may (once) be asynchronous, and nothing here may delay the caller or throw into it.
 */
async function record(
  hooks: TracingHooks,
  region: () => Promise<string | undefined>,
  started: StartedCall,
  call: CallIdentity,
  metadata: SdkMetadata | undefined,
  error?: unknown,
): Promise<void> {
  const endTime = epochSeconds();
  try {
    const awsCall: AwsCall = {
      service: call.service,
      operation: call.operation,
      region: await region(),
      requestId: metadata?.requestId,
      extendedRequestId: metadata?.extendedRequestId,
      attempts: metadata?.attempts,
      status: metadata?.httpStatusCode,
      tableName: stringField(call.input, 'TableName'),
      bucketName: stringField(call.input, 'Bucket'),
      ...(error === undefined ? {} : { error }),
    };
    const timing = {
      traceId: started.trace.header.root,
      id: started.id,
      parentId: started.trace.parentId,
      startTime: started.startTime,
      endTime,
    };
    hooks.emit(awsCallSubsegment(timing, awsCall));
  } catch (failure) {
    hooks.onFailure(failure);
  }
}

async function resolveRegion(region: unknown): Promise<string | undefined> {
  const value = typeof region === 'function' ? await (region as () => unknown)() : region;
  return typeof value === 'string' ? value : undefined;
}

function trimSuffix(name: string | undefined, suffix: string): string | undefined {
  if (!name) return undefined;
  return name.endsWith(suffix) ? name.slice(0, -suffix.length) : name;
}

function stringField(input: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = input?.[key];
  return typeof value === 'string' ? value : undefined;
}
