import { Stack, Validations } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { EventType } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import { deadLetterQueue } from './dead-letter-queue';
import type { PortalSettings } from './function-environment';
import {
  type PortalFunction,
  RESPONSE_OBJECT_PREFIX,
  type ResponseBinding,
  type TableBinding,
} from './portal-function';
import { responseVerifierFunction } from './response-verifier-function';

/** Props of {@link UploadHashing}. */
export interface UploadHashingProps {
  /** The notices table: the hash is recorded on the submission, and a waiting finalize files it. */
  readonly data: TableBinding;
  /** The response bucket whose new objects are hashed. */
  readonly storage: ResponseBinding;
  /** The receipt key: filing a submission signs its receipt. */
  readonly receiptKey: IKey;
  /**
   * What every portal function is configured with (token issuer and audience, default time zone, deadline
   * jurisdiction), one object for the whole stack; see `portalEnvironment`.
   */
  readonly settings: PortalSettings;
  /**
   * How long the function's logs are kept.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: RetentionDays;
}

/**
 * Hashes every uploaded response file as S3 stores it: an S3 ObjectCreated notification on `notices/` invokes a
 * function that streams the object, records its SHA-256 on the submission (the portal never trusts a client's
 * figure) and files the submission, signing its receipt, if a finalize was waiting for that hash.
 */
export class UploadHashing extends Construct {
  public readonly function: PortalFunction;
  /** Receives S3 events whose hashing still failed after Lambda's retries: replay them to hash the file. */
  public readonly deadLetterQueue: Queue;

  public constructor(scope: Construct, id: string, props: UploadHashingProps) {
    super(scope, id);

    // The messages are S3 events: object keys (ids only) and the uploader's principal and IP address.

    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetterQueue');

    // An event lost or failed for good is repaired by the pending-verification schedule (pending-verification.ts).
    this.function = responseVerifierFunction(this, 'Function', {
      ...props,
      handler: 'hash-uploaded-file',
      description: 'Hashes each uploaded response file and files the submission once every hash is known',
      deadLetterQueue: this.deadLetterQueue,
    });

    // S3 invokes the function asynchronously, so Lambda's retries and the dead-letter queue above apply.
    props.storage.bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(this.function), {
      prefix: RESPONSE_OBJECT_PREFIX,
    });
    acknowledgeNotificationsHandler(Stack.of(this));
  }
}

/**
 * CDK sets a bucket's notification configuration through its own singleton custom resource Lambda, created at the
 * stack's root; its role carries the AWS managed basic execution policy (cdk-nag AwsSolutions-IAM4). The finding is
 * acknowledged on that role only: every portal function keeps its own least-privilege role. (Its one other grant,
 * `s3:PutBucketNotification`, CDK already scopes to the bucket, so there is no wildcard to acknowledge.)
 */
function acknowledgeNotificationsHandler(stack: Stack): void {
  const handlers = stack.node.children.filter((child: IConstruct) =>
    child.node.id.startsWith('BucketNotificationsHandler'),
  );
  const [handler, ...others] = handlers;
  if (!handler || others.length > 0) {
    throw new Error(`expected CDK's one BucketNotificationsHandler in ${stack.node.path}, found ${handlers.length}`);
  }
  Validations.of(handler.node.findChild('Role')).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason:
      'The AWS managed AWSLambdaBasicExecutionRole (write its own logs) is attached by CDK to its own singleton ' +
      'custom resource handler (BucketNotificationsHandler), which runs only during deployment to set the response ' +
      "bucket's notification configuration and is not on any runtime path of the portal.",
  });
}
