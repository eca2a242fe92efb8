import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterQueue } from './dead-letter-queue';
import { type PortalSettings, portalEnvironment } from './function-environment';
import { handlerEntry, PortalFunction, type TableBinding } from './portal-function';

/** Props of {@link ProjectionRepair}. */
export interface ProjectionRepairProps {
  /** The notices table whose projections are repaired. */
  readonly data: TableBinding;
  /**
   * The token settings. The repair job verifies no tokens, but it shares the handlers' configuration parser,
   * which requires them.
   */
  /**
   * What every portal function is configured with (token issuer and audience, default time zone, deadline
   * jurisdiction), one object for the whole stack; see `portalEnvironment`.
   */
  readonly settings: PortalSettings;
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
      environment: portalEnvironment(props.settings),
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
