import * as path from 'node:path';
import { CfnElement, Duration, Names, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, type FunctionProps, Function as LambdaFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { BucketAccess, TableAccess } from '../../lambdas/api/routes';
import { ENV } from '../../lambdas/config/env';
import { METRIC_NAMESPACE, METRIC_SERVICE } from '../../lambdas/observability/metric-names';
import { addFunctionAlarms, type FunctionAlarms } from './function-alarms';
import { HANDLERS_DIR, handlerCode } from './handler-bundles';

/** The entry file of the handler module `lambdas/handlers/<name>.ts` (it exports `handler`). */
export function handlerEntry(name: string): string {
  return path.join(HANDLERS_DIR, `${name}.ts`);
}

/** The runtime of every portal function; the bundles target the same Node.js version. */
export const PORTAL_RUNTIME = Runtime.NODEJS_24_X;
/** esbuild's target for {@link PORTAL_RUNTIME}: `nodejs24.x` → `node24`. */
export const BUNDLE_TARGET = PORTAL_RUNTIME.name.replace(/^nodejs(\d+)\.x$/, 'node$1');

/**
 * What a function needs to know about a table to be granted access to it. Index ARNs are listed one by one so
 * grants never need an `index/*` wildcard.
 */
export interface TableBinding {
  readonly table: ITable;
  /** The customer-managed key the table is encrypted with. */
  readonly encryptionKey: IKey;
  /** One ARN per global secondary index. */
  readonly indexArns: readonly string[];
}

const DYNAMODB_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
// Every change is a conditional Put (the commit point) followed by idempotent Puts/Updates of derived items; no
// deletes: notices and their events are legal records.
const DYNAMODB_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'];
const KMS_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];
const KMS_WRITE_ACTIONS = ['kms:Encrypt', 'kms:GenerateDataKey'];

/**
 * What a function needs to know about the response bucket to be granted access to it. Access is only ever granted
 * on the objects under {@link RESPONSE_OBJECT_PREFIX}, never on the bucket itself.
 */
export interface ResponseBinding {
  readonly bucket: IBucket;
  /** The customer-managed key the bucket encrypts objects with (SSE-KMS). */
  readonly encryptionKey: IKey;
}

/** Every response object's key starts with this (`notices/<notice>/submissions/<submission>/<index>`). */
export const RESPONSE_OBJECT_PREFIX = 'notices/';

/**
 * S3 actions per bucket access. Presigned URLs are executed with the presigning function's credentials, so the
 * role must hold what the client does with them, as well as what the function calls itself.
 */
export const S3_ACTIONS: Readonly<Record<Exclude<BucketAccess, 'none'>, readonly string[]>> = {
  // PutObject authorises PutObject and presigned PUT, CreateMultipartUpload, UploadPart (presigned) and
  // CompleteMultipartUpload; ListParts is authorised by ListMultipartUploadParts. The upload functions never call
  // HeadObject, so no GetObject.
  upload: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
  // GetObject authorises HeadObject, GetObject (the streamed hash) and presigned GET; GetObjectVersion a presigned
  // GET naming the version that was hashed, which is how a filed file is downloaded from the versioned bucket.
  read: ['s3:GetObject', 's3:GetObjectVersion'],
  // A presigned GET of an evidence bundle (bundles are never overwritten, so no version is named).
  bundles: ['s3:GetObject'],
};
/**
 * KMS actions on the bucket key per bucket access. SSE-KMS needs a data key for a PUT and Decrypt for every
 * multipart upload (S3 decrypts the parts to assemble them) and for every GET; HeadObject needs no KMS at all.
 */
export const BUCKET_KMS_ACTIONS: Readonly<Record<Exclude<BucketAccess, 'none'>, readonly string[]>> = {
  upload: ['kms:GenerateDataKey', 'kms:Decrypt'],
  read: ['kms:Decrypt'],
  bundles: ['kms:Decrypt'],
};

/** Every evidence bundle's key starts with this (`evidence-bundles/<notice>/<bundle>.zip`); see s3-evidence-bundle-archive.ts. */
export const EVIDENCE_BUNDLE_OBJECT_PREFIX = 'evidence-bundles/';

/** The object prefix each bucket access is granted on. */
const ACCESS_PREFIX: Readonly<Record<Exclude<BucketAccess, 'none'>, string>> = {
  upload: RESPONSE_OBJECT_PREFIX,
  read: RESPONSE_OBJECT_PREFIX,
  bundles: EVIDENCE_BUNDLE_OBJECT_PREFIX,
};

/**
 * What a function does with the receipt key: `sign` receipts (and read the public key for their `kid`), only
 * `publish` the public key, or `none` (the function only needs the runtime to know that receipts are signed by KMS).
 */
export type ReceiptKeyUse = 'sign' | 'publish' | 'none';
export const RECEIPT_KEY_ACTIONS: Readonly<Record<ReceiptKeyUse, readonly string[]>> = {
  sign: ['kms:Sign', 'kms:GetPublicKey'],
  publish: ['kms:GetPublicKey'],
  none: [],
};

/**
 * What a function does with the key of the portal's machine-client access tokens: `sign` them (the token endpoint;
 * it also reads the public key for the `kid`), or only `verify` them (read the public key, which every API function
 * does when such a token arrives).
 */
export type AccessTokenKeyUse = 'sign' | 'verify';
export const ACCESS_TOKEN_KEY_ACTIONS: Readonly<Record<AccessTokenKeyUse, readonly string[]>> = {
  sign: ['kms:Sign', 'kms:GetPublicKey'],
  verify: ['kms:GetPublicKey'],
};
/**
 * The `Sid` of the statement on the access-token key. A statement with a Sid is never merged by IAM policy
 * minimisation, so the grant on this key stays a statement of its own instead of joining, say, the receipt key's
 * `kms:GetPublicKey` in one statement on both keys.
 */
export const ACCESS_TOKEN_KEY_SID = 'AccessTokenKey';

/**
 * The Cognito actions of `CognitoIdentityAdmin` (lambdas/adapters/cognito-identity-admin.ts), one per call it makes:
 * invite (create, then add to the role's group), disable (disable, then end every session) and enable.
 */
export const USER_ADMINISTRATION_ACTIONS: readonly string[] = [
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminAddUserToGroup',
  'cognito-idp:AdminDisableUser',
  'cognito-idp:AdminUserGlobalSignOut',
  'cognito-idp:AdminEnableUser',
];

/** Props of {@link PortalFunction}: a Lambda `Function`'s, minus what the portal fixes for every function. */
export interface PortalFunctionProps
  extends Omit<
    FunctionProps,
    'code' | 'handler' | 'runtime' | 'architecture' | 'role' | 'logGroup' | 'logRetention' | 'tracing'
  > {
  /** The handler module's file; see {@link handlerEntry}. */
  readonly entry: string;
  /**
   * How long the function's logs are kept. They record who accessed which legal notice, so they are kept long.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: RetentionDays;
}

/**
 * A portal Lambda function with the project's defaults set once: Node.js 24 on ARM64, active X-Ray tracing,
 * 10 s / 512 MB, the handler module's own minified bundle with source maps (see `handlerCode`), its own retained log
 * group, its own role that may only write to that log group until `bindTable` (or another grant) adds more, and its
 * Errors and Throttles alarms.
 *
 * The role and log group are created next to the function (in `scope`) because they must exist before the
 * `Function` constructor runs; the alarms next to it too, so they are in the function's own (nested) stack.
 */
export class PortalFunction extends LambdaFunction {
  /** The function's execution role; no AWS managed policy is attached. */
  public readonly executionRole: Role;
  /** The handler module's file (see {@link handlerEntry}). */
  public readonly entry: string;
  /** The function's Errors and Throttles alarms, in the function's own stack (see `addFunctionAlarms`). */
  public readonly alarms: FunctionAlarms;

  public constructor(scope: Construct, id: string, props: PortalFunctionProps) {
    const { entry, logRetention, environment, ...rest } = props;
    const logGroup = new LogGroup(scope, `${id}LogGroup`, {
      retention: logRetention ?? RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // An explicit role instead of the default one, which would carry the AWS managed AWSLambdaBasicExecutionRole
    // (write to any log group in the account).
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${id}`,
    });

    super(scope, id, {
      timeout: Duration.seconds(10),
      memorySize: 512,
      ...rest,
      code: handlerCode(entry, BUNDLE_TARGET),
      handler: 'index.handler',
      runtime: PORTAL_RUNTIME,
      architecture: Architecture.ARM_64,
      tracing: Tracing.ACTIVE,
      role,
      logGroup,
      environment: {
        // Stack traces from the minified bundle point at the TypeScript sources.
        NODE_OPTIONS: '--enable-source-maps',
        // Powertools (lambdas/observability/): the service on every log line and metric (its only dimension), and
        // the namespace the alarms read the business metrics from.
        POWERTOOLS_SERVICE_NAME: METRIC_SERVICE,
        POWERTOOLS_METRICS_NAMESPACE: METRIC_NAMESPACE,
        ...environment,
      },
    });
    this.executionRole = role;
    this.entry = entry;
    // The e-mail names the function by its construct path; the description says what it does.
    const label = props.description ? `${this.node.path} (${props.description})` : this.node.path;
    this.alarms = addFunctionAlarms(scope, id, this, label);

    logGroup.grantWrite(role);
    // Acknowledges every `Resource: *` finding on this role, so tests/infra asserts that the X-Ray statement stays
    // the only one.
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level ' +
        'permissions, so AWS requires Resource "*" for them.',
    });
  }

  /**
   * Grants exactly the DynamoDB and KMS actions `access` needs on the table and each of its indexes, and sets
   * `TABLE_NAME` in the same call. `'none'` grants nothing but still sets the name, because the runtime's wiring
   * may build a store (and read its table settings) in any function.
   */
  public bindTable(binding: TableBinding, access: TableAccess): void {
    this.addEnvironment(ENV.tableName, binding.table.tableName);
    if (access === 'none') return;

    const write = access === 'read-write';
    this.addToRolePolicy(
      new PolicyStatement({
        actions: write ? [...DYNAMODB_READ_ACTIONS, ...DYNAMODB_WRITE_ACTIONS] : DYNAMODB_READ_ACTIONS,
        resources: [binding.table.tableArn, ...binding.indexArns],
      }),
    );
    this.addToRolePolicy(
      new PolicyStatement({
        actions: write ? [...KMS_READ_ACTIONS, ...KMS_WRITE_ACTIONS] : KMS_READ_ACTIONS,
        resources: [binding.encryptionKey.keyArn],
      }),
    );
  }

  /**
   * Grants `dynamodb:UpdateItem` on the table itself (no index), only on items whose partition key starts with
   * `partitionKeyPrefix` (IAM's `dynamodb:LeadingKeys`), plus the KMS actions a write needs; sets `TABLE_NAME`.
   * For functions that maintain one kind of item and must never touch notices.
   */
  public bindTableUpdates(binding: TableBinding, partitionKeyPrefix: string): void {
    this.addEnvironment(ENV.tableName, binding.table.tableName);
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:UpdateItem'],
        resources: [binding.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${partitionKeyPrefix}*`] } },
      }),
    );
    this.addToRolePolicy(
      new PolicyStatement({
        actions: [...KMS_READ_ACTIONS, ...KMS_WRITE_ACTIONS],
        resources: [binding.encryptionKey.keyArn],
      }),
    );
  }

  /**
   * Grants exactly the S3 actions `access` needs on the response objects (`<bucket>/notices/*`, never the bucket
   * itself) and the KMS actions their encryption needs, only through S3; sets `RESPONSES_BUCKET`. `'none'` grants
   * nothing but still sets the name, for functions whose runtime configuration requires it (e.g. to publish the
   * receipt keys).
   */
  public bindResponses(binding: ResponseBinding, access: BucketAccess): void {
    this.addEnvironment(ENV.responsesBucket, binding.bucket.bucketName);
    if (access === 'none') return;
    this.grantObjects(binding, ACCESS_PREFIX[access], S3_ACTIONS[access], BUCKET_KMS_ACTIONS[access]);
  }

  /**
   * Lets the bundle builder store evidence bundles: a multipart upload (and its abort) of objects under
   * `evidence-bundles/` only, with the data keys SSE-KMS needs for it, only through S3. Reading the files it packs
   * is `bindResponses(binding, 'read')`.
   */
  public bindEvidenceBundleWrites(binding: ResponseBinding): void {
    this.grantObjects(
      binding,
      EVIDENCE_BUNDLE_OBJECT_PREFIX,
      ['s3:PutObject', 's3:AbortMultipartUpload'],
      ['kms:GenerateDataKey', 'kms:Decrypt'],
    );
  }

  /** `actions` on the bucket's objects under `prefix` (never the bucket itself), and `kmsActions` via S3 alone. */
  private grantObjects(
    binding: ResponseBinding,
    prefix: string,
    actions: readonly string[],
    kmsActions: readonly string[],
  ): void {
    const objects = binding.bucket.arnForObjects(`${prefix}*`);
    this.addToRolePolicy(new PolicyStatement({ actions: [...actions], resources: [objects] }));
    const stack = Stack.of(this);
    this.addToRolePolicy(
      new PolicyStatement({
        actions: [...kmsActions],
        resources: [binding.encryptionKey.keyArn],
        // The key is for S3's use on the function's behalf: the function cannot decrypt or make data keys directly.
        conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.${stack.urlSuffix}` } },
      }),
    );
    Validations.of(this.executionRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.bucketArnAsNamedByNag(binding.bucket)}>/${prefix}*]`,
      reason:
        `Object keys are made at run time from ids; the ${prefix} prefix is the narrowest ` +
        'fixed scope, and the bucket itself (listing, configuration, policy) is not granted at all.',
    });
  }

  /**
   * How cdk-nag names the bucket's ARN in a wildcard finding on this function's policy: the ARN as it resolves in
   * this function's template. That is `LogicalId.Arn` (a `Fn::GetAtt`) in the bucket's own stack, and in a nested
   * stack below it the parameter CDK passes the ARN in, `referenceto<unique id of the bucket>Arn` (a `Ref`).
   */
  private bucketArnAsNamedByNag(bucket: IBucket): string {
    const cfnBucket = bucket.node.defaultChild;
    if (!(cfnBucket instanceof CfnElement)) {
      throw new Error(`${this.node.path}: bindResponses needs a bucket defined in this app, not an imported one`);
    }
    const stack = Stack.of(this);
    const bucketStack = Stack.of(cfnBucket);
    if (bucketStack === stack) return `${stack.getLogicalId(cfnBucket)}.Arn`;
    if (stack.nested && bucketStack.node.findAll().includes(stack)) {
      // CDK's nested-stack parameter id is `reference-to-<unique id><attribute>`; a logical id keeps only its
      // letters and digits. tests/infra/cdk-nag.test.ts fails if CDK ever names it differently.
      return `referenceto${Names.nodeUniqueId(cfnBucket.node)}Arn`;
    }
    throw new Error(`${this.node.path}: bindResponses needs the bucket in this stack or a stack it is nested in`);
  }

  /**
   * Tells the runtime to sign receipts with this KMS key (`RECEIPT_SIGNER=kms`, `RECEIPT_KMS_KEY_ID`) and grants
   * exactly the actions `use` needs on that key alone.
   */
  public bindReceiptKey(key: IKey, use: ReceiptKeyUse): void {
    this.addEnvironment(ENV.receiptSigner, 'kms');
    this.addEnvironment(ENV.receiptKmsKeyId, key.keyArn);
    if (use === 'none') return;
    this.addToRolePolicy(new PolicyStatement({ actions: [...RECEIPT_KEY_ACTIONS[use]], resources: [key.keyArn] }));
  }

  /**
   * Tells the runtime to sign and verify the portal's machine-client access tokens with this KMS key
   * (`TOKEN_SIGNER=kms`, `TOKEN_KMS_KEY_ID`) and grants exactly the actions `use` needs on that key alone.
   */
  public bindAccessTokenKey(key: IKey, use: AccessTokenKeyUse): void {
    this.addEnvironment(ENV.tokenSigner, 'kms');
    this.addEnvironment(ENV.tokenKmsKeyId, key.keyArn);
    this.addToRolePolicy(
      new PolicyStatement({
        sid: ACCESS_TOKEN_KEY_SID,
        actions: [...ACCESS_TOKEN_KEY_ACTIONS[use]],
        resources: [key.keyArn],
      }),
    );
  }

  /**
   * Tells the runtime that accounts live in this Cognito user pool (`IDENTITY_ADMIN=cognito`, `USER_POOL_ID`), and
   * grants nothing. Every API function gets it, so none of them ever falls back to the development identity
   * provider (the runtime's default): a function that tried to manage users without the grant would fail with
   * AccessDenied, not write a local accounts file.
   */
  public bindUserPool(userPool: IUserPool): void {
    this.addEnvironment(ENV.identityAdmin, 'cognito');
    this.addEnvironment(ENV.userPoolId, userPool.userPoolId);
  }

  /**
   * {@link bindUserPool}, plus exactly the Cognito admin actions that inviting, disabling and enabling users needs
   * ({@link USER_ADMINISTRATION_ACTIONS}), on this user pool alone.
   */
  public bindUserAdministration(userPool: IUserPool): void {
    this.bindUserPool(userPool);
    this.addToRolePolicy(
      new PolicyStatement({ actions: [...USER_ADMINISTRATION_ACTIONS], resources: [userPool.userPoolArn] }),
    );
  }
}
