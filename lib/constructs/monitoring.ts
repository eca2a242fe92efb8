import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct, type IConstruct } from 'constructs';
import { METRIC_NAMESPACE, METRIC_SERVICE, METRICS } from '../../lambdas/observability/metric-names';
import { DeadLetterQueue } from './dead-letter-queue';

/** One HTTP API to watch, with the name the dashboard and the alarm use for it. */
export interface MonitoredApi {
  /** e.g. `User API`, `Machine API`. */
  readonly name: string;
  readonly httpApi: IHttpApi;
}

/** Props of {@link Monitoring}. */
export interface MonitoringProps {
  /**
   * Where alarm e-mails go. The address must confirm the subscription (SNS sends a confirmation link) before it
   * receives anything.
   * @default - no subscription: the topic exists and alarms publish to it, but nobody is told
   */
  readonly opsEmail?: string;
  /** The HTTP APIs, each with a 5xx rate alarm and its row of the dashboard. */
  readonly apis: readonly MonitoredApi[];
  /** The reminder run (its invocations, errors and duration are on the dashboard). */
  readonly reminderRun: IFunction;
  /**
   * Everything to watch: every `DeadLetterQueue` under it is on the dashboard, and every CloudWatch alarm under it
   * (the functions', the queues' and this construct's own) notifies the topic; see {@link notifyOnEveryAlarm}.
   */
  readonly watch: IConstruct;
}

/** The settings of the stack-level alarms, exported so the tests assert the same numbers the runbook explains. */
export const ALARM_SETTINGS = {
  /** API 5xx rate: per 5 minutes, in per cent of requests, only counted with at least `minimumRequests`. */
  apiServerErrorRate: {
    periodMinutes: 5,
    thresholdPercent: 5,
    minimumRequests: 20,
    evaluationPeriods: 3,
    datapoints: 2,
  },
  /** Reminder runs (every 5 minutes): failed runs per 15 minutes. */
  reminderRunFailures: { periodMinutes: 15, threshold: 2 },
  /** Oldest response still waiting for its hash, in seconds, over two 15-minute periods. */
  oldestPendingHash: { periodMinutes: 15, thresholdSeconds: 1800, evaluationPeriods: 2 },
  /** Overdue notices: the hourly maximum grew hour after hour for this many hours. */
  overdueNoticesRising: { periodMinutes: 60, evaluationPeriods: 3 },
} as const;

/** A business metric of the portal: namespace `NoticePortal`, its only dimension `service=notice-portal`. */
export function portalMetric(metricName: string, statistic: string, period: Duration): Metric {
  return new Metric({
    namespace: METRIC_NAMESPACE,
    metricName,
    dimensionsMap: { service: METRIC_SERVICE },
    statistic,
    period,
  });
}

/**
 * What ops are told and what they look at: an SNS topic (encrypted with its own customer-managed key, TLS only)
 * with the ops e-mail subscribed, the stack-level alarms (API 5xx rate, reminder run failures, the oldest pending
 * hash, overdue notices rising) and a CloudWatch dashboard. Every alarm in `watch` notifies the topic on ALARM and
 * on OK, so an alarm added anywhere in the portal is routed without more wiring. Create it last in the stack: it
 * looks for the queues and alarms that exist when it is created. Each alarm's entry in `docs/runbook.md` says what
 * it means, what to check and how to recover.
 */
export class Monitoring extends Construct {
  /** Every alarm of the portal publishes to this topic. */
  public readonly topic: Topic;
  /** The customer-managed key of {@link topic}; CloudWatch may use it to publish. */
  public readonly topicKey: Key;
  public readonly dashboard: Dashboard;
  /** The 5xx rate alarm of each API, by the API's name. */
  public readonly apiServerErrorRateAlarms: Readonly<Record<string, Alarm>>;
  public readonly reminderRunFailuresAlarm: Alarm;
  public readonly oldestPendingHashAlarm: Alarm;
  public readonly overdueNoticesRisingAlarm: Alarm;

  public constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.topicKey = new Key(this, 'TopicKey', {
      description: 'Encrypts the notice portal alarm topic',
      enableKeyRotation: true,
      // Kept when the stack is deleted, like every key of the portal (tests/infra/notice-portal-stack.test.ts): a
      // deleted key cannot be brought back, and a kept one costs a dollar a month.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The AWS managed key of SNS (alias/aws/sns) does not let CloudWatch publish; a customer key must say so. No
    // condition: CloudWatch's calls carry no caller account (a kms:CallerAccount condition breaks publishing); the
    // topic policy below restricts who may publish.
    this.topicKey.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublishToTheEncryptedTopic',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new Topic(this, 'AlarmTopic', {
      displayName: 'Notice portal alarms',
      masterKey: this.topicKey,
      enforceSSL: true,
    });
    // The topic policy enforceSSL creates replaces SNS's default one: allow this account's alarms explicitly.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowThisAccountsAlarmsToPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${stack.region}:${stack.account}:alarm:*` },
          StringEquals: { 'aws:SourceAccount': stack.account },
        },
      }),
    );
    if (props.opsEmail) this.topic.addSubscription(new EmailSubscription(props.opsEmail));

    this.apiServerErrorRateAlarms = Object.fromEntries(
      props.apis.map((api) => [api.name, apiServerErrorRateAlarm(this, api)]),
    );
    this.reminderRunFailuresAlarm = reminderRunFailuresAlarm(this);
    this.oldestPendingHashAlarm = oldestPendingHashAlarm(this);
    this.overdueNoticesRisingAlarm = overdueNoticesRisingAlarm(this);

    const queues = props.watch.node.findAll().filter((c): c is DeadLetterQueue => c instanceof DeadLetterQueue);
    this.dashboard = new Dashboard(this, 'Dashboard', {
      // The default is the last 3 hours; a day shows a night's reminder runs and the morning's traffic together.
      defaultInterval: Duration.days(1),
    });
    this.addWidgets(props, queues);

    this.notifyOnEveryAlarm(props.watch);
  }

  /** Makes every alarm under `scope` notify the topic when it goes into ALARM and when it is OK again. */
  private notifyOnEveryAlarm(scope: IConstruct): void {
    const action = new SnsAction(this.topic);
    for (const alarm of scope.node.findAll().filter((c): c is Alarm => c instanceof Alarm)) {
      // An alarm in a nested stack gets the topic's ARN as a parameter of that stack (CDK passes it in).
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
  }

  private addWidgets(props: MonitoringProps, queues: readonly DeadLetterQueue[]): void {
    const fiveMinutes = Duration.minutes(5);
    const stackName = Stack.of(this).stackName;
    this.dashboard.addWidgets(
      new TextWidget({
        markdown:
          `# ${stackName}\nAlarms notify the ops topic; each one's entry in docs/runbook.md says what it means, ` +
          'what to check and how to recover.',
        width: 24,
        height: 2,
      }),
      new AlarmStatusWidget({
        title: 'Portal alarms (per-function alarms are in the nested stacks: see the CloudWatch alarms list)',
        alarms: [
          ...Object.values(this.apiServerErrorRateAlarms),
          this.reminderRunFailuresAlarm,
          this.oldestPendingHashAlarm,
          this.overdueNoticesRisingAlarm,
          ...queues.map((q) => q.depthAlarm),
        ],
        width: 24,
        height: 4,
      }),
    );
    for (const api of props.apis) {
      this.dashboard.addWidgets(
        new GraphWidget({
          title: `${api.name}: requests, 4xx, 5xx`,
          left: [
            api.httpApi.metricCount({ period: fiveMinutes, statistic: 'Sum', label: 'Requests' }),
            api.httpApi.metricClientError({ period: fiveMinutes, statistic: 'Sum', label: '4xx' }),
            api.httpApi.metricServerError({ period: fiveMinutes, statistic: 'Sum', label: '5xx' }),
          ],
          width: 12,
        }),
        new GraphWidget({
          title: `${api.name}: latency`,
          left: ['p50', 'p90', 'p99'].map((statistic) =>
            api.httpApi.metricLatency({ period: fiveMinutes, statistic, label: `Latency ${statistic}` }),
          ),
          width: 12,
        }),
      );
    }
    const hour = Duration.hours(1);
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Business: notices issued, responses filed, reminders sent (per hour)',
        left: [
          portalMetric(METRICS.noticesIssued, 'Sum', hour),
          portalMetric(METRICS.responsesFiled, 'Sum', hour),
          portalMetric(METRICS.remindersSent, 'Sum', hour),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: 'Overdue notices',
        left: [portalMetric(METRICS.overdueNotices, 'Maximum', fiveMinutes)],
        width: 12,
      }),
      new GraphWidget({
        title: 'Oldest response waiting for its hash (seconds)',
        left: [portalMetric(METRICS.oldestPendingHashAgeSeconds, 'Maximum', fiveMinutes)],
        leftAnnotations: [{ value: ALARM_SETTINGS.oldestPendingHash.thresholdSeconds, label: 'Alarm' }],
        width: 12,
      }),
      new GraphWidget({
        title: 'Reminder runs',
        left: [
          props.reminderRun.metricInvocations({ period: fiveMinutes, statistic: 'Sum', label: 'Runs' }),
          portalMetric(METRICS.reminderRunFailures, 'Sum', fiveMinutes),
          portalMetric(METRICS.remindersSent, 'Sum', fiveMinutes),
        ],
        right: [props.reminderRun.metricDuration({ period: fiveMinutes, statistic: 'Maximum', label: 'Duration' })],
        width: 12,
      }),
      new GraphWidget({
        title: 'Dead-letter queues: messages waiting',
        left: queues.map((queue) =>
          queue.metricApproximateNumberOfMessagesVisible({
            period: fiveMinutes,
            statistic: 'Maximum',
            label: queue.node.path.split('/').slice(1).join('/'),
          }),
        ),
        width: 12,
      }),
      new GraphWidget({
        title: 'Function errors and throttles (every function of this stack, incl. nested stacks)',
        // A search, not one metric per function: the route functions are in nested stacks, and naming each of
        // them here would add an output per function. CloudFormation starts every function's name with the stack
        // name (nested stacks' names start with their parent's).
        left: [lambdaSearch('Errors', stackName)],
        right: [lambdaSearch('Throttles', stackName)],
        width: 12,
      }),
    );
  }
}

/** Every Lambda function whose name contains `term`: one line per function, summed per 5 minutes. */
function lambdaSearch(metricName: string, term: string): IMetric {
  return new MathExpression({
    expression: `SEARCH('{AWS/Lambda,FunctionName} MetricName="${metricName}" ${term}', 'Sum', 300)`,
    label: metricName,
    period: Duration.minutes(5),
  });
}

function apiServerErrorRateAlarm(scope: Construct, api: MonitoredApi): Alarm {
  const settings = ALARM_SETTINGS.apiServerErrorRate;
  const period = Duration.minutes(settings.periodMinutes);
  return new Alarm(scope, `${api.name.replace(/[^A-Za-z0-9]/g, '')}ServerErrorRateAlarm`, {
    alarmDescription:
      `${api.name}: more than ${settings.thresholdPercent}% of requests answered 5xx in ${settings.datapoints} of ` +
      `the last ${settings.evaluationPeriods} ${settings.periodMinutes}-minute periods (periods with fewer than ` +
      `${settings.minimumRequests} requests count as 0%). Runbook: docs/runbook.md#api-5xx-rate`,
    metric: new MathExpression({
      // Below the minimum the rate is 0: one failed request of three at night is not an outage. FILL: API Gateway
      // may omit 5xx in a period that has requests.
      expression: `IF(requests >= ${settings.minimumRequests}, 100 * FILL(errors, 0) / requests, 0)`,
      usingMetrics: {
        requests: api.httpApi.metricCount({ period, statistic: 'Sum' }),
        errors: api.httpApi.metricServerError({ period, statistic: 'Sum' }),
      },
      label: `${api.name} 5xx rate (%)`,
      period,
    }),
    threshold: settings.thresholdPercent,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: settings.evaluationPeriods,
    datapointsToAlarm: settings.datapoints,
    // API Gateway publishes nothing for a period without requests: no traffic, nothing failing.
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}

function reminderRunFailuresAlarm(scope: Construct): Alarm {
  const settings = ALARM_SETTINGS.reminderRunFailures;
  return new Alarm(scope, 'ReminderRunFailuresAlarm', {
    alarmDescription:
      `Reminder runs: ${settings.threshold} or more runs failed within ${settings.periodMinutes} minutes, or no run ` +
      'reported at all. Runbook: docs/runbook.md#reminder-run-failures',
    metric: portalMetric(METRICS.reminderRunFailures, 'Sum', Duration.minutes(settings.periodMinutes)),
    // About three runs per period: one failure (SES throttling, a lost claim race) is retried by the next run.
    threshold: settings.threshold,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    // Every run reports the metric (0 on success): silence means the schedule stopped or the run crashed before
    // reporting, and reminders and escalations are not being sent. That is a failure.
    treatMissingData: TreatMissingData.BREACHING,
  });
}

function oldestPendingHashAlarm(scope: Construct): Alarm {
  const settings = ALARM_SETTINGS.oldestPendingHash;
  return new Alarm(scope, 'OldestPendingHashAlarm', {
    alarmDescription:
      `Response hashing: a stored response has waited more than ${settings.thresholdSeconds / 60} minutes for its ` +
      'hash (its submission is not filed), or the pending verification stopped reporting. ' +
      'Runbook: docs/runbook.md#oldest-pending-hash',
    metric: portalMetric(METRICS.oldestPendingHashAgeSeconds, 'Maximum', Duration.minutes(settings.periodMinutes)),
    // The S3 event hashes a file within seconds; the sweep runs every 5 minutes for at most 15. A pending hash
    // older than 30 minutes has been missed by the event and by at least one sweep.
    threshold: settings.thresholdSeconds,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: settings.evaluationPeriods,
    // The sweep reports the gauge on every run (0 when nothing is pending): silence means it is not running, and
    // nothing repairs a lost S3 event.
    treatMissingData: TreatMissingData.BREACHING,
  });
}

function overdueNoticesRisingAlarm(scope: Construct): Alarm {
  const settings = ALARM_SETTINGS.overdueNoticesRising;
  const period = Duration.minutes(settings.periodMinutes);
  return new Alarm(scope, 'OverdueNoticesRisingAlarm', {
    alarmDescription:
      `Overdue notices grew in each of the last ${settings.evaluationPeriods} hours: responses may not be ` +
      'reaching the portal. Runbook: docs/runbook.md#overdue-notices-rising',
    metric: new MathExpression({
      // DIFF of the hourly maximum of the gauge: how many more notices are overdue than an hour before. A deadline
      // passing moves the count once (due times cluster at the end of a day); a count that keeps growing hour after
      // hour means responders cannot file, or filings do not land (hashing, finalize), and officers escalate late.
      // A level threshold would page for every busy month; RATE would only rescale DIFF by the period.
      expression: 'DIFF(overdue)',
      usingMetrics: { overdue: portalMetric(METRICS.overdueNotices, 'Maximum', period) },
      label: 'Overdue notices, change per hour',
      period,
    }),
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: settings.evaluationPeriods,
    datapointsToAlarm: settings.evaluationPeriods,
    // The gauge comes from the reminder run, whose own alarm treats silence as a failure: one page, not two.
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}
