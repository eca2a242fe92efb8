import { AsyncLocalStorage } from 'node:async_hooks';
import { logger } from './logger';
import { METRIC_SERVICE } from './metric-names';
import { captureHttpRequests } from './xray-http-capture';
import { instrumentClient } from './xray-sdk-middleware';
import { epochSeconds, handlerSubsegment, newSegmentId, type SubsegmentDocument } from './xray-segment-documents';
import { currentTraceHeaderValue, parseTraceHeader } from './xray-trace-header';
import type { ActiveTrace } from './xray-tracing-hooks';
import { type UdpEmitter, udpEmitter } from './xray-udp-emitter';

/**
 * X-Ray tracing, sent by the portal itself. On AWS every function has active tracing (portal-function.ts), so
 * Lambda opens a segment per invocation and runs an X-Ray daemon next to the function; the handler adds a
 * subsegment of its own (see {@link inHandlerSegment}) and every AWS SDK client the runtime builds is passed
 * through {@link traced}, so each DynamoDB, S3, KMS, SES, Cognito and Lambda call is a subsegment of it. The
 * documents are built by xray-segment-documents.ts and sent over UDP by xray-udp-emitter.ts. Other outbound HTTP
 * calls (jose's JWKS fetch) are subsegments too (xray-http-capture.ts), as Powertools' default captured them.
 *
 * Why not the X-Ray SDK (which Powertools Tracer wraps): loading it was 0.1–0.3× of every function's cold start,
 * and at import it enables a process-wide async hook (cls-hooked, with a destroy callback) that runs on every
 * promise and socket whether or not anything is traced; and AWS has put the X-Ray SDKs in maintenance mode
 * (docs/PERFORMANCE.md, "The X-Ray SDK replaced"). Lambda gives us all that the SDK's Lambda mode used: the trace
 * header per invocation and the daemon's address.
 *
 * Tracing is on only in a Lambda execution environment (AWS_EXECUTION_ENV set) without
 * POWERTOOLS_TRACE_ENABLED=false — the switch Powertools Tracer read, kept under its name so the local portal's
 * setting (no daemon there) still means what it did — and then only for an invocation whose trace header says
 * Sampled=1: an unsampled one sends nothing, as with the SDK. Elsewhere `traced` hands back the client untouched
 * and `inHandlerSegment` just runs the work: nothing is loaded, no socket, no async context.
 *
 * A tracing failure never fails or slows a request: every step is caught, sends are fire and forget, and the first
 * failure is logged (a warning), later ones not.
 */
const enabled = tracingEnabled(process.env);

function tracingEnabled(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.AWS_EXECUTION_ENV) && env.POWERTOOLS_TRACE_ENABLED?.toLowerCase() !== 'false';
}

/**
 * ColdStart as Powertools annotated it: true on the first invocation of an on-demand execution environment only
 * (a provisioned-concurrency or SnapStart one was initialised ahead of any request).
 */
let coldStart = process.env.AWS_LAMBDA_INITIALIZATION_TYPE === 'on-demand';

/**
 * The handler subsegment an SDK or HTTP call runs in; made at the first sampled invocation, when the HTTP capture
 * (xray-http-capture.ts) starts listening too.
 */
let invocations: AsyncLocalStorage<ActiveTrace> | undefined;
let emitter: UdpEmitter | undefined;
let failureLogged = false;

function reportFailure(error: unknown): void {
  if (failureLogged) return;
  failureLogged = true;
  try {
    logger.warn('X-Ray tracing failed; the request goes on untraced, and later tracing failures are not logged', {
      error,
    });
  } catch {
    // Not even the log line: tracing must never throw into a request.
  }
}

function emit(document: SubsegmentDocument): void {
  emitter ??= udpEmitter(reportFailure);
  emitter.send(document);
}

/**
 * The trace an SDK call belongs to: the handler subsegment it runs in, or, for a call made outside one (a handler
 * not wrapped by instrumented-handler.ts), Lambda's own segment for the invocation. Undefined when not sampled.
 */
function activeTrace(): ActiveTrace | undefined {
  const inHandler = invocations?.getStore();
  if (inHandler) return inHandler;
  const header = parseTraceHeader(currentTraceHeaderValue());
  return header?.sampled ? { header, parentId: header.parent } : undefined;
}

/** The same client, with a subsegment per AWS call when tracing is enabled (and untouched when it is not). */
export function traced<T>(client: T): T {
  if (!enabled) return client;
  try {
    return instrumentClient(client, { activeTrace, emit, onFailure: reportFailure });
  } catch (error) {
    reportFailure(error);
    return client;
  }
}

/**
 * Runs one invocation inside a `## <handler>` subsegment annotated with the cold start and the service; an error is
 * recorded on it (its message and stack, never the event or the response, which can hold a notice's text).
 */
export async function inHandlerSegment<T>(work: () => Promise<T>): Promise<T> {
  if (!enabled) return work();
  const wasColdStart = coldStart;
  coldStart = false;

  let trace: ActiveTrace | undefined;
  try {
    const header = parseTraceHeader(currentTraceHeaderValue());
    if (header?.sampled) trace = { header, parentId: newSegmentId() };
  } catch (error) {
    reportFailure(error);
  }
  if (!trace) return work();

  const opened = trace;
  const startTime = epochSeconds();
  const close = (error?: unknown) => {
    try {
      emit(
        handlerSubsegment({
          traceId: opened.header.root,
          id: opened.parentId,
          parentId: opened.header.parent,
          startTime,
          endTime: epochSeconds(),
          name: `## ${process.env._HANDLER ?? 'handler'}`,
          coldStart: wasColdStart,
          service: METRIC_SERVICE,
          ...(error === undefined ? {} : { error }),
        }),
      );
    } catch (failure) {
      reportFailure(failure);
    }
  };

  if (!invocations) {
    invocations = new AsyncLocalStorage<ActiveTrace>();
    captureHttpRequests({ activeTrace, emit, onFailure: reportFailure });
  }
  return invocations.run(opened, async () => {
    try {
      const result = await work();
      close();
      return result;
    } catch (error) {
      close(error ?? 'error');
      throw error;
    }
  });
}
