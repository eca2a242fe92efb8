import { randomBytes } from 'node:crypto';

/**
 * X-Ray subsegment documents, as the X-Ray daemon takes them (the segment document schema:
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-api-segmentdocuments.html). Each subsegment is sent on its
 * own, complete, once it has ended ("independent subsegments": `type`, `trace_id` and `parent_id` say where it
 * belongs), as the X-Ray SDK does in Lambda. Pure: the caller passes ids and times, so tests can check every field.
 *
 * Only what is passed in is written: names, timings, the AWS operation and its request id, and an error's message,
 * type and stack. Never an event, a response, a request's parameters or an object key: those can hold a notice's
 * text or a person's details.
 */
export interface SubsegmentDocument {
  name: string;
  id: string;
  trace_id: string;
  parent_id: string;
  /** Epoch seconds, with fractions. */
  start_time: number;
  end_time: number;
  type: 'subsegment';
  /** `aws` for a call to an AWS service, `remote` for another HTTP call (X-Ray draws either as a node of its own). */
  namespace?: 'aws' | 'remote';
  aws?: AwsCallData;
  http?: { request?: { method: string; url: string }; response?: { status: number } };
  annotations?: Record<string, string | number | boolean>;
  error?: true;
  throttle?: true;
  fault?: true;
  cause?: { exceptions: RecordedException[] };
}

/** The `aws` object of an SDK call's subsegment; `table_name`/`bucket_name` only for DynamoDB/S3 calls. */
export interface AwsCallData {
  operation: string;
  region?: string;
  request_id?: string;
  /** How many times the SDK retried (its attempts, less the first). */
  retries: number;
  /** S3's extended request id (`x-amz-id-2`), which AWS support asks for. */
  id_2?: string;
  table_name?: string;
  bucket_name?: string;
}

export interface RecordedException {
  id: string;
  message: string;
  type: string;
  /** True when the exception came from the service called (an AWS error response), not this code. */
  remote?: true;
  stack?: StackFrame[];
}

interface StackFrame {
  path: string;
  line?: number;
  label?: string;
}

/** A new segment or exception id: 64 random bits, 16 hex digits, as the schema wants. */
export function newSegmentId(): string {
  return randomBytes(8).toString('hex');
}

/** Now, in epoch seconds with microseconds (Date.now() would give milliseconds only). */
export function epochSeconds(): number {
  return (performance.timeOrigin + performance.now()) / 1000;
}

/** Where a subsegment sits and when it ran. */
export interface SubsegmentTiming {
  traceId: string;
  id: string;
  parentId: string;
  startTime: number;
  endTime: number;
}

/** The `## <handler>` subsegment of one invocation: the parent of every AWS call made while it ran. */
export function handlerSubsegment(
  timing: SubsegmentTiming & {
    name: string;
    coldStart: boolean;
    service: string;
    /** What the handler threw, if it did (its message, type and stack only). */
    error?: unknown;
  },
): SubsegmentDocument {
  return {
    ...placement(timing, timing.name),
    annotations: { ColdStart: timing.coldStart, Service: timing.service },
    // A handler that throws has failed the invocation: a fault, as the X-Ray SDK records it.
    ...(timing.error === undefined ? {} : { fault: true, cause: { exceptions: [recordedException(timing.error)] } }),
  };
}

/** What one AWS SDK operation did, as the tracing middleware saw it. */
export interface AwsCall {
  /** The service as X-Ray names it: the SDK client's name without `Client` (`DynamoDB`, `S3`, `KMS`, …). */
  service: string;
  /** The operation: the command's name without `Command` (`GetItem`, `PutObject`, …). */
  operation: string;
  region?: string;
  requestId?: string;
  extendedRequestId?: string;
  /** The SDK's attempts (1 when not retried). */
  attempts?: number;
  /** The HTTP status of the last attempt; missing when no response came (a network error or a timeout). */
  status?: number;
  tableName?: string;
  bucketName?: string;
  /** What the call threw, if it did. */
  error?: unknown;
}

/** The subsegment of one AWS SDK operation (all of its attempts), in the `aws` namespace. */
export function awsCallSubsegment(timing: SubsegmentTiming, call: AwsCall): SubsegmentDocument {
  const aws: AwsCallData = {
    operation: call.operation,
    retries: Math.max((call.attempts ?? 1) - 1, 0),
    ...(call.region ? { region: call.region } : {}),
    ...(call.requestId ? { request_id: call.requestId } : {}),
    ...(call.extendedRequestId && call.service === 'S3' ? { id_2: call.extendedRequestId } : {}),
    ...(call.tableName && call.service === 'DynamoDB' ? { table_name: call.tableName } : {}),
    ...(call.bucketName && call.service === 'S3' ? { bucket_name: call.bucketName } : {}),
  };
  return {
    ...placement(timing, call.service),
    namespace: 'aws',
    aws,
    ...(call.status === undefined ? {} : { http: { response: { status: call.status } } }),
    ...outcomeFlags(call.status, call.error),
    ...(call.error === undefined ? {} : { cause: { exceptions: [recordedException(call.error, true)] } }),
  };
}

/** What one plain HTTP call (not the AWS SDK's) did, as the HTTP capture saw it. */
export interface HttpCall {
  host: string;
  method: string;
  /** Without its query string, which can carry secrets. */
  url: string;
  /** Missing when no response came. */
  status?: number;
  error?: unknown;
}

/** The subsegment of one outbound HTTP call, in the `remote` namespace, named for the host (as the X-Ray SDK does). */
export function httpCallSubsegment(timing: SubsegmentTiming, call: HttpCall): SubsegmentDocument {
  return {
    ...placement(timing, call.host),
    namespace: 'remote',
    http: {
      request: { method: call.method, url: call.url.split('?')[0]! },
      ...(call.status === undefined ? {} : { response: { status: call.status } }),
    },
    ...outcomeFlags(call.status, call.error),
    ...(call.error === undefined ? {} : { cause: { exceptions: [recordedException(call.error, true)] } }),
  };
}

/**
 * X-Ray's flags for a call's outcome: a 4xx is an `error` (the caller's), a 429 or a throttling error also a
 * `throttle`, a 5xx a `fault` (the service's); an error with no response at all (the network, a timeout) a
 * `fault` too, since the call never got an answer.
 */
export function outcomeFlags(
  status: number | undefined,
  error?: unknown,
): Pick<SubsegmentDocument, 'error' | 'throttle' | 'fault'> {
  if (status === undefined) return error === undefined ? {} : { fault: true };
  if (status >= 500 && status <= 599) return { fault: true };
  if (status >= 400 && status <= 499)
    return status === 429 || isThrottling(error) ? { error: true, throttle: true } : { error: true };
  return {};
}

/**
 * The AWS SDK's own signs of throttling: the error's modelled `$retryable.throttling`, or one of the throttling
 * names services answer with (a subset of @smithy/service-error-classification's list, which is not ours to import).
 */
function isThrottling(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, $retryable } = error as { name?: unknown; $retryable?: { throttling?: unknown } };
  if ($retryable?.throttling === true) return true;
  return (
    typeof name === 'string' &&
    /Throttl|ProvisionedThroughputExceeded|TooManyRequests|RequestLimitExceeded|SlowDown/.test(name)
  );
}

/** At most this many frames of a stack: a document must fit in one UDP datagram (64 KiB). */
const MAX_FRAMES = 32;
const MAX_MESSAGE = 1024;

/** An error as the schema's `cause.exceptions[]` holds one: message, type and stack frames, nothing else. */
export function recordedException(error: unknown, remote = false): RecordedException {
  const { message, type, stack } =
    error instanceof Error
      ? { message: error.message, type: error.name, stack: error.stack }
      : { message: String(error), type: typeof error, stack: undefined };
  const frames = stack ? stackFrames(stack) : [];
  return {
    id: newSegmentId(),
    message: message.slice(0, MAX_MESSAGE),
    type,
    ...(remote ? { remote: true as const } : {}),
    ...(frames.length > 0 ? { stack: frames } : {}),
  };
}

/** `    at label (path:line:column)` or `    at path:line:column` → `{ path, line, label }`. */
function stackFrames(stack: string): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const raw of stack.split('\n')) {
    const line = raw.trim();
    if (!line.startsWith('at ')) continue;
    const match = /^at (?:(.*?) \()?(.*?)(?::(\d+))?(?::\d+)?\)?$/.exec(line);
    if (!match) continue;
    const [, label, path, lineNumber] = match;
    frames.push({
      path: path ?? line,
      ...(lineNumber ? { line: Number(lineNumber) } : {}),
      ...(label ? { label } : {}),
    });
    if (frames.length === MAX_FRAMES) break;
  }
  return frames;
}

function placement(timing: SubsegmentTiming, name: string) {
  return {
    name,
    id: timing.id,
    trace_id: timing.traceId,
    parent_id: timing.parentId,
    start_time: timing.startTime,
    end_time: timing.endTime,
    type: 'subsegment' as const,
  };
}
