import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Props of {@link ResponseStorage}. */
export interface ResponseStorageProps {
  /**
   * Browser origins allowed to PUT and GET objects directly with presigned URLs (e.g. `https://portal.example.gov`).
   * @default - no CORS rule: browsers cannot reach the bucket directly
   */
  readonly allowedOrigins?: readonly string[];
}

/**
 * The bucket for platforms' signed responses, with a separate bucket for its server access logs.
 */
export class ResponseStorage extends Construct {
  /** Holds signed responses: versioned, Object Lock enabled, encrypted with {@link encryptionKey}. */
  public readonly bucket: Bucket;
  /** Customer-managed key of {@link bucket} (rotated yearly by KMS). */
  public readonly encryptionKey: Key;
  /** Receives the server access logs of {@link bucket}. */
  public readonly accessLogBucket: Bucket;

  public constructor(scope: Construct, id: string, props: ResponseStorageProps = {}) {
    super(scope, id);

    this.accessLogBucket = new Bucket(this, 'AccessLogs', {
      // S3 server access logging can only deliver to a bucket encrypted with S3-managed keys, not SSE-KMS.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      versioned: true,
      // The logs show who read or wrote each legal record.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // No acknowledgement of AwsSolutions-S1 is needed here: cdk-nag 3 counts a bucket that receives another
    // bucket's access logs as compliant. Logging this bucket's own access would mean a third bucket; reads of it
    // are recorded by CloudTrail instead.

    this.encryptionKey = new Key(this, 'Key', {
      description: 'Encrypts signed notice responses',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const allowedOrigins = props.allowedOrigins ?? [];
    this.bucket = new Bucket(this, 'Responses', {
      encryption: BucketEncryption.KMS,
      encryptionKey: this.encryptionKey,
      // One data key per bucket instead of one KMS call per object: same protection, far fewer KMS requests.
      bucketKeyEnabled: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      versioned: true,
      // Signed responses are legal records. Object Lock can only be switched on when a bucket is created, so it is
      // on from the start; the default retention (mode and period) is set by a later issue.
      objectLockEnabled: true,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'responses/',
      cors:
        allowedOrigins.length > 0
          ? [
              {
                allowedOrigins: [...allowedOrigins],
                allowedMethods: [HttpMethods.PUT, HttpMethods.GET],
                // The presigned URL's signature, not CORS, decides what may be uploaded.
                allowedHeaders: ['*'],
                exposedHeaders: ['ETag'],
                maxAge: Duration.hours(1).toSeconds(),
              },
            ]
          : undefined,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
