import type { Tracer } from '@aws-lambda-powertools/tracer';
import { METRIC_SERVICE } from './metric-names';

/**
 * X-Ray tracing (Powertools Tracer). On AWS every function has active tracing (portal-function.ts), so Lambda opens
 * a segment per invocation; the handler adds a subsegment of its own (see {@link inHandlerSegment}) and every AWS
 * SDK client the runtime builds is passed through {@link traced}, so each DynamoDB, S3, KMS, SES, Cognito and
 * Lambda call is a subsegment of it. Outside Lambda (the local portal, tests) Powertools disables itself, and the
 * local portal also says so explicitly (POWERTOOLS_TRACE_ENABLED=false): there is no X-Ray daemon to send to.
 *
 * The Tracer is loaded only where Powertools can turn tracing on — a Lambda execution environment
 * (AWS_EXECUTION_ENV set, Powertools' own test) without POWERTOOLS_TRACE_ENABLED=false — because loading it loads
 * the X-Ray SDK, which at import enables a process-wide async hook (cls-hooked, with a destroy callback) that runs
 * on every promise and socket whether or not anything is traced: about an eighth of the local portal's CPU under
 * load (docs/PERFORMANCE.md, "Local API"). Where it is loaded, Powertools still makes the final decision (SAM and
 * Amplify's local runs), exactly as before.
 */
function mayTrace(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.AWS_EXECUTION_ENV) && env.POWERTOOLS_TRACE_ENABLED?.toLowerCase() !== 'false';
}

function loadTracer(): Tracer | undefined {
  if (!mayTrace(process.env)) return undefined;
  const powertools = require('@aws-lambda-powertools/tracer') as typeof import('@aws-lambda-powertools/tracer');
  return new powertools.Tracer({ serviceName: METRIC_SERVICE });
}

const tracer = loadTracer();

/** The same client, with a subsegment per call when tracing is enabled (and untouched when it is not). */
export function traced<T>(client: T): T {
  return tracer ? tracer.captureAWSv3Client(client) : client;
}

/**
 * Runs one invocation inside a `## <handler>` subsegment annotated with the cold start and the service; an error is
 * recorded on it (its message and stack, never the event or the response, which can hold a notice's text).
 */
export async function inHandlerSegment<T>(work: () => Promise<T>): Promise<T> {
  if (!tracer?.isTracingEnabled()) return work();
  const parent = tracer.getSegment();
  const segment = parent?.addNewSubsegment(`## ${process.env._HANDLER ?? 'handler'}`);
  if (segment) tracer.setSegment(segment);
  tracer.annotateColdStart();
  tracer.addServiceNameAnnotation();
  try {
    return await work();
  } catch (error) {
    segment?.addError(error as Error);
    throw error;
  } finally {
    segment?.close();
    if (parent) tracer.setSegment(parent);
  }
}
