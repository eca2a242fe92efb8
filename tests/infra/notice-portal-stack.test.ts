import { Capture, Match, type Template } from 'aws-cdk-lib/assertions';
import { ALL_INDEXES, TABLE_KEYS } from '../../lambdas/adapters/notice-table-design';
import { ROUTES } from '../../lambdas/api/routes';
import { ENV } from '../../lambdas/config/env';
import { METRIC_NAMESPACE, METRIC_SERVICE } from '../../lambdas/observability/metric-names';
import { defined } from '../support/defined';
import {
  apiId,
  asArray,
  CDK_BUCKET_NOTIFICATIONS_HANDLER,
  CDK_DEPLOY_TIME_HANDLERS,
  iamStatements,
  MACHINE_API_DESCRIPTION,
  portalFunctions,
  resourceIn,
  routeAndFunction,
  routesOf,
  statementsOfFunction,
  synthesizePortal,
  USER_API_DESCRIPTION,
  WEB_DEPLOYMENT_POLICY,
} from './portal-app';

/**
 * Portal functions besides the route functions: the projection repair job, the reminder run, the e-mail recorder,
 * the upload hasher, the pending-verification job, the checkpoint run, the evidence bundle builder and the machine
 * API's authorizer.
 */
const BACKGROUND_FUNCTIONS = 8;

// One synthesis for the whole file: the stack is deterministic and every test only reads the template.
let template: Template;
let resources: Record<string, { Type: string; Properties?: Record<string, any> }>;
beforeAll(() => {
  ({ template } = synthesizePortal());
  resources = template.toJSON().Resources;
});

const onlyId = (found: Record<string, unknown>): string => {
  const ids = Object.keys(found);
  if (ids.length !== 1) throw new Error(`expected exactly one resource, found ${ids.length}`);
  return ids[0]!;
};
const tableId = () => onlyId(template.findResources('AWS::DynamoDB::Table'));
const actionsOf = (statements: Array<Record<string, any>>): string[] =>
  statements.filter((s) => s.Effect === 'Allow').flatMap((s) => asArray(s.Action));

describe('notice data', () => {
  it('encrypts the table with its own rotated customer-managed key and keeps point-in-time recovery on', () => {
    // Prepare
    const keyId = onlyId(
      template.findResources('AWS::KMS::Key', { Properties: { Description: Match.stringLikeRegexp('notice table') } }),
    );

    // Act
    const table = resourceIn(resources, tableId());

    // Assess
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
    });
    expect(resourceIn(resources, keyId).Properties).toMatchObject({ EnableKeyRotation: true });
  });

  it('keys the table on string pk/sk and builds every index of the shared design, projecting what each one declares', () => {
    // Act
    const table = resourceIn(resources, tableId()).Properties ?? {};

    // Assess
    expect(table.KeySchema).toEqual([
      { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
    ]);
    expect(table.GlobalSecondaryIndexes).toHaveLength(ALL_INDEXES.length);
    for (const index of ALL_INDEXES) {
      expect(table.GlobalSecondaryIndexes).toContainEqual({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: index.nonKeyAttributes
          ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.nonKeyAttributes] }
          : { ProjectionType: 'ALL' },
      });
    }
    const keyNames = new Set([
      TABLE_KEYS.partitionKey,
      TABLE_KEYS.sortKey,
      ...ALL_INDEXES.flatMap((i) => [i.partitionKey, i.sortKey]),
    ]);
    expect(table.AttributeDefinitions).toEqual(
      expect.arrayContaining([...keyNames].map((name) => ({ AttributeName: name, AttributeType: 'S' }))),
    );
  });

  it('retains the table, the keys, the buckets, the log groups and the user pool when the stack is deleted', () => {
    // Prepare
    const retained = { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' };

    // Assess
    template.hasResource('AWS::DynamoDB::Table', retained);
    for (const type of ['AWS::KMS::Key', 'AWS::Logs::LogGroup', 'AWS::S3::Bucket', 'AWS::Cognito::UserPool']) {
      const all = Object.values(template.findResources(type));
      expect(all.length).toBeGreaterThan(0);
      for (const resource of all) expect(resource).toMatchObject(retained);
    }
  });
});

describe('response storage', () => {
  const responsesBucketId = () =>
    onlyId(template.findResources('AWS::S3::Bucket', { Properties: { ObjectLockEnabled: true } }));
  const logBucketId = () =>
    resourceIn(resources, responsesBucketId()).Properties?.LoggingConfiguration.DestinationBucketName.Ref;

  it('keeps signed responses versioned, under Object Lock and encrypted with its own customer-managed key', () => {
    // Act
    const bucket = resourceIn(resources, responsesBucketId()).Properties ?? {};
    const keyId =
      bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID[
        'Fn::GetAtt'
      ][0];

    // Assess
    expect(bucket).toMatchObject({
      ObjectLockEnabled: true,
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } },
        ],
      },
    });
    expect(resources[keyId]).toMatchObject({ Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } });
  });

  it('writes server access logs of the responses bucket to a separate versioned bucket with S3-managed encryption', () => {
    // Act
    const logBucket = resourceIn(resources, logBucketId());

    // Assess
    expect(logBucket.Type).toBe('AWS::S3::Bucket');
    expect(logBucketId()).not.toBe(responsesBucketId());
    expect(logBucket.Properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
    // Log delivery is granted by bucket policy, not by the legacy ACL.
    expect(logBucket.Properties?.AccessControl).toBeUndefined();
  });

  it('blocks all public access on both buckets', () => {
    for (const id of [responsesBucketId(), logBucketId()]) {
      expect(resourceIn(resources, id).Properties?.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
  });

  it('refuses requests that do not use TLS on both buckets', () => {
    for (const id of [responsesBucketId(), logBucketId()]) {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  it('has no CorsConfiguration of its own: the CORS rule is set at deploy time (see web-hosting.test.ts)', () => {
    expect(resourceIn(resources, responsesBucketId()).Properties?.CorsConfiguration).toBeUndefined();
  });
});

describe('API', () => {
  it('gives every route its own function and has no route beyond ROUTES', () => {
    // Act
    const functionIds = ROUTES.map((r) => routeAndFunction(template, `${r.method} ${r.path}`).functionId);

    // Assess
    expect(new Set(functionIds).size).toBe(ROUTES.length);
    for (const [i, route] of ROUTES.entries()) {
      expect(
        resourceIn(resources, defined(functionIds[i], `the function of ${route.operationId}`)).Properties?.Description,
      ).toBe(`${route.method} ${route.path}: ${route.summary}`);
    }
    expect(Object.keys(routesOf(template, apiId(template, USER_API_DESCRIPTION)))).toHaveLength(ROUTES.length);
  });

  it('has two HTTP APIs, the user API and the machine API, and no route outside them', () => {
    // Prepare
    const apis = [USER_API_DESCRIPTION, MACHINE_API_DESCRIPTION].map((d) => apiId(template, d));

    // Act
    const routeCounts = apis.map((api) => Object.keys(routesOf(template, api)).length);

    // Assess
    expect(Object.keys(template.findResources('AWS::ApiGatewayV2::Api')).sort()).toEqual([...apis].sort());
    expect(
      defined(routeCounts[0], 'the user API route count') + defined(routeCounts[1], 'the machine API route count'),
    ).toBe(Object.keys(template.findResources('AWS::ApiGatewayV2::Route')).length);
  });

  it('logs every request as JSON, including the caller, and throttles the default stage', () => {
    // Prepare
    const format = new Capture();

    // Assess
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] }, Format: format },
    });
    const fields = JSON.parse(format.asString());
    expect(fields).toMatchObject({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
      subject: '$context.authorizer.claims.sub',
    });
  });

  it('outputs the API URL', () => {
    template.hasOutput('*', { Description: 'Base URL of the notice portal API', Value: Match.anyValue() });
  });

  it('has no CORS configuration unless origins are configured', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.absent() });
  });
});

describe('functions', () => {
  const functions = () => portalFunctions(template);

  it("has no Lambda function besides the portal functions but CDK's three deploy-time handlers", () => {
    // Act
    const others = Object.keys(template.findResources('AWS::Lambda::Function')).filter((id) => !(id in functions()));

    // Assess: bucket notifications, the web app deployment and the response bucket's CORS rule, one each.
    expect(others).toHaveLength(CDK_DEPLOY_TIME_HANDLERS.length);
    for (const prefix of CDK_DEPLOY_TIME_HANDLERS) {
      expect(others.filter((id) => id.startsWith(prefix))).toHaveLength(1);
    }
    const notifications = others.find((id) => id.startsWith(CDK_BUCKET_NOTIFICATIONS_HANDLER))!;
    expect(resourceIn(resources, notifications).Properties?.Description).toBe(
      'AWS CloudFormation handler for "Custom::S3BucketNotifications" resources (@aws-cdk/aws-s3)',
    );
  });

  it('runs every function (each route plus the background jobs) on Node.js 24 on ARM64 with active tracing', () => {
    // Act
    const all = Object.values(functions());

    // Assess
    expect(all).toHaveLength(ROUTES.length + BACKGROUND_FUNCTIONS);
    for (const fn of all) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Timeout: expect.any(Number),
        MemorySize: expect.any(Number),
        Handler: 'index.handler',
      });
    }
  });

  it('gives every function 512 MB but the two that stream files of up to 5 GiB through SHA-256', () => {
    // Act
    const bigger = Object.values(functions()).filter((fn) => fn.Properties?.MemorySize !== 512);

    // Assess
    expect(bigger.map((fn) => [fn.Properties?.Description, fn.Properties?.MemorySize]).sort()).toEqual([
      ['Builds evidence bundles (ZIP) into the response bucket, and restarts builds whose run died', 1024],
      ['Hashes and files responses whose S3 event was lost or whose verification was interrupted', 1024],
      ['Hashes each uploaded response file and files the submission once every hash is known', 1024],
    ]);
  });

  it('gives every function the table name, the token settings, the deadline settings and source-mapped stack traces', () => {
    for (const fn of Object.values(functions())) {
      expect(fn.Properties?.Environment.Variables).toMatchObject({
        [ENV.tableName]: { Ref: tableId() },
        [ENV.authIssuer]: { 'Fn::Join': expect.any(Array) },
        [ENV.authAudience]: { Ref: expect.any(String) },
        [ENV.authJwksUrl]: { 'Fn::Join': expect.any(Array) },
        [ENV.defaultTimeZone]: 'Australia/Sydney',
        [ENV.deadlineJurisdiction]: 'AU-NSW',
        NODE_OPTIONS: '--enable-source-maps',
      });
    }
  });

  it('traces every function with X-Ray and names its Powertools service and metrics namespace', () => {
    for (const fn of Object.values(functions())) {
      expect(fn.Properties?.TracingConfig).toEqual({ Mode: 'Active' });
      expect(fn.Properties?.Environment.Variables).toMatchObject({
        POWERTOOLS_SERVICE_NAME: METRIC_SERVICE,
        POWERTOOLS_METRICS_NAMESPACE: METRIC_NAMESPACE,
      });
    }
  });

  it('logs each function to its own log group kept for a year', () => {
    const logGroupIds = Object.values(functions()).map((fn) => fn.Properties?.LoggingConfig.LogGroup.Ref);
    expect(new Set(logGroupIds).size).toBe(logGroupIds.length);
    for (const id of logGroupIds) {
      expect(resources[id]).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 365 } });
    }
  });

  it('lets each function write only to its own log group, with no AWS managed policy', () => {
    for (const [functionId, fn] of Object.entries(functions())) {
      // Prepare
      const roleId = fn.Properties?.Role['Fn::GetAtt'][0];
      const logGroupId = fn.Properties?.LoggingConfig.LogGroup.Ref;

      // Act
      const logStatements = statementsOfFunction(template, functionId).filter((s) =>
        asArray(s.Action).some((a: string) => a.startsWith('logs:')),
      );

      // Assess
      expect(resourceIn(resources, roleId).Properties?.ManagedPolicyArns).toBeUndefined();
      expect(logStatements).toEqual([
        expect.objectContaining({
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
        }),
      ]);
    }
  });

  it.each(ROUTES.map((r) => [r.operationId, r.tableAccess, `${r.method} ${r.path}`]))(
    'grants %s exactly its %s table access',
    (_operationId, access, routeKey) => {
      // Prepare
      const { functionId } = routeAndFunction(template, routeKey);
      const tableKeyArn = resourceIn(resources, tableId()).Properties?.SSESpecification.KMSMasterKeyId;
      const onTableKey = (s: Record<string, any>) =>
        asArray(s.Resource).some((r) => JSON.stringify(r) === JSON.stringify(tableKeyArn));

      // Act
      const statements = statementsOfFunction(template, functionId);

      // Assess
      const dynamodb = actionsOf(statements)
        .filter((a) => a.startsWith('dynamodb:'))
        .sort();
      // The table's key only: response functions also hold KMS actions on the bucket key and the receipt key.
      const kms = actionsOf(statements.filter(onTableKey))
        .filter((a) => a.startsWith('kms:'))
        .sort();
      if (access === 'none') {
        expect([...dynamodb, ...kms]).toEqual([]);
      } else if (access === 'read') {
        expect(dynamodb).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query']);
        expect(kms).toEqual(['kms:Decrypt', 'kms:DescribeKey']);
      } else {
        expect(dynamodb).toEqual([
          'dynamodb:BatchGetItem',
          'dynamodb:ConditionCheckItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
        ]);
        expect(kms).toEqual(['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey']);
      }
    },
  );

  it('grants table access on the table and on each index by name, or on the table alone for partition-scoped updates', () => {
    // Prepare
    const tableArn = { 'Fn::GetAtt': [tableId(), 'Arn'] };
    const indexArns = ALL_INDEXES.map((i) => ({ 'Fn::Join': ['', [tableArn, `/index/${i.indexName}`]] }));
    const partitionScoped = (s: Record<string, any>) =>
      s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] !== undefined;

    // Act
    const dynamodbStatements = iamStatements(template)
      .map(({ statement }) => statement)
      .filter((s) => asArray(s.Action).some((a: string) => a.startsWith('dynamodb:')));

    // Assess
    expect(dynamodbStatements.filter((s) => !partitionScoped(s)).length).toBeGreaterThan(0);
    for (const statement of dynamodbStatements.filter(partitionScoped)) {
      expect(statement).toMatchObject({ Action: 'dynamodb:UpdateItem', Resource: tableArn });
    }
    for (const statement of dynamodbStatements.filter((s) => !partitionScoped(s))) {
      // Policy minimisation sorts resources, so compare as sets.
      expect(statement.Resource).toHaveLength(1 + indexArns.length);
      expect(statement.Resource).toEqual(expect.arrayContaining([tableArn, ...indexArns]));
    }
  });
});

describe('IAM', () => {
  it("has no wildcard action anywhere but in CDK's grants to the web app deployment, on its two buckets alone", () => {
    // Prepare
    const appBucketId = onlyId(
      template.findResources('AWS::S3::Bucket', {
        Properties: { LoggingConfiguration: { LogFilePrefix: 'app-bucket/' } },
      }),
    );

    // Act
    const wildcards = iamStatements(template).filter(({ statement }) =>
      asArray(statement.Action).some((a: string) => a.includes('*')),
    );

    // Assess
    expect(wildcards.length).toBeGreaterThan(0);
    for (const { policyId, statement } of wildcards) {
      expect(policyId.startsWith(WEB_DEPLOYMENT_POLICY)).toBe(true);
      for (const resource of asArray(statement.Resource)) {
        expect(JSON.stringify(resource)).toMatch(new RegExp(`"${appBucketId}"|cdk-[a-z0-9]+-assets-`));
      }
    }
  });

  it('never grants DynamoDB access on index/*', () => {
    const serialised = iamStatements(template).map(({ statement }) => JSON.stringify(statement.Resource));
    expect(serialised.length).toBeGreaterThan(0);
    for (const resource of serialised) expect(resource).not.toMatch(/\/index\/\*/);
  });

  it('uses Resource "*" only for the X-Ray actions that cannot be scoped', () => {
    const starStatements = iamStatements(template).filter(({ statement }) => asArray(statement.Resource).includes('*'));
    expect(starStatements.length).toBe(ROUTES.length + BACKGROUND_FUNCTIONS);
    for (const { statement } of starStatements) {
      expect(asArray(statement.Action).sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    }
  });
});

describe('projection repair', () => {
  const repairFunctionId = () =>
    onlyId(
      template.findResources('AWS::Lambda::Function', {
        Properties: { Description: Match.stringLikeRegexp('^Repairs notice projections') },
      }),
    );

  it('runs the repair function every 5 minutes', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [repairFunctionId(), 'Arn'] } })],
    });
  });

  it('retries a failed run twice and then parks it in an encrypted, TLS-only dead-letter queue', () => {
    // Prepare
    const fn = resourceIn(resources, repairFunctionId()).Properties ?? {};
    const queueId = fn.DeadLetterConfig.TargetArn['Fn::GetAtt'][0];

    // Assess
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: repairFunctionId() },
      MaximumRetryAttempts: 2,
    });
    expect(resources[queueId]).toMatchObject({ Type: 'AWS::SQS::Queue', Properties: { SqsManagedSseEnabled: true } });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('may read and write the table', () => {
    const actions = actionsOf(statementsOfFunction(template, repairFunctionId()));
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem']));
  });
});
