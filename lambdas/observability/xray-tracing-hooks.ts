import type { SubsegmentDocument } from './xray-segment-documents';
import type { TraceHeader } from './xray-trace-header';

/** Where a call being made belongs: the invocation's trace and the subsegment it runs in. */
export interface ActiveTrace {
  header: TraceHeader;
  parentId: string;
}

/** What the recorders of calls (the SDK middleware, the HTTP capture) get from tracer.ts. */
export interface TracingHooks {
  /** The trace of the invocation being run, when it is sampled; undefined otherwise (nothing is recorded). */
  activeTrace(): ActiveTrace | undefined;
  /** Sends a finished subsegment (fire and forget). */
  emit(document: SubsegmentDocument): void;
  /** A tracing failure: reported, never thrown into the call. */
  onFailure(error: unknown): void;
}
