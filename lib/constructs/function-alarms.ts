import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

/** A function's two alarms; see {@link addFunctionAlarms}. */
export interface FunctionAlarms {
  /** Unhandled errors (a crash, a timeout, an error thrown out of the handler) in two of three 5-minute periods. */
  readonly errors: Alarm;
  /** Invocations Lambda refused for lack of concurrency, in any 5-minute period. */
  readonly throttles: Alarm;
}

/** The period of both alarms: Lambda publishes its metrics per minute, 5 minutes smooth a single slow request. */
const PERIOD = Duration.minutes(5);

/**
 * The Errors and Throttles alarms of one function, created in `scope` next to the function, so they land in the
 * function's own (possibly nested) stack and a stack's resource count grows with its functions only. They have no
 * actions here: `Monitoring.notifyOnEveryAlarm` routes every alarm of the portal to the ops topic.
 */
export function addFunctionAlarms(scope: Construct, id: string, fn: IFunction, description: string): FunctionAlarms {
  const errors = new Alarm(scope, `${id}ErrorsAlarm`, {
    alarmDescription:
      `${description}: unhandled errors in 2 of the last 3 five-minute periods. ` +
      'Runbook: docs/runbook.md#function-errors',
    metric: fn.metricErrors({ period: PERIOD, statistic: 'Sum' }),
    threshold: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    // Handlers answer bad input with a 4xx and map domain errors, so an Errors datapoint is a bug or an outage; one
    // isolated error (a retried S3 event, a cold-start hiccup) does not page, a repeating one does.
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    // Lambda publishes nothing for a function that was not invoked: no invocations, no errors.
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  const throttles = new Alarm(scope, `${id}ThrottlesAlarm`, {
    alarmDescription:
      `${description}: Lambda throttled invocations (concurrency exhausted). ` +
      'Runbook: docs/runbook.md#function-throttles',
    metric: fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }),
    threshold: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    // No function has reserved concurrency, so a throttle means the account's concurrency is used up and every
    // function is being refused: a user got a 5xx or an event was delayed. That is worth a page at once.
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  return { errors, throttles };
}
