import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRIC_NAMESPACE, METRIC_SERVICE, type METRICS } from './metric-names';

type MetricName = (typeof METRICS)[keyof typeof METRICS];

/**
 * The portal's business metrics, written as CloudWatch embedded metric format (EMF) lines to stdout, which
 * CloudWatch Logs turns into metrics: no API call, no extra permission. Every metric carries exactly one dimension,
 * `service=notice-portal` (Powertools' default dimension), as the alarms in lib/ expect.
 *
 * POWERTOOLS_METRICS_DISABLED=true (the local portal's default) stores and discards them.
 */
let instance: Metrics | undefined;
/**
 * Made at first use, during an invocation, not at import: Powertools reads POWERTOOLS_METRICS_DISABLED when the
 * instance is made, and the local portal sets it after its modules (and so this one) are loaded.
 */
function metrics(): Metrics {
  instance ??= new Metrics({ namespace: METRIC_NAMESPACE, serviceName: METRIC_SERVICE });
  return instance;
}

/** Adds `value` to the metric `name` (unit Count) for this invocation; written when the invocation ends. */
export function countMetric(name: MetricName, value = 1): void {
  metrics().addMetric(name, MetricUnit.Count, value);
}

/** Records a duration gauge in seconds for this invocation; written when the invocation ends. */
export function secondsMetric(name: MetricName, value: number): void {
  metrics().addMetric(name, MetricUnit.Seconds, value);
}

/**
 * Writes this invocation's metrics as one EMF line, and nothing when there are none: most API requests emit no
 * business metric, and Powertools would warn on every empty flush. Called once per invocation by
 * instrumented-handler.ts, whether the handler succeeded or threw.
 */
export function publishMetrics(): void {
  if (instance?.hasStoredMetrics()) instance.publishStoredMetrics();
}
