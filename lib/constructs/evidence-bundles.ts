import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterQueue } from './dead-letter-queue';
import { type PortalSettings, portalEnvironment } from './function-environment';
import { handlerEntry, PortalFunction, type ResponseBinding, type TableBinding } from './portal-function';

/** Props of {@link EvidenceBundles}. */
export interface EvidenceBundlesProps {
  /** The notices table: bundle records, and the notices, events and submissions packed into each bundle. */
  readonly data: TableBinding;
  /** The response bucket: submitted files are read from `notices/`, bundles written to `evidence-bundles/`. */
  readonly storage: ResponseBinding;
  /** The receipt key, whose public half is the regulator key a bundle carries (`keys/regulator-keys.json`). */
  readonly receiptKey: IKey;
  /**
   * What every portal function is configured with (token issuer and audience, default time zone, deadline
   * jurisdiction), one object for the whole stack; see `portalEnvironment`.
   */
  readonly settings: PortalSettings;
  /**
   * How often the sweep restarts builds whose run died (a timeout, a crash): the longest such a bundle waits.
   * @default Duration.minutes(5)
   */
  readonly sweepInterval?: Duration;
  /**
   * How long the function's logs are kept.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: RetentionDays;
}

/**
 * The evidence bundle builder: one function that the request route invokes asynchronously for each new bundle,
 * and that a schedule invokes to sweep, restarting builds whose lease ended. It streams each bundle (files from
 * S3, the ZIP back to S3 as a multipart upload), so 1 GiB memory is for CPU and network share, not for the data.
 */
export class EvidenceBundles extends Construct {
  public readonly builder: PortalFunction;
  public readonly sweep: Rule;
  /** Receives builds and sweeps that still failed after Lambda's retries, so a stuck bundle is visible. */
  public readonly deadLetterQueue: Queue;

  public constructor(scope: Construct, id: string, props: EvidenceBundlesProps) {
    super(scope, id);

    // The messages are bundle ids and scheduler events, no notice data: SQS-managed encryption is enough.
    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetterQueue');

    this.builder = new PortalFunction(this, 'Function', {
      entry: handlerEntry('build-evidence-bundle'),
      description: 'Builds evidence bundles (ZIP) into the response bucket, and restarts builds whose run died',
      environment: portalEnvironment(props.settings),
      // Lambda's longest: a bundle with 1 GiB of files streams for minutes; the sweep starts none in the last 5.
      timeout: Duration.minutes(15),
      memorySize: 1024,
      logRetention: props.logRetention,
      // A build that fails records it (the sweep retries); these retries cover a crash before it could.
      retryAttempts: 2,
      deadLetterQueue: this.deadLetterQueue,
    });
    this.builder.bindTable(props.data, 'read-write');
    this.builder.bindResponses(props.storage, 'read');
    this.builder.bindEvidenceBundleWrites(props.storage);
    this.builder.bindReceiptKey(props.receiptKey, 'publish');

    this.sweep = new Rule(this, 'Sweep', {
      description: 'Restarts evidence bundle builds whose lease ended (the run timed out or died)',
      schedule: Schedule.rate(props.sweepInterval ?? Duration.minutes(5)),
      targets: [new LambdaFunction(this.builder, { deadLetterQueue: this.deadLetterQueue, retryAttempts: 2 })],
    });
  }
}
