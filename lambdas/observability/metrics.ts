import { METRIC_NAMESPACE, METRIC_SERVICE, type METRICS } from './metric-names';

type MetricName = (typeof METRICS)[keyof typeof METRICS];
type MetricUnit = 'Count' | 'Seconds';

/** CloudWatch's limits for one EMF line: metrics per directive, and values per metric. */
const MAX_METRICS_PER_LINE = 100;
const MAX_VALUES_PER_METRIC = 100;

/**
 * The portal's business metrics, written as CloudWatch embedded metric format (EMF) lines to stdout, which
 * CloudWatch Logs turns into metrics: no API call, no extra permission. Every metric carries exactly one dimension,
 * `service=notice-portal`, as the alarms in lib/ expect; the lines are the ones Powertools Metrics wrote, which the
 * portal used before (see logger.ts for why it no longer does).
 *
 * POWERTOOLS_METRICS_DISABLED=true (the local portal's default; the name Powertools read, kept) stores and discards
 * them. It is read when the metrics are written, since the local portal sets it after loading the handlers.
 */
const stored = new Map<MetricName, { unit: MetricUnit; values: number[] }>();

function addMetric(name: MetricName, unit: MetricUnit, value: number): void {
  const metric = stored.get(name);
  if (metric) metric.values.push(value);
  else stored.set(name, { unit, values: [value] });
}

/** Adds `value` to the metric `name` (unit Count) for this invocation; written when the invocation ends. */
export function countMetric(name: MetricName, value = 1): void {
  addMetric(name, 'Count', value);
}

/** Records a duration gauge in seconds for this invocation; written when the invocation ends. */
export function secondsMetric(name: MetricName, value: number): void {
  addMetric(name, 'Seconds', value);
}

/**
 * Writes this invocation's metrics as EMF, one line unless CloudWatch's per-line limits need more, and nothing
 * when there are none: most API requests emit no business metric. Called once per invocation by
 * instrumented-handler.ts, whether the handler succeeded or threw.
 */
export function publishMetrics(): void {
  if (stored.size === 0) return;
  const metrics = [...stored].map(([name, { unit, values }]) => ({ name, unit, values }));
  stored.clear();
  if (process.env.POWERTOOLS_METRICS_DISABLED?.toLowerCase() === 'true') return;
  const timestamp = Date.now();
  for (const line of emfLines(metrics, timestamp)) process.stdout.write(`${line}\n`);
}

/** The EMF lines for `metrics`: a metric's values beyond one line's limit go on the next line. */
export function emfLines(metrics: { name: string; unit: MetricUnit; values: number[] }[], timestamp: number): string[] {
  const lines: string[] = [];
  let pending = metrics.map((metric) => ({ ...metric, values: [...metric.values] }));
  while (pending.length > 0) {
    const batch = pending.slice(0, MAX_METRICS_PER_LINE);
    const line: Record<string, unknown> = {
      _aws: {
        Timestamp: timestamp,
        CloudWatchMetrics: [
          {
            Namespace: METRIC_NAMESPACE,
            Dimensions: [['service']],
            Metrics: batch.map(({ name, unit }) => ({ Name: name, Unit: unit })),
          },
        ],
      },
      service: METRIC_SERVICE,
    };
    for (const metric of batch) {
      const values = metric.values.splice(0, MAX_VALUES_PER_METRIC);
      line[metric.name] = values.length === 1 ? values[0] : values;
    }
    lines.push(JSON.stringify(line));
    pending = [...batch.filter((metric) => metric.values.length > 0), ...pending.slice(MAX_METRICS_PER_LINE)];
  }
  return lines;
}
