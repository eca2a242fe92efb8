/**
 * The X-Ray trace header of the invocation being run: `Root=1-<8 hex>-<24 hex>;Parent=<16 hex>;Sampled=1`, possibly
 * followed by more fields (`Lineage=…`, which Lambda uses to detect recursive loops). Lambda sets it per invocation
 * (in `_X_AMZN_TRACE_ID`, or in its InvokeStore where one process runs several invocations at once), so it is read
 * at each invocation, never at load: at init there is none yet.
 */
export interface TraceHeader {
  /** The trace id, `1-<epoch seconds, 8 hex>-<24 hex>`. */
  root: string;
  /** The id of the segment Lambda opened for this invocation: the parent of ours. */
  parent: string;
  /** Whether this invocation is sampled. Only a sampled one is sent to X-Ray. */
  sampled: boolean;
  /** Every other field, `key=value` joined by `;`, passed on downstream unchanged (empty if none). */
  extra: string;
}

const ROOT = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;
const SEGMENT_ID = /^[0-9a-f]{16}$/;
/** Fields this module reads itself; any other is passed on as it came. */
const OWN_FIELDS = new Set(['root', 'parent', 'sampled', 'self']);

/**
 * The header's fields, or undefined when it is missing or malformed (no valid Root or Parent): then there is no
 * segment to attach ours to, and nothing is traced.
 */
export function parseTraceHeader(value: string | undefined): TraceHeader | undefined {
  if (!value) return undefined;
  const fields = new Map<string, string>();
  const extra: string[] = [];
  for (const part of value.split(';')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    const key = part.slice(0, at).trim();
    const fieldValue = part.slice(at + 1).trim();
    if (OWN_FIELDS.has(key.toLowerCase())) fields.set(key.toLowerCase(), fieldValue);
    else if (fieldValue) extra.push(`${key}=${fieldValue}`);
  }
  const root = fields.get('root');
  const parent = fields.get('parent');
  if (!root || !ROOT.test(root) || !parent || !SEGMENT_ID.test(parent)) return undefined;
  return { root, parent, sampled: fields.get('sampled') === '1', extra: extra.join(';') };
}

/** The header for a downstream call made inside the segment `parentId` (what AWS services link their segment to). */
export function downstreamTraceHeader(header: TraceHeader, parentId: string): string {
  const base = `Root=${header.root};Parent=${parentId};Sampled=${header.sampled ? '1' : '0'}`;
  return header.extra ? `${base};${header.extra}` : base;
}

/** What the Lambda runtime exposes where one process runs several invocations at once (as the AWS SDK reads it). */
interface LambdaGlobals {
  awslambda?: { InvokeStore?: { getXRayTraceId?: () => string | undefined } };
}

/** The raw trace header of the invocation being run now, if Lambda gave one. */
export function currentTraceHeaderValue(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromInvokeStore = (globalThis as LambdaGlobals).awslambda?.InvokeStore?.getXRayTraceId?.();
  return fromInvokeStore || env._X_AMZN_TRACE_ID || undefined;
}
