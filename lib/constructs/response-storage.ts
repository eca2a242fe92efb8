import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, ObjectLockMode } from 'aws-cdk-lib/aws-s3';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { DEFAULT_ABORT_INCOMPLETE_UPLOAD_DAYS, DEFAULT_RETENTION_YEARS } from '../deployment-config';

/**
 * The CORS rule for browsers that upload and download with presigned URLs: only what those requests use. The
 * presigned URL's signature, not CORS, decides what may be uploaded; CORS only lets the portal's page read the
 * answer (the ETag, the version id) of a request it was allowed to make.
 */
export function browserCorsRule(origins: readonly string[]) {
  return {
    AllowedOrigins: [...origins],
    AllowedMethods: ['PUT', 'GET', 'HEAD'],
    AllowedHeaders: ['content-type', 'x-amz-checksum-sha256', 'x-amz-*'],
    ExposeHeaders: ['ETag', 'x-amz-version-id'],
    MaxAgeSeconds: Duration.hours(1).toSeconds(),
  };
}

/** Props of {@link ResponseStorage}. */
export interface ResponseStorageProps {
  /**
   * How every new object version is locked. COMPLIANCE: no one, not even the account's root user, can delete it
   * or shorten its lock before the retention ends. GOVERNANCE: a user allowed `s3:BypassGovernanceRetention` can
   * (development stages, so they can be emptied and torn down).
   * @default ObjectLockMode.COMPLIANCE
   */
  readonly objectLockMode?: ObjectLockMode;
  /**
   * Years every new object version is locked from its creation (the bucket's Object Lock default retention).
   * @default 7
   */
  readonly retentionYears?: number;
  /**
   * Days after its start (CreateMultipartUpload) that S3 aborts a multipart upload still not completed, deleting
   * its parts. See {@link ResponseStorage} for how this bounds a platform's resumable upload.
   * @default 7
   */
  readonly abortIncompleteUploadDays?: number;
}

/** The id of the response bucket's only lifecycle rule. */
export const ABORT_INCOMPLETE_UPLOADS_RULE = 'abort-incomplete-multipart-uploads';

/**
 * The bucket for platforms' signed responses, with a separate bucket for its server access logs.
 *
 * **Retention.** Every object version written to the bucket — submitted files under `notices/` and evidence bundles
 * under `evidence-bundles/` alike — is locked for `retentionYears` by the bucket's Object Lock default retention:
 * it cannot be overwritten (versioning keeps the old version) or deleted until the lock ends. No lifecycle rule
 * expires or transitions anything: the only rule aborts incomplete multipart uploads, which are not objects yet.
 *
 * **Incomplete multipart uploads.** A submission's large file is a multipart upload started when the submission is
 * opened; the upload id is kept with the submission, and a platform may come back later, ask for fresh part URLs
 * (each valid one hour) and carry on. The portal sets no end to that: an open submission waits for as long as its
 * notice awaits a response. S3 counts the abort rule's days from the upload's start, not from its last part, so the
 * rule is what bounds it: `abortIncompleteUploadDays` after opening, a still-incomplete upload and its parts are
 * deleted, the file's parts and completion routes answer 409 `upload-expired`, and the platform has to open a new
 * submission and upload that file again (the rule exists because parts
 * of abandoned uploads are stored and billed forever otherwise, invisibly: they are not listed as objects). The
 * evidence bundle builder's own multipart uploads last one Lambda run at most; a dead run's parts are left for this
 * rule too.
 */
export class ResponseStorage extends Construct {
  /** Holds signed responses: versioned, Object Lock enabled, encrypted with {@link encryptionKey}. */
  public readonly bucket: Bucket;
  /** Customer-managed key of {@link bucket} (rotated yearly by KMS). */
  public readonly encryptionKey: Key;
  /** Receives the server access logs of {@link bucket}. */
  public readonly accessLogBucket: Bucket;
  /** Days after its start that S3 aborts an incomplete multipart upload in {@link bucket}. */
  public readonly abortIncompleteUploadDays: number;

  public constructor(scope: Construct, id: string, props: ResponseStorageProps = {}) {
    super(scope, id);
    this.abortIncompleteUploadDays = props.abortIncompleteUploadDays ?? DEFAULT_ABORT_INCOMPLETE_UPLOAD_DAYS;

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
      // on from the start; the default retention is set below.
      objectLockEnabled: true,
      lifecycleRules: [
        {
          id: ABORT_INCOMPLETE_UPLOADS_RULE,
          abortIncompleteMultipartUploadAfter: Duration.days(this.abortIncompleteUploadDays),
        },
      ],
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'responses/',
      // No `cors` here: see allowBrowserOrigins.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Set on the CloudFormation resource to state the period in years, as `retentionYears` does: CDK's
    // ObjectLockRetention only renders days.
    (this.bucket.node.defaultChild as CfnBucket).objectLockConfiguration = {
      objectLockEnabled: 'Enabled',
      rule: {
        defaultRetention: {
          mode: props.objectLockMode ?? ObjectLockMode.COMPLIANCE,
          years: props.retentionYears ?? DEFAULT_RETENTION_YEARS,
        },
      },
    };
  }

  /**
   * Lets pages on these origins (the portal's distribution, plus any configured extra origins) upload and download
   * directly. The rule is written at deploy time (PutBucketCors) rather than as the bucket's CorsConfiguration:
   * the distribution's domain is only known once it exists, and the distribution already depends on this bucket
   * (its content security policy names the bucket's regional domain), so a CorsConfiguration would be a circular
   * dependency. Call once; the bucket resource itself must keep no CorsConfiguration, or the two would fight.
   */
  public allowBrowserOrigins(origins: readonly string[]): AwsCustomResource {
    if (this.node.tryFindChild('BrowserCors') !== undefined) {
      throw new Error('ResponseStorage.allowBrowserOrigins may only be called once');
    }
    const call = (action: 'putBucketCors' | 'deleteBucketCors', parameters: Record<string, unknown>) => ({
      service: 'S3',
      action,
      parameters,
      physicalResourceId: PhysicalResourceId.of(`${this.bucket.bucketName}-cors`),
    });
    const put = call('putBucketCors', {
      Bucket: this.bucket.bucketName,
      CORSConfiguration: { CORSRules: [browserCorsRule(origins)] },
    });
    const logGroup = new LogGroup(this, 'BrowserCorsLogs', {
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // A role of our own instead of CDK's default, which carries the AWS managed basic execution policy.
    const role = new Role(this, 'BrowserCorsRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      // CDK runs every AwsCustomResource of a stack in one handler with the first one's role: the web ACL ARN
      // reader (web-acl-arn-reader.ts) adds its own policy to this role.
      description: "Runs the stack's deploy-time AWS API calls: the response bucket's CORS rule, the web ACL's ARN",
    });
    logGroup.grantWrite(role);
    return new AwsCustomResource(this, 'BrowserCors', {
      resourceType: 'Custom::ResponseBucketCors',
      onCreate: put,
      onUpdate: put,
      onDelete: call('deleteBucketCors', { Bucket: this.bucket.bucketName }),
      // Both calls need s3:PutBucketCORS (there is no separate delete permission), on this bucket only.
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({ actions: ['s3:PutBucketCORS'], resources: [this.bucket.bucketArn] }),
      ]),
      installLatestAwsSdk: false,
      role,
      logGroup,
    });
  }
}
