/**
 * A what-if for `npm run bench:cold-start -- --without-xray`: Powertools Tracer's surface as lambdas/observability/
 * tracer.ts uses it, doing nothing, so the bundles carry no X-Ray SDK. Never deployed: it measures what the X-Ray
 * SDK costs each function (docs/PERFORMANCE.md, "Powertools").
 */
export class Tracer {
  captureAWSv3Client<T>(client: T): T {
    return client;
  }
  isTracingEnabled(): boolean {
    return false;
  }
  getSegment(): undefined {
    return undefined;
  }
  setSegment(_segment: unknown): void {}
  annotateColdStart(): void {}
  addServiceNameAnnotation(): void {}
}
