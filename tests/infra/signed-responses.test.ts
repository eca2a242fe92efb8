import type { CfnResource } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { Construct } from 'constructs';
import { ROUTES, type RouteDefinition } from '../../lambdas/api/routes';
import { ENV } from '../../lambdas/config/env';
import type { NoticePortalStack } from '../../lib/notice-portal-stack';
import {
  asArray,
  iamStatements,
  portalFunctions,
  resourceIn,
  routeAndFunction,
  statementsOfFunction,
  synthesizePortal,
  WEB_DEPLOYMENT_POLICY,
} from './portal-app';

// One synthesis for the whole file, with the default context.
let template: Template;
let stack: NoticePortalStack;
let resources: Record<string, { Type: string; Properties?: Record<string, any>; DeletionPolicy?: string }>;
beforeAll(() => {
  ({ template, stack } = synthesizePortal());
  resources = template.toJSON().Resources;
});

type Statement = Record<string, any>;

const logicalId = (construct: Construct) => stack.getLogicalId(construct.node.defaultChild as CfnResource);
const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const bucketArn = () => arnOf(logicalId(stack.storage.bucket));
const objectsArn = () => ({ 'Fn::Join': ['', [bucketArn(), '/notices/*']] });
const bundlesArn = () => ({ 'Fn::Join': ['', [bucketArn(), '/evidence-bundles/*']] });
const bucketKeyArn = () => arnOf(logicalId(stack.storage.encryptionKey));
const receiptKeyArn = () => arnOf(logicalId(stack.receipts.key));
const hasherId = () => logicalId(stack.uploadHashing.function);
const verifierId = () => logicalId(stack.pendingVerification.function);
const functionOf = (route: RouteDefinition) => routeAndFunction(template, `${route.method} ${route.path}`).functionId;
const environmentOf = (functionId: string): Record<string, unknown> =>
  resourceIn(resources, functionId).Properties?.Environment.Variables;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const on = (resource: unknown) => (s: Statement) => asArray(s.Resource).some((r) => same(r, resource));
const actionsOf = (statements: Statement[]) =>
  statements
    .filter((s) => s.Effect === 'Allow')
    .flatMap((s) => asArray(s.Action) as string[])
    .sort();
const s3Statements = (statements: Statement[]) =>
  statements.filter((s) => asArray(s.Action).some((a: string) => a.startsWith('s3:')));
const viaS3 = {
  StringEquals: {
    'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] },
  },
};

const UPLOAD_ACTIONS = ['s3:AbortMultipartUpload', 's3:ListMultipartUploadParts', 's3:PutObject'];
/** GetObjectVersion: a filed file's download names the version that was hashed. */
const READ_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion'];
const uploadRoutes = ROUTES.filter((r) => r.bucketAccess === 'upload');
const readRoutes = ROUTES.filter((r) => r.bucketAccess === 'read');
const bundleRoutes = ROUTES.filter((r) => r.bucketAccess === 'bundles');
const routesWithoutBucket = ROUTES.filter((r) => (r.bucketAccess ?? 'none') === 'none');
const unrelatedRoutes = routesWithoutBucket.filter((r) => !r.signsReceipts);
const byName = (routes: readonly RouteDefinition[]) => routes.map((r) => [r.operationId, r] as const);

describe('the receipt key', () => {
  it('is an asymmetric P-256 signing key, kept when the stack is deleted, with a stable alias', () => {
    // Act
    const key = resources[logicalId(stack.receipts.key)];

    // Assess
    expect(key).toMatchObject({
      Type: 'AWS::KMS::Key',
      DeletionPolicy: 'Retain',
      Properties: { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' },
    });
    // KMS cannot rotate asymmetric keys; CloudFormation refuses EnableKeyRotation on them.
    expect(key!.Properties?.EnableKeyRotation).not.toBe(true);
    template.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: 'alias/notice-portal/receipts',
      TargetKeyId: receiptKeyArn(),
    });
  });

  it('may be used to sign only by the issue and finalize functions, the upload hasher, the pending-verification job and the checkpoint run', () => {
    // Prepare: the access-token key is the only other signing key; its grants are checked in machine-access.test.ts.
    const tokenKeyArn = arnOf(logicalId(stack.accessTokens.key));
    const signsWithReceiptKey = (s: Statement) => asArray(s.Action).includes('kms:Sign') && on(receiptKeyArn())(s);

    // Act
    const signing = iamStatements(template).filter(
      ({ statement }) => asArray(statement.Action).includes('kms:Sign') && !on(tokenKeyArn)(statement),
    );
    const signers = Object.keys(portalFunctions(template)).filter((id) =>
      statementsOfFunction(template, id).some(signsWithReceiptKey),
    );

    // Assess
    const finalize = ROUTES.find((r) => r.operationId === 'finalizeSubmission');
    const issue = ROUTES.find((r) => r.operationId === 'issueNotice');
    expect(finalize?.signsReceipts).toBe(true);
    // Issuing signs the notice as given with the same regulator key (typ nrp-notice+jws).
    expect(issue?.signsReceipts).toBe(true);
    const checkpointRun = logicalId(stack.checkpoints.function);
    expect(signers.sort()).toEqual(
      [
        functionOf(finalize as RouteDefinition),
        functionOf(issue as RouteDefinition),
        hasherId(),
        verifierId(),
        checkpointRun,
      ].sort(),
    );
    expect(signing).toHaveLength(5);
    for (const { statement } of signing) {
      expect(statement).toEqual({
        Effect: 'Allow',
        Action: ['kms:GetPublicKey', 'kms:Sign'],
        Resource: receiptKeyArn(),
      });
    }
    // The receipt signers sign nothing else.
    for (const id of signers) {
      const otherSigning = statementsOfFunction(template, id).filter(
        (s) => asArray(s.Action).includes('kms:Sign') && !signsWithReceiptKey(s),
      );
      expect(otherSigning).toEqual([]);
    }
  });

  it('publishes the public keys from the key log alone: the key-publishing routes hold no KMS grant at all', () => {
    for (const operationId of ['getReceiptKeys', 'getRegulatorKeys']) {
      // Prepare
      const route = ROUTES.find((r) => r.operationId === operationId) as RouteDefinition;

      // Act
      const statements = statementsOfFunction(template, functionOf(route));

      // Assess: the keys come from the regulator-keys chain in the table, which the signers write.
      expect(route).toMatchObject({ public: true, tableAccess: 'read' });
      expect(route.signsReceipts).toBeUndefined();
      expect(statements.filter(on(receiptKeyArn()))).toEqual([]);
      expect(s3Statements(statements)).toEqual([]);
    }
  });

  it('is named to every function that handles responses, which are told to sign with KMS', () => {
    for (const route of ROUTES.filter((r) => r.bucketAccess !== undefined || r.signsReceipts)) {
      expect(environmentOf(functionOf(route))).toMatchObject({
        [ENV.responsesBucket]: { Ref: logicalId(stack.storage.bucket) },
        [ENV.receiptSigner]: 'kms',
        [ENV.receiptKmsKeyId]: receiptKeyArn(),
      });
    }
  });

  it('grants nothing on the receipt key besides kms:Sign and kms:GetPublicKey, anywhere', () => {
    const actions = actionsOf(
      iamStatements(template)
        .map(({ statement }) => statement)
        .filter(on(receiptKeyArn())),
    );
    expect([...new Set(actions)]).toEqual(['kms:GetPublicKey', 'kms:Sign']);
  });
});

describe('route functions and the response bucket', () => {
  it('has routes of every bucket access kind to check', () => {
    expect(uploadRoutes.length).toBeGreaterThan(0);
    expect(readRoutes.length).toBeGreaterThan(0);
    expect(unrelatedRoutes.length).toBeGreaterThan(0);
  });

  it.each(byName(uploadRoutes))('lets %s upload response objects, and only under notices/', (_name, route) => {
    // Act
    const statements = statementsOfFunction(template, functionOf(route));

    // Assess
    expect(s3Statements(statements)).toEqual([{ Effect: 'Allow', Action: UPLOAD_ACTIONS, Resource: objectsArn() }]);
    expect(statements.filter(on(bucketArn()))).toEqual([]);
    // Multipart uploads under SSE-KMS need Decrypt as well as a data key; nothing may use the key outside S3.
    expect(statements.filter(on(bucketKeyArn()))).toEqual([
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: bucketKeyArn(), Condition: viaS3 },
    ]);
  });

  it.each(byName(readRoutes))('lets %s read response objects under notices/ but never write them', (_name, route) => {
    // Act
    const statements = statementsOfFunction(template, functionOf(route));

    // Assess
    expect(s3Statements(statements)).toEqual([{ Effect: 'Allow', Action: READ_ACTIONS, Resource: objectsArn() }]);
    expect(actionsOf(statements)).not.toContain('s3:PutObject');
    expect(statements.filter(on(bucketKeyArn()))).toEqual([
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: bucketKeyArn(), Condition: viaS3 },
    ]);
  });

  it.each(byName(routesWithoutBucket))('gives %s, which has no bucket access, no S3 permission', (_name, route) => {
    // Act
    const statements = statementsOfFunction(template, functionOf(route));

    // Assess
    expect(s3Statements(statements)).toEqual([]);
    expect(statements.filter(on(bucketKeyArn()))).toEqual([]);
  });

  it.each(byName(unrelatedRoutes))('gives %s neither the bucket nor the receipt key', (_name, route) => {
    // Act
    const functionId = functionOf(route);

    // Assess
    const variables = environmentOf(functionId);
    expect(variables[ENV.responsesBucket]).toBeUndefined();
    expect(variables[ENV.receiptSigner]).toBeUndefined();
    expect(variables[ENV.receiptKmsKeyId]).toBeUndefined();
    expect(statementsOfFunction(template, functionId).filter(on(receiptKeyArn()))).toEqual([]);
  });

  it('grants S3 access nowhere but on the objects under notices/ and evidence-bundles/ (besides CDK setting the notification and CORS)', () => {
    // Prepare: the web app deployment's grants (CDK's) are on the asset and app buckets, never on this one.
    const all = iamStatements(template);
    const webDeployment = all.filter(({ policyId }) => policyId.startsWith(WEB_DEPLOYMENT_POLICY));
    expect(webDeployment.length).toBeGreaterThan(0);
    for (const { statement } of webDeployment) {
      expect(JSON.stringify(statement)).not.toContain(`"${logicalId(stack.storage.bucket)}"`);
    }

    // Act
    const s3 = s3Statements(all.filter((s) => !webDeployment.includes(s)).map(({ statement }) => statement));

    // Assess
    const notification = s3.filter((s) => same(s.Action, 's3:PutBucketNotification'));
    expect(notification).toEqual([{ Effect: 'Allow', Action: 's3:PutBucketNotification', Resource: bucketArn() }]);
    const cors = s3.filter((s) => same(s.Action, 's3:PutBucketCORS'));
    expect(cors).toEqual([{ Effect: 'Allow', Action: 's3:PutBucketCORS', Resource: bucketArn() }]);
    const portal = s3.filter((s) => !notification.includes(s) && !cors.includes(s));
    // The route functions, the upload hasher, the pending-verification job and the bundle builder (which reads files).
    const responses = portal.filter((s) => JSON.stringify(s.Resource) === JSON.stringify(objectsArn()));
    expect(responses.length).toBe(uploadRoutes.length + readRoutes.length + 3);
    // The bundle routes presign downloads (GetObject); the builder stores bundles (PutObject, AbortMultipartUpload).
    const bundles = portal.filter((s) => !responses.includes(s));
    expect(bundles.map((s) => [s.Action].flat().sort().join(' ')).sort()).toEqual(
      [...bundleRoutes.map(() => 's3:GetObject'), 's3:AbortMultipartUpload s3:PutObject'].sort(),
    );
    for (const statement of bundles) expect(statement.Resource).toEqual(bundlesArn());
  });
});

describe('the upload hasher', () => {
  it('is invoked for every object created under notices/ in the response bucket', () => {
    // Act
    const notifications = Object.values(template.findResources('Custom::S3BucketNotifications'));

    // Assess
    expect(notifications).toHaveLength(1);
    expect(notifications[0]!.Properties).toMatchObject({
      BucketName: { Ref: logicalId(stack.storage.bucket) },
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'notices/' }] } },
            LambdaFunctionArn: arnOf(hasherId()),
          },
        ],
      },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: arnOf(hasherId()),
      Principal: 's3.amazonaws.com',
      SourceArn: bucketArn(),
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
  });

  it('runs for up to 15 minutes with 1 GB, is retried twice and then parks the event in an encrypted TLS-only queue', () => {
    // Prepare
    const queueId = logicalId(stack.uploadHashing.deadLetterQueue);

    // Act
    const fn = resourceIn(resources, hasherId()).Properties ?? {};

    // Assess
    expect(fn).toMatchObject({ Timeout: 900, MemorySize: 1024, DeadLetterConfig: { TargetArn: arnOf(queueId) } });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: hasherId() },
      MaximumRetryAttempts: 2,
    });
    expect(resources[queueId]).toMatchObject({ Type: 'AWS::SQS::Queue', Properties: { SqsManagedSseEnabled: true } });
    const queuePolicies = Object.values(template.findResources('AWS::SQS::QueuePolicy')).filter((p) =>
      same(p.Properties.Queues, [{ Ref: queueId }]),
    );
    expect(queuePolicies).toHaveLength(1);
    expect(queuePolicies[0]!.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 'sqs:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it('may read response objects, write the table and sign receipts, and nothing more', () => {
    // Act
    const statements = statementsOfFunction(template, hasherId());

    // Assess
    expect(s3Statements(statements)).toEqual([{ Effect: 'Allow', Action: READ_ACTIONS, Resource: objectsArn() }]);
    expect(statements.filter(on(bucketKeyArn()))).toEqual([
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: bucketKeyArn(), Condition: viaS3 },
    ]);
    expect(actionsOf(statements.filter(on(receiptKeyArn())))).toEqual(['kms:GetPublicKey', 'kms:Sign']);
    expect(actionsOf(statements)).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']));
    expect(actionsOf(statements).filter((a) => !/^(s3|kms|dynamodb|logs|xray):/.test(a))).toEqual(['sqs:SendMessage']);
  });

  it('is configured for the bucket, the KMS receipt signer and the table', () => {
    expect(environmentOf(hasherId())).toMatchObject({
      [ENV.tableName]: { Ref: logicalId(stack.data.table) },
      [ENV.responsesBucket]: { Ref: logicalId(stack.storage.bucket) },
      [ENV.receiptSigner]: 'kms',
      [ENV.receiptKmsKeyId]: receiptKeyArn(),
    });
  });
});

describe('the pending-verification job', () => {
  it('runs every 5 minutes from EventBridge, retried twice, its failures parked in its own dead-letter queue', () => {
    // Prepare
    const queueId = logicalId(stack.pendingVerification.deadLetterQueue);

    // Act
    const rules = Object.values(template.findResources('AWS::Events::Rule')).filter((rule) =>
      asArray(rule.Properties.Targets).some((t: Statement) => same(t.Arn, arnOf(verifierId()))),
    );

    // Assess
    expect(rules).toHaveLength(1);
    expect(rules[0]!.Properties).toMatchObject({
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Targets: [
        {
          Arn: arnOf(verifierId()),
          DeadLetterConfig: { Arn: arnOf(queueId) },
          RetryPolicy: { MaximumRetryAttempts: 2 },
        },
      ],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: verifierId() },
      MaximumRetryAttempts: 2,
    });
    expect(resourceIn(resources, verifierId()).Properties).toMatchObject({
      Timeout: 900,
      MemorySize: 1024,
      DeadLetterConfig: { TargetArn: arnOf(queueId) },
    });
    expect(resources[queueId]).toMatchObject({ Type: 'AWS::SQS::Queue', Properties: { SqsManagedSseEnabled: true } });
  });

  it('may read response objects, query and write the table, and sign receipts, and nothing more', () => {
    // Act
    const statements = statementsOfFunction(template, verifierId());

    // Assess
    expect(s3Statements(statements)).toEqual([
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: objectsArn() },
    ]);
    expect(statements.filter(on(bucketArn()))).toEqual([]);
    expect(statements.filter(on(bucketKeyArn()))).toEqual([
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: bucketKeyArn(), Condition: viaS3 },
    ]);
    expect(actionsOf(statements.filter(on(receiptKeyArn())))).toEqual(['kms:GetPublicKey', 'kms:Sign']);
    const tableStatements = statements.filter((s) => asArray(s.Action).some((a: string) => a.startsWith('dynamodb:')));
    expect(actionsOf(tableStatements)).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:PutItem']));
    expect(actionsOf(tableStatements)).not.toContain('dynamodb:Scan');
    expect(actionsOf(tableStatements)).not.toContain('dynamodb:DeleteItem');
    expect(actionsOf(statements).filter((a) => !/^(s3|kms|dynamodb|logs|xray):/.test(a))).toEqual(['sqs:SendMessage']);
  });

  it('is configured for the bucket, the KMS receipt signer and the table', () => {
    expect(environmentOf(verifierId())).toMatchObject({
      [ENV.tableName]: { Ref: logicalId(stack.data.table) },
      [ENV.responsesBucket]: { Ref: logicalId(stack.storage.bucket) },
      [ENV.receiptSigner]: 'kms',
      [ENV.receiptKmsKeyId]: receiptKeyArn(),
    });
  });
});
