import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * A dead-letter queue for a background function's failed invocations: SQS-managed encryption, TLS only, and two
 * weeks to notice and replay what failed, with an alarm on its depth next to it. Every background function uses
 * the same settings; `Monitoring` finds every one of these queues (for its dashboard) and routes every alarm.
 */
export class DeadLetterQueue extends Queue {
  /** In alarm while the queue holds a message: a failed run or event that nothing will retry by itself. */
  public readonly depthAlarm: Alarm;

  public constructor(scope: Construct, id: string) {
    super(scope, id, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.depthAlarm = new Alarm(scope, `${id}DepthAlarm`, {
      alarmDescription:
        `${this.node.path}: a failed invocation or an undeliverable event is waiting in this dead-letter queue. ` +
        'Runbook: docs/runbook.md#dead-letter-queue-depth',
      // Maximum: a message is enough, however short the period in which it was seen.
      metric: this.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // SQS stops reporting a queue that has been empty and untouched for six hours: silence means empty.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}

/** A {@link DeadLetterQueue} (kept as a function: its callers read as before). */
export function deadLetterQueue(scope: Construct, id: string): DeadLetterQueue {
  return new DeadLetterQueue(scope, id);
}
