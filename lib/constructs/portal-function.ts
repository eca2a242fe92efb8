import * as path from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { TableAccess } from '../../lambdas/api/routes';
import { ENV } from '../../lambdas/config';

/** The repository root: bundling resolves the lock file and `node_modules` from here, whatever the cwd. */
const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** The entry file of the handler module `lambdas/handlers/<name>.ts` (it exports `handler`). */
export function handlerEntry(name: string): string {
  return path.join(PROJECT_ROOT, 'lambdas', 'handlers', `${name}.ts`);
}

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

/** Props of {@link PortalFunction}: a `NodejsFunction`'s, minus what the portal fixes for every function. */
export interface PortalFunctionProps
  extends Omit<NodejsFunctionProps, 'runtime' | 'architecture' | 'role' | 'logGroup' | 'logRetention' | 'tracing'> {
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
 * 10 s / 512 MB, minified bundle with source maps, its own retained log group, and its own role that may only
 * write to that log group until `bindTable` (or another grant) adds more.
 *
 * The role and log group are created next to the function (in `scope`) because they must exist before the
 * `NodejsFunction` constructor runs.
 */
export class PortalFunction extends NodejsFunction {
  /** The function's execution role; no AWS managed policy is attached. */
  public readonly executionRole: Role;

  public constructor(scope: Construct, id: string, props: PortalFunctionProps) {
    const { logRetention, environment, bundling, ...rest } = props;
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
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      tracing: Tracing.ACTIVE,
      role,
      logGroup,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      environment: {
        // Stack traces from the minified bundle point at the TypeScript sources.
        NODE_OPTIONS: '--enable-source-maps',
        ...environment,
      },
      bundling: {
        minify: true,
        sourceMap: true,
        // Line mappings are all a stack trace needs; embedding the sources would triple the upload.
        sourcesContent: false,
        target: 'node24',
        // Ship the SDK versions the tests ran against, not whichever the runtime happens to carry.
        bundleAwsSDK: true,
        ...bundling,
      },
    });
    this.executionRole = role;

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
   * `TABLE_NAME` in the same call. `'none'` grants nothing but still sets the name, because the shared runtime
   * configuration requires it in every function.
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
}
