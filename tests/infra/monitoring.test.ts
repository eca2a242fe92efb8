import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, type CfnResource, NestedStack, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { METRIC_NAMESPACE, METRIC_SERVICE, METRICS } from '../../lambdas/observability/metric-names';
import { deadLetterQueue } from '../../lib/constructs/dead-letter-queue';
import { ALARM_SETTINGS, Monitoring } from '../../lib/constructs/monitoring';
import type { NoticePortalStack } from '../../lib/notice-portal-stack';
import {
  apiId,
  asArray,
  cfnText,
  MACHINE_API_DESCRIPTION,
  portalFunctions,
  resourceIn,
  type StackTemplate,
  synthesizePortal,
  USER_API_DESCRIPTION,
} from './portal-app';

type Resource = { Type: string; Properties?: Record<string, any> };

// One synthesis of the whole portal (default context: no ops e-mail) for the file.
let stack: NoticePortalStack;
let template: Template;
let stackTemplates: StackTemplate[];
let resources: Record<string, Resource>;
beforeAll(() => {
  ({ stack, template, stackTemplates } = synthesizePortal());
  resources = template.toJSON().Resources;
}, 180_000);

const logicalId = (construct: Construct) =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnResource);
const topicRef = () => ({ Ref: logicalId(stack.monitoring.topic) });
const alarms = () => template.findResources('AWS::CloudWatch::Alarm') as Record<string, Resource>;
const alarmOn = (metricName: string, namespace: string, within: Record<string, Resource> = alarms()) =>
  Object.entries(within).filter(
    ([, a]) => a.Properties?.MetricName === metricName && a.Properties?.Namespace === namespace,
  );
const portalDimension = [{ Name: 'service', Value: METRIC_SERVICE }];

describe('the alarm topic', () => {
  it('is encrypted with its own rotating customer-managed key that lets CloudWatch publish', () => {
    // Act
    const topic = resourceIn(resources, logicalId(stack.monitoring.topic));
    const key = resourceIn(resources, logicalId(stack.monitoring.topicKey));

    // Assess
    expect(topic.Properties?.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [logicalId(stack.monitoring.topicKey), 'Arn'] });
    expect(key.Properties?.EnableKeyRotation).toBe(true);
    expect(key.Properties?.KeyPolicy.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      }),
    );
  });

  it("refuses publishing without TLS and lets only this account's alarms publish as CloudWatch", () => {
    // Act
    const policies = Object.values(template.findResources('AWS::SNS::TopicPolicy')).filter((p) =>
      asArray(p.Properties?.Topics).some((t: unknown) => JSON.stringify(t) === JSON.stringify(topicRef())),
    );

    // Assess
    expect(policies).toHaveLength(1);
    const statements = policies[0]!.Properties?.PolicyDocument.Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 'sns:Publish',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    const publish = statements.find((s: any) => s.Sid === 'AllowThisAccountsAlarmsToPublish');
    expect(publish).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: topicRef(),
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
    expect(cfnText(publish.Condition.ArnLike['aws:SourceArn'])).toBe(
      'arn:<AWS::Partition>:cloudwatch:<AWS::Region>:<AWS::AccountId>:alarm:*',
    );
  });

  it('has no subscription when no ops e-mail is given', () => {
    expect(template.findResources('AWS::SNS::Subscription')).toEqual({});
  });
});

describe('the alarm routing', () => {
  it('makes every alarm of the portal, in every stack, notify the topic on ALARM and on OK', () => {
    // Act
    const all = Object.entries(alarms());

    // Assess: the merged template replaces a nested stack's parameter with what its parent passes in: the topic.
    expect(all.length).toBeGreaterThan(100);
    const unrouted = all
      .filter(([, a]) => {
        const p = a.Properties ?? {};
        return (
          JSON.stringify(p.AlarmActions) !== JSON.stringify([topicRef()]) ||
          JSON.stringify(p.OKActions) !== JSON.stringify([topicRef()])
        );
      })
      .map(([id]) => id);
    expect(unrouted).toEqual([]);
  });
});

describe('the per-function alarms', () => {
  it.each([
    ['Errors', { EvaluationPeriods: 3, DatapointsToAlarm: 2 }],
    ['Throttles', { EvaluationPeriods: 1 }],
  ])('gives every portal function one %s alarm, in the stack of the function', (metricName, evaluation) => {
    for (const { path, template: own } of stackTemplates) {
      // Prepare
      const functions = Object.keys(portalFunctions(own));
      const ownAlarms = own.findResources('AWS::CloudWatch::Alarm') as Record<string, Resource>;

      // Act
      const byFunction = functions.map((fn) => ({
        fn,
        alarms: alarmOn(metricName, 'AWS/Lambda', ownAlarms).filter(
          ([, a]) =>
            JSON.stringify(a.Properties?.Dimensions) === JSON.stringify([{ Name: 'FunctionName', Value: { Ref: fn } }]),
        ),
      }));

      // Assess
      const notOne = byFunction.filter((f) => f.alarms.length !== 1).map((f) => `${path}/${f.fn}: ${f.alarms.length}`);
      expect(notOne).toEqual([]);
      for (const { alarms: found } of byFunction) {
        expect(found[0]![1].Properties).toMatchObject({
          Statistic: 'Sum',
          Period: 300,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          TreatMissingData: 'notBreaching',
          ...evaluation,
        });
      }
      // No alarm on a function of another stack (which would need an output and a cross-stack reference).
      expect(alarmOn(metricName, 'AWS/Lambda', ownAlarms)).toHaveLength(functions.length);
    }
  });

  it('covers the route functions in every nested stack', () => {
    const nested = stackTemplates.filter((t) => t.stack.nested);
    expect(nested.length).toBeGreaterThan(0);
    for (const { template: own } of nested) {
      const functions = Object.keys(portalFunctions(own)).length;
      expect(functions).toBeGreaterThan(0);
      expect(Object.keys(own.findResources('AWS::CloudWatch::Alarm'))).toHaveLength(2 * functions);
    }
  });
});

describe('the dead-letter queue alarms', () => {
  it('gives every queue of the portal one alarm on a message waiting in it', () => {
    // Prepare
    const queues = Object.keys(template.findResources('AWS::SQS::Queue'));

    // Act
    const byQueue = queues.map((queue) => ({
      queue,
      alarms: alarmOn('ApproximateNumberOfMessagesVisible', 'AWS/SQS').filter(
        ([, a]) =>
          JSON.stringify(a.Properties?.Dimensions) ===
          JSON.stringify([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }]),
      ),
    }));

    // Assess
    expect(queues.length).toBeGreaterThanOrEqual(7);
    expect(byQueue.filter((q) => q.alarms.length !== 1).map((q) => q.queue)).toEqual([]);
    for (const { alarms: found } of byQueue) {
      expect(found[0]![1].Properties).toMatchObject({
        Statistic: 'Maximum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
    }
  });
});

describe('the stack-level alarms', () => {
  it.each([
    ['user', USER_API_DESCRIPTION],
    ['machine', MACHINE_API_DESCRIPTION],
  ])('alarms on the %s API 5xx rate, counted only above a minimum of requests', (_, description) => {
    // Prepare
    const api = apiId(template, description);
    const settings = ALARM_SETTINGS.apiServerErrorRate;

    // Act
    const rateAlarms = Object.values(alarms()).filter((a) =>
      (a.Properties?.Metrics ?? []).some(
        (m: any) =>
          m.MetricStat?.Metric.Namespace === 'AWS/ApiGateway' && m.MetricStat.Metric.Dimensions[0].Value.Ref === api,
      ),
    );

    // Assess
    expect(rateAlarms).toHaveLength(1);
    const p = rateAlarms[0]!.Properties!;
    expect(p).toMatchObject({
      Threshold: settings.thresholdPercent,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
    });
    const byId = Object.fromEntries(p.Metrics.map((m: any) => [m.Id, m]));
    expect(byId.expr_1).toMatchObject({
      Expression: `IF(requests >= ${settings.minimumRequests}, 100 * FILL(errors, 0) / requests, 0)`,
      ReturnData: true,
    });
    for (const [id, metricName] of [
      ['requests', 'Count'],
      ['errors', '5xx'],
    ]) {
      expect(byId[id!]).toEqual({
        Id: id,
        ReturnData: false,
        MetricStat: {
          Metric: {
            Namespace: 'AWS/ApiGateway',
            MetricName: metricName,
            Dimensions: [{ Name: 'ApiId', Value: { Ref: api } }],
          },
          Period: 300,
          Stat: 'Sum',
        },
      });
    }
  });

  it('alarms on two failed reminder runs in 15 minutes, and on runs that stop reporting', () => {
    // Act
    const found = alarmOn(METRICS.reminderRunFailures, METRIC_NAMESPACE);

    // Assess
    expect(found).toHaveLength(1);
    expect(found[0]![1].Properties).toMatchObject({
      Dimensions: portalDimension,
      Statistic: 'Sum',
      Period: 900,
      Threshold: 2,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'breaching',
    });
  });

  it('alarms on a response waiting more than 30 minutes for its hash, and on the sweep going silent', () => {
    // Act
    const found = alarmOn(METRICS.oldestPendingHashAgeSeconds, METRIC_NAMESPACE);

    // Assess
    expect(found).toHaveLength(1);
    expect(found[0]![1].Properties).toMatchObject({
      Dimensions: portalDimension,
      Statistic: 'Maximum',
      Period: 900,
      Threshold: 1800,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 2,
      TreatMissingData: 'breaching',
    });
  });

  it('alarms on overdue notices growing in each of three consecutive hours (DIFF of the hourly gauge)', () => {
    // Act
    const found = Object.values(alarms()).filter((a) =>
      (a.Properties?.Metrics ?? []).some((m: any) => m.MetricStat?.Metric.MetricName === METRICS.overdueNotices),
    );

    // Assess
    expect(found).toHaveLength(1);
    const p = found[0]!.Properties!;
    expect(p).toMatchObject({
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      TreatMissingData: 'notBreaching',
    });
    expect(p.Metrics).toEqual([
      expect.objectContaining({ Expression: 'DIFF(overdue)', ReturnData: true }),
      {
        Id: 'overdue',
        ReturnData: false,
        MetricStat: {
          Metric: { Namespace: METRIC_NAMESPACE, MetricName: METRICS.overdueNotices, Dimensions: portalDimension },
          Period: 3600,
          Stat: 'Maximum',
        },
      },
    ]);
  });

  it('points every alarm at an entry of docs/runbook.md that exists', () => {
    // Prepare: the anchors GitHub makes of the runbook's headings.
    const runbook = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'runbook.md'), 'utf8');
    const anchors = new Set(
      [...runbook.matchAll(/^## (.+)$/gm)].map((m) =>
        m[1]!
          .toLowerCase()
          .replace(/[^a-z0-9 -]/g, '')
          .replace(/ /g, '-'),
      ),
    );

    // Act
    const pointers = Object.entries(alarms()).map(([id, a]) => ({
      id,
      anchor: /Runbook: docs\/runbook\.md#([a-z0-9-]+)$/.exec(a.Properties?.AlarmDescription ?? '')?.[1],
    }));

    // Assess
    expect(pointers.filter((p) => p.anchor === undefined || !anchors.has(p.anchor))).toEqual([]);
    expect(new Set(pointers.map((p) => p.anchor))).toEqual(anchors);
  });
});

describe('the dashboard', () => {
  it('shows the APIs, the business metrics, the queues, the pending hash, the reminder runs and function errors', () => {
    // Act
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.parse(cfnText(dashboards[0]!.Properties?.DashboardBody));
    const titles: string[] = body.widgets.map((w: any) => w.properties.title ?? w.properties.markdown);
    const metricsOf = (title: string): unknown[][] =>
      body.widgets.find((w: any) => w.properties.title?.startsWith(title))?.properties.metrics ?? [];

    // Assess
    expect(dashboards).toHaveLength(1);
    for (const api of ['User API', 'Machine API']) {
      expect(metricsOf(`${api}: requests, 4xx, 5xx`).map((m) => m[1])).toEqual(['Count', '4xx', '5xx']);
      expect(metricsOf(`${api}: latency`).map((m) => m[1])).toEqual(['Latency', 'Latency', 'Latency']);
    }
    expect(metricsOf('Business').map((m) => m.slice(0, 2))).toEqual([
      [METRIC_NAMESPACE, METRICS.noticesIssued],
      [METRIC_NAMESPACE, METRICS.responsesFiled],
      [METRIC_NAMESPACE, METRICS.remindersSent],
    ]);
    expect(metricsOf('Overdue notices')[0]?.[1]).toBe(METRICS.overdueNotices);
    expect(metricsOf('Oldest response waiting')[0]?.[1]).toBe(METRICS.oldestPendingHashAgeSeconds);
    expect(metricsOf('Reminder runs').map((m) => m[1])).toEqual(
      expect.arrayContaining(['Invocations', METRICS.reminderRunFailures, 'Duration']),
    );
    expect(metricsOf('Dead-letter queues')).toHaveLength(Object.keys(template.findResources('AWS::SQS::Queue')).length);
    expect(JSON.stringify(metricsOf('Function errors and throttles'))).toContain(
      `SEARCH('{AWS/Lambda,FunctionName} MetricName=\\"Errors\\" ${stack.stackName}', 'Sum', 300)`,
    );
    expect(titles.some((t) => t.startsWith('Portal alarms'))).toBe(true);
  });
});

describe('Monitoring on its own', () => {
  it('subscribes the ops e-mail and routes alarms of nested stacks and dead-letter queues to the topic', () => {
    // Prepare: a stack with an API, a function, a queue, and an alarm in a nested stack.
    const app = new App();
    const parent = new Stack(app, 'Ops');
    const httpApi = new HttpApi(parent, 'Api');
    const fn = new LambdaFunction(parent, 'Fn', {
      runtime: Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: Code.fromInline('exports.handler = async () => ({})'),
    });
    deadLetterQueue(parent, 'Dlq');
    const nested = new NestedStack(parent, 'Nested');
    new Alarm(nested, 'NestedAlarm', {
      metric: new Metric({ namespace: 'X', metricName: 'Y' }),
      threshold: 1,
      evaluationPeriods: 1,
    });

    // Act
    const monitoring = new Monitoring(parent, 'Monitoring', {
      opsEmail: 'ops@regulator.example',
      apis: [{ name: 'API', httpApi }],
      reminderRun: fn,
      watch: parent,
    });
    const top = Template.fromStack(parent);
    const inner = Template.fromStack(nested);

    // Assess
    const topic = { Ref: logicalId(monitoring.topic) };
    top.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@regulator.example',
      TopicArn: topic,
    });
    const dlqAlarm = Object.values(top.findResources('AWS::CloudWatch::Alarm')).filter(
      (a) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible',
    );
    expect(dlqAlarm).toHaveLength(1);
    expect(dlqAlarm[0]!.Properties).toMatchObject({ AlarmActions: [topic], OKActions: [topic] });
    // The nested alarm names the topic through a parameter its parent passes the topic's ARN in.
    const [nestedAlarm] = Object.values(inner.findResources('AWS::CloudWatch::Alarm'));
    const parameter = nestedAlarm!.Properties.AlarmActions[0].Ref;
    expect(nestedAlarm!.Properties.OKActions).toEqual([{ Ref: parameter }]);
    const nestedResource = Object.values(top.findResources('AWS::CloudFormation::Stack'))[0]!;
    expect(nestedResource.Properties.Parameters[parameter]).toEqual(topic);
  });
});
