import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { epochSeconds, httpCallSubsegment, newSegmentId } from './xray-segment-documents';
import type { ActiveTrace, TracingHooks } from './xray-tracing-hooks';

/**
 * Records plain outbound HTTP(S) calls (not the AWS SDK's) as `remote` subsegments, as the X-Ray SDK's
 * `captureHTTPsGlobal` did for Powertools Tracer: in the portal that is jose fetching the Cognito JWKS. It listens on
 * Node's own `http.client.*` diagnostics channels instead of patching `http`/`https`, so nothing is wrapped and a
 * request outside a sampled invocation costs one map lookup.
 *
 * A request that already carries an `X-Amzn-Trace-Id` is an AWS SDK call (the SDK middleware, or the SDK's own
 * recursion detection in Lambda, sets one on every request) and is recorded by xray-sdk-middleware.ts instead.
 * The channel's subscriber runs synchronously inside `http.request`, so the caller's invocation is the active one.
 */
interface StartedRequest {
  trace: ActiveTrace;
  id: string;
  startTime: number;
}

let subscribed = false;

/** Subscribes once per process; later calls do nothing. */
export function captureHttpRequests(hooks: TracingHooks): void {
  if (subscribed) return;
  subscribed = true;
  const started = new WeakMap<ClientRequest, StartedRequest>();

  const finish = (request: ClientRequest, status: number | undefined, error?: unknown) => {
    const call = started.get(request);
    if (!call) return;
    started.delete(request);
    const timing = {
      traceId: call.trace.header.root,
      id: call.id,
      parentId: call.trace.parentId,
      startTime: call.startTime,
      endTime: epochSeconds(),
    };
    // The Host header has the port when it is not the protocol's default; `host` never has it.
    const authority = request.getHeader('host') ?? request.host;
    const url = `${request.protocol}//${String(authority)}${request.path}`;
    hooks.emit(
      httpCallSubsegment(timing, {
        host: request.host,
        method: request.method,
        url,
        status,
        ...(error === undefined ? {} : { error }),
      }),
    );
  };

  const guarded =
    <M>(listener: (message: M) => void) =>
    (message: unknown) => {
      try {
        listener(message as M);
      } catch (error) {
        hooks.onFailure(error);
      }
    };

  subscribe(
    'http.client.request.start',
    guarded(({ request }: { request: ClientRequest }) => {
      if (request.getHeader('x-amzn-trace-id') !== undefined) return;
      const trace = hooks.activeTrace();
      if (trace) started.set(request, { trace, id: newSegmentId(), startTime: epochSeconds() });
    }),
  );
  subscribe(
    'http.client.response.finish',
    guarded(({ request, response }: { request: ClientRequest; response: IncomingMessage }) =>
      finish(request, response.statusCode),
    ),
  );
  subscribe(
    'http.client.request.error',
    guarded(({ request, error }: { request: ClientRequest; error: unknown }) => finish(request, undefined, error)),
  );
}
