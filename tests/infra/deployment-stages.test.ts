import type { Template } from 'aws-cdk-lib/assertions';
import { DAILY_RETENTION_DAYS, daysCovering, LOCK_CHANGEABLE_DAYS } from '../../lib/constructs/backups';
import { ABORT_INCOMPLETE_UPLOADS_RULE } from '../../lib/constructs/response-storage';
import { resourceIn, type SynthesizedPortal, synthesizePortal } from './portal-app';

const OPS = 'portal-ops@regulator.example';
type Resources = Record<string, { Type: string; Properties?: Record<string, any>; [key: string]: any }>;

// One synthesis per stage for the file. Both get the same opsEmail, so the stage is their only difference.
const portals: Record<'dev' | 'prod', SynthesizedPortal> = {} as never;
beforeAll(() => {
  portals.dev = synthesizePortal({ stage: 'dev', opsEmail: OPS });
  portals.prod = synthesizePortal({ stage: 'prod', opsEmail: OPS });
});

const templateOf = (stage: 'dev' | 'prod'): Template => portals[stage].template;
const resourcesOf = (stage: 'dev' | 'prod'): Resources => templateOf(stage).toJSON().Resources;
const onlyOne = (found: Resources, what: string) => {
  const entries = Object.entries(found);
  if (entries.length !== 1) throw new Error(`expected one ${what}, found ${entries.length}`);
  return entries[0]!;
};
const responseBucket = (template: Template) =>
  onlyOne(
    template.findResources('AWS::S3::Bucket', { Properties: { ObjectLockEnabled: true } }) as Resources,
    'Object Lock bucket',
  )[1];
const vault = (template: Template) =>
  onlyOne(template.findResources('AWS::Backup::BackupVault') as Resources, 'backup vault');
const plan = (template: Template) =>
  onlyOne(template.findResources('AWS::Backup::BackupPlan') as Resources, 'backup plan')[1];
const table = (template: Template) => onlyOne(template.findResources('AWS::DynamoDB::Table') as Resources, 'table');

describe.each([
  ['dev', 'GOVERNANCE'],
  ['prod', 'COMPLIANCE'],
] as const)('the %s stage', (stage, lockMode) => {
  it(`locks every new object version in the response bucket for 7 years in ${lockMode} mode`, () => {
    expect(responseBucket(templateOf(stage)).Properties?.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: lockMode, Years: 7 } },
    });
  });

  it('aborts incomplete multipart uploads after 7 days and expires nothing, evidence bundles included', () => {
    // Act
    const rules = responseBucket(templateOf(stage)).Properties?.LifecycleConfiguration.Rules;

    // Assess: one rule, for the whole bucket, that touches no object or version: every object, whatever its
    // prefix (notices/, evidence-bundles/), is kept by the default retention alone.
    expect(rules).toEqual([
      {
        Id: ABORT_INCOMPLETE_UPLOADS_RULE,
        Status: 'Enabled',
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
      },
    ]);
  });

  it('keeps the table and its point-in-time recovery when the stack is deleted or the table replaced', () => {
    const [, resource] = table(templateOf(stage));
    expect(resource).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } },
    });
  });

  it('backs the table up daily and monthly into a retained vault encrypted with its own rotated key', () => {
    // Prepare
    const resources = resourcesOf(stage);
    const [vaultId, vaultResource] = vault(templateOf(stage));
    const [tableId] = table(templateOf(stage));
    const keyId = vaultResource.Properties?.EncryptionKeyArn['Fn::GetAtt'][0];

    // Act
    const rules = plan(templateOf(stage)).Properties?.BackupPlan.BackupPlanRule;
    const selection = onlyOne(
      templateOf(stage).findResources('AWS::Backup::BackupSelection') as Resources,
      'backup selection',
    )[1];

    // Assess
    expect(vaultResource).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(resourceIn(resources, keyId)).toMatchObject({
      Type: 'AWS::KMS::Key',
      Properties: { EnableKeyRotation: true },
      DeletionPolicy: 'Retain',
    });
    expect(rules).toEqual([
      expect.objectContaining({
        RuleName: 'daily',
        ScheduleExpression: 'cron(0 15 * * ? *)',
        Lifecycle: { DeleteAfterDays: DAILY_RETENTION_DAYS },
        TargetBackupVault: { 'Fn::GetAtt': [vaultId, 'BackupVaultName'] },
      }),
      expect.objectContaining({
        RuleName: 'monthly',
        ScheduleExpression: 'cron(0 16 1 * ? *)',
        Lifecycle: { DeleteAfterDays: daysCovering(7) },
        TargetBackupVault: { 'Fn::GetAtt': [vaultId, 'BackupVaultName'] },
      }),
    ]);
    expect(selection.Properties?.BackupSelection.Resources).toEqual([{ 'Fn::GetAtt': [tableId, 'Arn'] }]);
    const roleId = selection.Properties?.BackupSelection.IamRoleArn['Fn::GetAtt'][0];
    expect(resourceIn(resources, roleId).Properties?.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' } }),
    ]);
  });

  it("keeps no backup for less than the vault lock's minimum, which would fail the backup job", () => {
    // Act
    const minimum = vault(templateOf(stage))[1].Properties?.LockConfiguration.MinRetentionDays;
    const kept = plan(templateOf(stage)).Properties?.BackupPlan.BackupPlanRule.map(
      (rule: { Lifecycle: { DeleteAfterDays: number } }) => rule.Lifecycle.DeleteAfterDays,
    );

    // Assess
    expect(minimum).toBe(DAILY_RETENTION_DAYS);
    for (const days of kept) expect(days).toBeGreaterThanOrEqual(minimum);
  });

  it('says which stage it is in the Stage output', () => {
    templateOf(stage).hasOutput('Stage', { Value: stage });
  });
});

describe('production', () => {
  it('protects the table and the user pool against deletion, and the stack against termination', () => {
    expect(table(templateOf('prod'))[1].Properties?.DeletionProtectionEnabled).toBe(true);
    templateOf('prod').hasResourceProperties('AWS::Cognito::UserPool', { DeletionProtection: 'ACTIVE' });
    expect(portals.prod.stack.terminationProtection).toBe(true);
  });

  it(`locks the backup vault for good once ${LOCK_CHANGEABLE_DAYS} days have passed (compliance-style)`, () => {
    expect(vault(templateOf('prod'))[1].Properties?.LockConfiguration).toEqual({
      MinRetentionDays: DAILY_RETENTION_DAYS,
      ChangeableForDays: LOCK_CHANGEABLE_DAYS,
    });
  });
});

describe('development', () => {
  it('leaves the table and the user pool deletable and the stack terminable, so the stage can be torn down', () => {
    expect(table(templateOf('dev'))[1].Properties?.DeletionProtectionEnabled).toBe(false);
    templateOf('dev').hasResourceProperties('AWS::Cognito::UserPool', { DeletionProtection: 'INACTIVE' });
    expect(portals.dev.stack.terminationProtection).toBe(false);
  });

  it('locks the backup vault governance-style: no date after which the lock cannot be removed', () => {
    expect(vault(templateOf('dev'))[1].Properties?.LockConfiguration).toEqual({
      MinRetentionDays: DAILY_RETENTION_DAYS,
    });
  });
});

describe('the stages', () => {
  /** Every JSON path at which `a` and `b` differ (a whole subtree counts once, at its top). */
  function differences(a: unknown, b: unknown, at = ''): string[] {
    if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
      if (Array.isArray(a) !== Array.isArray(b)) return [at];
      const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
      return [...keys].flatMap((key) =>
        differences((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${at}/${key}`),
      );
    }
    return a === b ? [] : [at];
  }

  it('differ only where the stage says: deletion protection, the lock modes and the Stage output', () => {
    // Prepare: the logical ids the differences are expected at.
    const [tableId] = table(templateOf('prod'));
    const [vaultId] = vault(templateOf('prod'));
    const bucketId = Object.keys(
      templateOf('prod').findResources('AWS::S3::Bucket', { Properties: { ObjectLockEnabled: true } }),
    )[0];
    const userPoolId = Object.keys(templateOf('prod').findResources('AWS::Cognito::UserPool'))[0];

    // Act
    const found = portals.dev.stackTemplates.flatMap(({ path }, i) => {
      const prod = portals.prod.stackTemplates[i];
      expect(prod?.path).toBe(path);
      return differences(portals.dev.stackTemplates[i]?.template.toJSON(), prod?.template.toJSON()).map(
        (where) => `${path}:${where}`,
      );
    });

    // Assess
    expect(found.sort()).toEqual(
      [
        `NoticePortal:/Outputs/Stage/Value`,
        `NoticePortal:/Resources/${bucketId}/Properties/ObjectLockConfiguration/Rule/DefaultRetention/Mode`,
        `NoticePortal:/Resources/${tableId}/Properties/DeletionProtectionEnabled`,
        `NoticePortal:/Resources/${userPoolId}/Properties/DeletionProtection`,
        `NoticePortal:/Resources/${vaultId}/Properties/LockConfiguration/ChangeableForDays`,
      ].sort(),
    );
  });

  it('follow retentionYears and abortIncompleteUploadDays from the context', () => {
    // Act
    const { template } = synthesizePortal({
      stage: 'prod',
      opsEmail: OPS,
      retentionYears: '10',
      abortIncompleteUploadDays: '3',
    });

    // Assess
    const bucket = responseBucket(template).Properties;
    expect(bucket?.ObjectLockConfiguration.Rule.DefaultRetention).toEqual({ Mode: 'COMPLIANCE', Years: 10 });
    expect(bucket?.LifecycleConfiguration.Rules[0].AbortIncompleteMultipartUpload).toEqual({ DaysAfterInitiation: 3 });
    expect(plan(template).Properties?.BackupPlan.BackupPlanRule).toContainEqual(
      expect.objectContaining({ RuleName: 'monthly', Lifecycle: { DeleteAfterDays: daysCovering(10) } }),
    );
  });

  it('refuse to synthesize with a stage that is neither dev nor prod, saying what is allowed', () => {
    expect(() => synthesizePortal({ stage: 'staging' })).toThrow(
      'Context value "stage" must be "dev" or "prod", got "staging"',
    );
  });
});

describe('daysCovering', () => {
  it('covers every span of that many calendar years, leap days included', () => {
    for (let years = 1; years <= 100; years += 1) {
      // The longest such span: starting on 29 February 2000, or on 1 January of a leap year (2000 is one).
      for (const start of [Date.UTC(2000, 1, 29), Date.UTC(2000, 0, 1), Date.UTC(2001, 2, 1)]) {
        const end = new Date(start);
        end.setUTCFullYear(end.getUTCFullYear() + years);
        expect(daysCovering(years)).toBeGreaterThanOrEqual((end.getTime() - start) / 86_400_000);
      }
    }
  });
});
