import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CfnElement, CfnResource, Names, Validations } from 'aws-cdk-lib';
import { VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { type SynthesizedPortal, synthesizePortal } from './portal-app';

// cdk-nag 3 runs as a CDK validation plugin registered by addNoticePortal. With aws-cdk-lib 2.276 synthesis already
// throws on any unacknowledged finding, warning or error (cdk-nag reports success only with zero violations), so
// beforeAll is the first check; the tests below state the requirement independently of that CDK behaviour.
// Both stages: production differs only by its configuration, but that includes resources cdk-nag checks (the
// table's and user pool's deletion protection, the vault lock).
const STAGE_CONTEXT = {
  dev: { stage: 'dev' },
  prod: { stage: 'prod', opsEmail: 'portal-ops@regulator.example' },
} as const;
const portals: Partial<Record<keyof typeof STAGE_CONTEXT, SynthesizedPortal>> = {};
beforeAll(() => {
  for (const [stage, context] of Object.entries(STAGE_CONTEXT)) {
    portals[stage as keyof typeof STAGE_CONTEXT] = synthesizePortal(context);
  }
});

interface Finding {
  rule: string;
  severity: string;
  paths: string[];
}

function findings(pack: AwsSolutionsChecks, scope: IConstruct): Finding[] {
  return pack.validateScope(scope).violations.map((v) => ({
    rule: v.ruleName,
    severity: v.severity ?? 'unknown',
    paths: v.violatingResources.map((r) => r.constructPath ?? '?'),
  }));
}

/** Every AwsSolutions acknowledgement recorded in the construct tree, with the path it was made at. */
function acknowledgements(scope: IConstruct): Array<{ id: string; reason: string; at: string }> {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .map(([key, reason]) => ({ id: key.replace(/^annotation::/i, ''), reason, at: construct.node.path }))
      .filter((ack) => ack.id.startsWith('AwsSolutions-')),
  );
}

describe.each(Object.keys(STAGE_CONTEXT) as Array<keyof typeof STAGE_CONTEXT>)(
  'cdk-nag AwsSolutions checks (%s stage)',
  (stage) => {
    let portal: SynthesizedPortal;
    beforeAll(() => {
      portal = portals[stage]!;
    });

    it('reports no unacknowledged finding, neither error nor warning', () => {
      // Act
      const reported = findings(new AwsSolutionsChecks(), portal.app);

      // Assess
      expect(reported).toEqual([]);
    });

    it('leaves no AwsSolutions violation in the validation report of the synthesized assembly', () => {
      // Prepare
      const assembly = portal.app.synth();

      // Act
      const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, VALIDATION_REPORT_FILE), 'utf8'));

      // Assess
      const nagViolations = report.pluginReports
        .filter((r: { pluginName: string }) => r.pluginName === 'AwsSolutions')
        .flatMap((r: { violations: unknown[] }) => r.violations);
      expect(nagViolations).toEqual([]);
    });

    it('acknowledges only findings that actually occur, each with a reason', () => {
      // Prepare: a pack that ignores acknowledgements shows the raw findings. isAcknowledged is internal to
      // cdk-nag; should it disappear, no raw finding shows up and this test fails rather than passing silently.
      const rawPack = new AwsSolutionsChecks();
      (rawPack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;

      // Act
      const raw = findings(rawPack, portal.app);
      const acks = acknowledgements(portal.app);

      // Assess
      expect(acks.length).toBeGreaterThan(0);
      const unused = acks.filter(
        (ack) => !raw.some((f) => f.rule === ack.id && f.paths.some((p) => p === ack.at || p.startsWith(`${ack.at}/`))),
      );
      expect(unused).toEqual([]);
      for (const ack of acks) expect(ack.reason.length).toBeGreaterThan(40);
    });

    it("acknowledges AWS managed policies only on the roles of CDK's bucket notifications handler and AWS Backup", () => {
      // Act
      const managedPolicyAcks = acknowledgements(portal.app).filter((ack) => ack.id.startsWith('AwsSolutions-IAM4'));

      // Assess: the portal's own functions all have roles without AWS managed policies; the backup selection's role
      // (assumed by AWS Backup only) has AWS Backup's service policy for backup jobs, and nothing else.
      expect(managedPolicyAcks.map((ack) => [ack.at, ack.id]).sort()).toEqual([
        [
          `${portal.stack.stackName}/Backups/Plan/Table/Role`,
          'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
        ],
        [
          `${portal.stack.stackName}/BucketNotificationsHandler050a0587b7544547bf325f094a3db834/Role`,
          'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        ],
      ]);
    });

    it('acknowledges the response-object wildcard only on the roles of functions bound to the response bucket', () => {
      // Act
      const objectAcks = acknowledgements(portal.app).filter((ack) => ack.id.endsWith('/notices/*]'));

      // Assess
      // Assess: the bucket's ARN as it resolves in the role's template, a GetAtt in the portal stack and, in a nested
      // stack, the parameter CDK passes it in.
      const bucket = portal.stack.storage.bucket.node.defaultChild as CfnElement;
      const inParent = `AwsSolutions-IAM5[Resource::<${portal.stack.getLogicalId(bucket)}.Arn>/notices/*]`;
      const inNested = `AwsSolutions-IAM5[Resource::<referenceto${Names.nodeUniqueId(bucket.node)}Arn>/notices/*]`;
      expect(inParent).toMatch(/^AwsSolutions-IAM5\[Resource::<StorageResponses[0-9A-F]{8}\.Arn>\/notices\/\*\]$/);
      expect(objectAcks.length).toBeGreaterThan(0);
      for (const ack of objectAcks) {
        const roleStack = portal.stackTemplates.find(({ path }) => path === ack.at.split('/').slice(0, -1).join('/'));
        expect(ack.id).toBe(roleStack?.stack.nested ? inNested : inParent);
        expect(ack.at).toMatch(/FunctionRole$/);
      }
      // Both kinds occur: the upload hasher is in the portal stack, the upload routes' functions in a nested one.
      expect(new Set(objectAcks.map((ack) => ack.id))).toEqual(new Set([inParent, inNested]));
    });

    it('checks the resources of every nested stack', () => {
      // Prepare: every portal function's role has the acknowledged X-Ray wildcard, so each stack with functions has
      // raw findings if, and only if, cdk-nag looks at it.
      const rawPack = new AwsSolutionsChecks();
      (rawPack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
      const nested = portal.stackTemplates.filter(({ stack }) => stack.nested);

      // Act
      const raw = findings(rawPack, portal.app);

      // Assess
      expect(nested.length).toBeGreaterThan(0);
      for (const { path: stackPath } of nested) {
        expect(raw.some((f) => f.paths.some((p) => p.startsWith(`${stackPath}/`)))).toBe(true);
      }
    });
    it('checks every resource of the us-east-1 edge stack too, which needs no acknowledgement', () => {
      // Prepare: record every resource the pack looks at when it validates the whole app, as synthesis does.
      const rawPack = new AwsSolutionsChecks();
      (rawPack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
      const visited: string[] = [];
      const pack = rawPack as unknown as { checkResource: (node: CfnResource) => void };
      const check = pack.checkResource.bind(rawPack);
      pack.checkResource = (node) => {
        visited.push(node.node.path);
        check(node);
      };

      // Act
      const raw = findings(rawPack, portal.app);

      // Assess
      const edgeResources = portal.edge.node
        .findAll()
        .filter((c): c is CfnResource => CfnResource.isCfnResource(c))
        .map((c) => c.node.path);
      expect(edgeResources.length).toBeGreaterThanOrEqual(4);
      expect(visited).toEqual(expect.arrayContaining(edgeResources));
      expect(raw.filter((f) => f.paths.some((p) => p.startsWith(`${portal.edge.node.path}/`)))).toEqual([]);
      expect(acknowledgements(portal.edge)).toEqual([]);
    });

    it('finds the distribution protected by a web ACL, without any acknowledgement (AwsSolutions-CFR2)', () => {
      // Prepare
      const rawPack = new AwsSolutionsChecks();
      (rawPack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;

      // Act
      const raw = findings(rawPack, portal.app);

      // Assess
      expect(raw.some((f) => f.rule.startsWith('AwsSolutions-CFR1'))).toBe(true);
      expect(raw.filter((f) => f.rule.startsWith('AwsSolutions-CFR2'))).toEqual([]);
      expect(acknowledgements(portal.app).filter((ack) => ack.id.startsWith('AwsSolutions-CFR2'))).toEqual([]);
    });
  },
);
