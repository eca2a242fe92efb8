import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterQueue } from './dead-letter-queue';
import { portalEnvironment } from './function-environment';
import type { JwtSettings } from './identity';
import { handlerEntry, PortalFunction, type TableBinding } from './portal-function';

/** Props of {@link ProjectionRepair}. */
export interface ProjectionRepairProps {
  /** The notices table whose projections are repaired. */
  readonly data: TableBinding;
  /**
   * The token settings. The repair job verifies no tokens, but it shares the handlers' configuration parser,
   * which requires them.
   */
  readonly auth: JwtSettings;
  /**
   * IANA time zone used for due times when a notice does not name one.
   * @default 'Australia/Sydney'
   */
  readonly defaultTimeZone?: string;
  /**
   * Whose public holidays count in due times (ISO 3166 `COUNTRY` or `COUNTRY-STATE`).
   * @default 'AU-NSW'
   */
  readonly deadlineJurisdiction?: string;
  /**
   * How often the job runs.
   * @default Duration.minutes(5)
   */
  readonly interval?: Duration;
  /**
   * How long the function's logs are kept.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: RetentionDays;
}

/**
 * A scheduled job that finishes any notice projection a crash interrupted: every change commits by appending an
 * event, and the projection and index keys written after it are derived data that this job rewrites from the log.
 */
export class ProjectionRepair extends Construct {
  public readonly function: PortalFunction;
  public readonly schedule: Rule;
  /** Receives invocations that still failed after the retries, so a stuck repair is visible. */
  public readonly deadLetterQueue: Queue;

  public constructor(scope: Construct, id: string, props: ProjectionRepairProps) {
    super(scope, id);

    // The messages are scheduler events, no notice data: SQS-managed encryption is enough.

    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetterQueue');

    this.function = new PortalFunction(this, 'Function', {
      entry: handlerEntry('repair-projections'),
      description: 'Repairs notice projections left unfinished by an interrupted write',
      environment: portalEnvironment({
        auth: props.auth,
        defaultTimeZone: props.defaultTimeZone,
        deadlineJurisdiction: props.deadlineJurisdiction,
      }),
      // One run handles up to 100 events; leave room well inside the 5-minute interval.
      timeout: Duration.minutes(1),
      logRetention: props.logRetention,
      retryAttempts: 2,
      deadLetterQueue: this.deadLetterQueue,
    });
    this.function.bindTable(props.data, 'read-write');

    this.schedule = new Rule(this, 'Schedule', {
      description: 'Runs the notice projection repair',
      schedule: Schedule.rate(props.interval ?? Duration.minutes(5)),
      // Events EventBridge could not deliver at all land in the same queue as failed invocations.
      targets: [new LambdaFunction(this.function, { deadLetterQueue: this.deadLetterQueue, retryAttempts: 2 })],
    });
  }
}
