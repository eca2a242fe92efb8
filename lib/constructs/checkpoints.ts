import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterQueue } from './dead-letter-queue';
import { type PortalSettings, portalEnvironment } from './function-environment';
import { handlerEntry, PortalFunction, type TableBinding } from './portal-function';

/** Props of {@link Checkpoints}. */
export interface CheckpointsProps {
  /** The notices table: the pending markers, the chains' heads, the checkpoints and the proofs. */
  readonly data: TableBinding;
  /** The regulator's key (the receipt key), which signs the checkpoints. */
  readonly receiptKey: IKey;
  /**
   * What every portal function is configured with (token issuer and audience, default time zone, deadline
   * jurisdiction), one object for the whole stack; see `portalEnvironment`.
   */
  readonly settings: PortalSettings;
  /**
   * How often a checkpoint run starts: the longest a change waits before a signed checkpoint covers it.
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
 * The scheduled checkpoint run (lambdas/handlers/run-checkpoint.ts): signs, with the regulator's KMS key, a
 * checkpoint of every chain changed since the last one and writes their inclusion proofs (docs/checkpoints.md).
 * It may read and write the table and call kms:Sign and kms:GetPublicKey on that one key, nothing else.
 */
export class Checkpoints extends Construct {
  public readonly function: PortalFunction;
  public readonly schedule: Rule;
  /** Receives runs that still failed after the retries, so a stuck checkpoint is visible. */
  public readonly deadLetterQueue: Queue;

  public constructor(scope: Construct, id: string, props: CheckpointsProps) {
    super(scope, id);

    // The messages are scheduler events, no notice data: SQS-managed encryption is enough.
    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetterQueue');

    this.function = new PortalFunction(this, 'Function', {
      entry: handlerEntry('run-checkpoint'),
      description: 'Signs a checkpoint of every chain changed since the last one, with inclusion proofs',
      environment: portalEnvironment(props.settings),
      // A run of 1,000 changed chains is a few thousand small writes; a resumed run finishes what is left.
      timeout: Duration.minutes(2),
      logRetention: props.logRetention,
      retryAttempts: 2,
      deadLetterQueue: this.deadLetterQueue,
    });
    this.function.bindTable(props.data, 'read-write');
    this.function.bindReceiptKey(props.receiptKey, 'sign');

    this.schedule = new Rule(this, 'Schedule', {
      description: 'Runs the signed checkpoint of changed chains',
      schedule: Schedule.rate(props.interval ?? Duration.minutes(5)),
      // Events EventBridge could not deliver at all land in the same queue as failed invocations.
      targets: [new LambdaFunction(this.function, { deadLetterQueue: this.deadLetterQueue, retryAttempts: 2 })],
    });
  }
}
