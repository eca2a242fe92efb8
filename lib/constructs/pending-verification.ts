import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterQueue } from './dead-letter-queue';
import type { PortalSettings } from './function-environment';
import type { PortalFunction, ResponseBinding, TableBinding } from './portal-function';
import { responseVerifierFunction } from './response-verifier-function';

/** Props of {@link PendingVerification}. */
export interface PendingVerificationProps {
  /** The notices table: its sparse pending-verification keys are queried, hashes recorded, submissions filed. */
  readonly data: TableBinding;
  /** The response bucket whose stored files are hashed. */
  readonly storage: ResponseBinding;
  /** The receipt key: filing a submission signs its receipt. */
  readonly receiptKey: IKey;
  /**
   * What every portal function is configured with (token issuer and audience, default time zone, deadline
   * jurisdiction), one object for the whole stack; see `portalEnvironment`.
   */
  readonly settings: PortalSettings;
  /**
   * How often the job runs: the longest a response whose S3 event was lost waits to be filed (filed-at is still
   * the finalize's arrival).
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
 * The scheduled repair of response verification: S3 event notifications are at-least-once and may be lost or fail
 * for good, so every submission the portal owes hashing or filing work carries sparse pending-verification keys,
 * and this job queries only those (no Scan), hashes the missing files from the stored bytes and files the waiting
 * finalize with its original filed-at. It runs beside the upload hasher; both are idempotent and file once.
 */
export class PendingVerification extends Construct {
  public readonly function: PortalFunction;
  public readonly schedule: Rule;
  /** Receives invocations that still failed after the retries, so a stuck verification is visible. */
  public readonly deadLetterQueue: Queue;

  public constructor(scope: Construct, id: string, props: PendingVerificationProps) {
    super(scope, id);

    // The messages are scheduler events, no notice data: SQS-managed encryption is enough.
    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetterQueue');

    // The handler starts no new submission in its last 5 minutes of the 15, and the next run takes over what is left.
    this.function = responseVerifierFunction(this, 'Function', {
      ...props,
      handler: 'verify-pending-submissions',
      description: 'Hashes and files responses whose S3 event was lost or whose verification was interrupted',
      deadLetterQueue: this.deadLetterQueue,
    });

    this.schedule = new Rule(this, 'Schedule', {
      description: 'Runs the verification of responses still owed a hash or their filing',
      schedule: Schedule.rate(props.interval ?? Duration.minutes(5)),
      // Events EventBridge could not deliver at all land in the same queue as failed invocations.
      targets: [new LambdaFunction(this.function, { deadLetterQueue: this.deadLetterQueue, retryAttempts: 2 })],
    });
  }
}
