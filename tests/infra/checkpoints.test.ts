import type { CfnResource } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { Construct } from 'constructs';
import type { NoticePortalStack } from '../../lib/notice-portal-stack';
import { asArray, resourceIn, statementsOfFunction, synthesizePortal } from './portal-app';

// One synthesis for the whole file.
let template: Template;
let stack: NoticePortalStack;
let resources: Record<string, { Type: string; Properties?: Record<string, any> }>;
beforeAll(() => {
  ({ template, stack } = synthesizePortal());
  resources = template.toJSON().Resources;
});

const logicalId = (construct: Construct) => stack.getLogicalId(construct.node.defaultChild as CfnResource);
const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

describe('the checkpoint run', () => {
  it('is started every 5 minutes by a schedule that targets the run-checkpoint function', () => {
    // Act
    const rule = resourceIn(resources, logicalId(stack.checkpoints.schedule));
    const fnId = logicalId(stack.checkpoints.function);

    // Assess
    expect(rule.Properties).toMatchObject({
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Targets: [expect.objectContaining({ Arn: arnOf(fnId) })],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: arnOf(fnId),
      Principal: 'events.amazonaws.com',
      SourceArn: arnOf(logicalId(stack.checkpoints.schedule)),
    });
    expect(resourceIn(resources, fnId).Properties?.DeadLetterConfig).toEqual({
      TargetArn: arnOf(logicalId(stack.checkpoints.deadLetterQueue)),
    });
  });

  it('may use the table and sign with the receipt key, and nothing else', () => {
    // Act
    const statements = statementsOfFunction(template, logicalId(stack.checkpoints.function));
    const actions = statements.flatMap((s) => asArray(s.Action as string | string[]));

    // Assess
    const receiptKey = arnOf(logicalId(stack.receipts.key));
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: ['kms:GetPublicKey', 'kms:Sign'],
      Resource: receiptKey,
    });
    const kmsOnOtherKeys = statements.filter(
      (s) =>
        asArray(s.Action as string | string[]).some((a) => a === 'kms:Sign' || a === 'kms:GetPublicKey') &&
        JSON.stringify(s.Resource) !== JSON.stringify(receiptKey),
    );
    expect(kmsOnOtherKeys).toEqual([]);
    expect(actions).toContain('dynamodb:PutItem');
    expect(actions).toContain('dynamodb:Query');
    expect(actions.filter((a) => a.startsWith('s3:') || a.startsWith('ses:') || a.startsWith('cognito'))).toEqual([]);
  });
});
