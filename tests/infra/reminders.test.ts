import type { CfnResource } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { Construct } from 'constructs';
import { ROUTES } from '../../lambdas/api/routes';
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
} from './portal-app';

// One synthesis for the whole file, with the default context (placeholder sender, no escalation address).
let template: Template;
let stack: NoticePortalStack;
let resources: Record<string, { Type: string; Properties?: Record<string, any> }>;
beforeAll(() => {
  ({ template, stack } = synthesizePortal());
  resources = template.toJSON().Resources;
});

const SENDER = 'notices@regulator.example';
const logicalId = (construct: Construct) => stack.getLogicalId(construct.node.defaultChild as CfnResource);
const runFunctionId = () => logicalId(stack.reminders.runFunction);
const recorderFunctionId = () => logicalId(stack.reminders.recorderFunction);
const configurationSetId = () => logicalId(stack.reminders.configurationSet);
const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const sesStatements = (statements: Array<Record<string, any>>) =>
  statements.filter((s) => asArray(s.Action).some((a: string) => a.startsWith('ses:')));
/** The parts that CloudFormation joins into `arn:<partition>:ses:<region>:<account>:<resource>`. */
const sesArnParts = (resource: unknown): unknown[] => [
  'arn:',
  { Ref: 'AWS::Partition' },
  ':ses:',
  { Ref: 'AWS::Region' },
  ':',
  { Ref: 'AWS::AccountId' },
  resource,
];
/** `arn:<partition>:ses:<region>:<account>:<resource>` as CloudFormation writes it. */
const sesArn = (resource: unknown) => ({
  'Fn::Join': ['', sesArnParts(resource)],
});

describe('the reminder run', () => {
  it('is started every 5 minutes by a schedule that targets the run-reminders function', () => {
    // Act
    const rule = resourceIn(resources, logicalId(stack.reminders.schedule));

    // Assess
    expect(rule.Properties).toMatchObject({
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Targets: [expect.objectContaining({ Arn: arnOf(runFunctionId()) })],
    });
    expect(resourceIn(resources, runFunctionId()).Properties?.Description).toBe(
      'Sends the notice reminders and escalations that are due',
    );
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: arnOf(runFunctionId()),
      Principal: 'events.amazonaws.com',
      SourceArn: arnOf(logicalId(stack.reminders.schedule)),
    });
  });

  it('runs for up to 5 minutes and is not retried by Lambda, and failures go to an encrypted TLS-only queue', () => {
    // Prepare
    const queueId = logicalId(stack.reminders.runDeadLetterQueue);

    // Act
    const fn = resourceIn(resources, runFunctionId()).Properties ?? {};

    // Assess
    expect(fn.Timeout).toBe(300);
    expect(fn.DeadLetterConfig).toEqual({ TargetArn: arnOf(queueId) });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: runFunctionId() },
      MaximumRetryAttempts: 0,
    });
    expect(resourceIn(resources, logicalId(stack.reminders.schedule)).Properties?.Targets[0].DeadLetterConfig).toEqual({
      Arn: arnOf(queueId),
    });
    expectEncryptedTlsOnlyQueue(queueId);
  });

  it('sends through SES from the configured sender and configuration set, with the deadline settings', () => {
    expect(resourceIn(resources, runFunctionId()).Properties?.Environment.Variables).toMatchObject({
      [ENV.mailTransport]: 'ses',
      [ENV.mailSender]: SENDER,
      [ENV.mailConfigurationSet]: { Ref: configurationSetId() },
      [ENV.deadlineJurisdiction]: 'AU-NSW',
      [ENV.defaultTimeZone]: 'Australia/Sydney',
    });
    expect(
      resourceIn(resources, runFunctionId()).Properties?.Environment.Variables[ENV.escalationEmail],
    ).toBeUndefined();
  });

  it('may send only from the sender identity through the configuration set, with the From address pinned', () => {
    // Act
    const statements = sesStatements(statementsOfFunction(template, runFunctionId()));

    // Assess
    expect(statements).toHaveLength(1);
    const statement = statements[0]!;
    expect(statement).toMatchObject({
      Effect: 'Allow',
      Action: 'ses:SendEmail',
      Condition: { StringEquals: { 'ses:FromAddress': SENDER } },
    });
    // Policy minimisation may reorder resources, so compare as sets.
    expect(asArray(statement.Resource)).toHaveLength(3);
    expect(asArray(statement.Resource)).toEqual(
      expect.arrayContaining([
        sesArn(`:identity/${SENDER}`),
        sesArn(':identity/regulator.example'),
        { 'Fn::Join': ['', [...sesArnParts(':configuration-set/'), { Ref: configurationSetId() }]] },
      ]),
    );
  });

  it('has no Resource "*" besides the X-Ray statement', () => {
    const star = statementsOfFunction(template, runFunctionId()).filter((s) => asArray(s.Resource).includes('*'));

    expect(star).toHaveLength(1);
    expect(asArray(star[0]!.Action).sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });

  it('is the only function that may send e-mail, and the only one configured for SES', () => {
    // Act
    const senders = iamStatements(template).filter(({ statement }) => sesStatements([statement]).length > 0);
    const functionsWithMail = Object.entries(portalFunctions(template)).filter(
      ([, fn]) => fn.Properties?.Environment.Variables[ENV.mailTransport] !== undefined,
    );

    // Assess
    expect(senders).toHaveLength(1);
    expect(functionsWithMail.map(([id]) => id)).toEqual([runFunctionId()]);
    for (const route of ROUTES) {
      const { functionId } = routeAndFunction(template, `${route.method} ${route.path}`);
      const variables = resourceIn(resources, functionId).Properties?.Environment.Variables;
      expect(Object.keys(variables).filter((name) => name.startsWith('MAIL_'))).toEqual([]);
      expect(variables[ENV.deadlineJurisdiction]).toBe('AU-NSW');
    }
  });
});

describe('the SES configuration set', () => {
  it('requires TLS for delivery and publishes reputation metrics', () => {
    expect(resourceIn(resources, configurationSetId()).Properties).toMatchObject({
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
      ReputationOptions: { ReputationMetricsEnabled: true },
    });
  });

  it('publishes send, delivery and failure events to the default EventBridge bus', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: configurationSetId() },
      EventDestination: {
        Enabled: true,
        EventBridgeDestination: {
          EventBusArn: {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':events:',
                { Ref: 'AWS::Region' },
                ':',
                { Ref: 'AWS::AccountId' },
                ':event-bus/default',
              ],
            ],
          },
        },
        MatchingEventTypes: Match.arrayEquals([
          'send',
          'delivery',
          'bounce',
          'complaint',
          'reject',
          'renderingFailure',
          'deliveryDelay',
        ]),
      },
    });
  });
});

describe('the delivery witness', () => {
  it('routes SES events of the configuration set, and only those, to the recorder', () => {
    // Act
    const rule = resourceIn(resources, logicalId(stack.reminders.emailEventsRule)).Properties ?? {};

    // Assess
    expect(rule.EventPattern).toEqual({
      source: ['aws.ses'],
      'detail-type': [
        'Email Sent',
        'Email Delivered',
        'Email Bounced',
        'Email Complaint Received',
        'Email Rejected',
        'Email Rendering Failed',
        'Email Delivery Delayed',
      ],
      detail: { mail: { tags: { 'ses:configuration-set': [{ Ref: configurationSetId() }] } } },
    });
    expect(rule.Targets).toEqual([expect.objectContaining({ Arn: arnOf(recorderFunctionId()) })]);
    expect(resourceIn(resources, recorderFunctionId()).Properties?.Description).toMatch(/Records SES sending events/);
  });

  it('keeps events the recorder could not store in an encrypted TLS-only dead-letter queue', () => {
    // Prepare
    const queueId = logicalId(stack.reminders.recorderDeadLetterQueue);

    // Assess: events EventBridge could not deliver and invocations that failed after Lambda's retries
    const rule = resourceIn(resources, logicalId(stack.reminders.emailEventsRule)).Properties ?? {};
    expect(rule.Targets[0].DeadLetterConfig).toEqual({ Arn: arnOf(queueId) });
    expect(resourceIn(resources, recorderFunctionId()).Properties?.DeadLetterConfig).toEqual({
      TargetArn: arnOf(queueId),
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: recorderFunctionId() },
      MaximumRetryAttempts: 2,
    });
    expectEncryptedTlsOnlyQueue(queueId);
  });

  it('lets the recorder only update delivery records, never read or write notices', () => {
    // Act
    const dynamodb = statementsOfFunction(template, recorderFunctionId()).filter((s) =>
      asArray(s.Action).some((a: string) => a.startsWith('dynamodb:')),
    );

    // Assess
    expect(dynamodb).toEqual([
      {
        Effect: 'Allow',
        Action: 'dynamodb:UpdateItem',
        Resource: arnOf(logicalId(stack.data.table)),
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['EMAIL#*'] } },
      },
    ]);
    expect(sesStatements(statementsOfFunction(template, recorderFunctionId()))).toEqual([]);
  });
});

function expectEncryptedTlsOnlyQueue(queueId: string): void {
  expect(resources[queueId]).toMatchObject({ Type: 'AWS::SQS::Queue', Properties: { SqsManagedSseEnabled: true } });
  template.hasResourceProperties('AWS::SQS::QueuePolicy', {
    Queues: [{ Ref: queueId }],
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({
          Effect: 'Deny',
          Action: 'sqs:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      ]),
    },
  });
}
